import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import type { CheckpointPayload } from './audit-chain.js';
import { AuditLedgerStore } from './audit-ledger-store.js';
import { checkCheckpointEvents } from './audit-verifier.js';

/** A verification worker: reads the events of the checkpoints it is given and checks them. */
const client = new pg.Client({ connectionString: (workerData as { databaseUrl: string }).databaseUrl });
await client.connect();
await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
const store = new AuditLedgerStore(async (sql, params) => (await client.query(sql, params)).rows);

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
