import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import type { CheckpointPayload } from './audit-chain.js';
import { sqlOverPg } from '@libs/database/sql.js';
import { AuditRepository } from './audit.repository.js';
import { checkCheckpointEvents } from './audit-verifier.js';

/** A verification worker: reads the events of the checkpoints it is given and checks them. */
const client = new pg.Client({ connectionString: (workerData as { databaseUrl: string }).databaseUrl });
await client.connect();
// The workers are the parallelism: PostgreSQL 18 otherwise plans each range as a parallel query,
// and its helper processes fight the workers for the cores (half the speed on two cores).
await client.query('SET max_parallel_workers_per_gather = 0');
await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
// The one statement a worker runs, prepared once rather than planned over every monthly
// partition on each call.
const sql = sqlOverPg(client);
const store = new AuditRepository().readerOn({ ...sql, query: (text, params) => sql.prepared('audit-verify-events', text, params ?? []) });

parentPort!.on('message', (message: { index: number; payload: CheckpointPayload } | 'close') => {
  if (message === 'close') {
    client.end().finally(() => parentPort!.close());
    return;
  }
  const { index, payload } = message;
  store.events(BigInt(payload.firstSequence), BigInt(payload.lastSequence)).then(
    (events) => parentPort!.postMessage({ index, result: checkCheckpointEvents(payload, events) }),
    (error: unknown) => parentPort!.postMessage({ index, error: error instanceof Error ? error.message : String(error) }),
  );
});
parentPort!.postMessage('ready');
