import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { JSONWebKeySet } from 'jose';
import { sqlOverPg } from '@libs/database/sql.js';
import { AuditRepository } from '@libs/ledger/audit.repository.js';
import { type AuditVerification, verifyAuditLedger } from '@libs/ledger/audit-verifier.js';
import { parallelEventsChecker } from '@libs/ledger/audit-verify-parallel.js';
import { checkpointVerifier } from '@libs/ledger/audit-receipt.js';
import { type AuditWitness, DirectoryWitness, HttpWitness } from '@libs/ledger/audit-witness.js';

const USAGE =
  'usage: npm run audit:verify -- --database-url URL --keys FILE_OR_URL [--witness-dir DIR]... [--witness-url URL]... [--receipt JWS|@FILE]... [--from SEQUENCE] [--to SEQUENCE]';

/**
 * Verifies the audit ledger with no server running: a database connection (a replica or a
 * restored dump will do) and the public key set (a file, or the service's
 * /.well-known/audit-keys.json); and against the checkpoints held outside the database (C18):
 * witness directories (a copy will do), witness receivers, and receipts a person kept (a compact
 * JWS, or @FILE with one per line). Exit code 0 when valid, 1 when not, 2 when it could not run.
 */
export async function verifyOffline(argv: string[]): Promise<AuditVerification> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'database-url': { type: 'string' },
      keys: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'witness-dir': { type: 'string', multiple: true },
      'witness-url': { type: 'string', multiple: true },
      receipt: { type: 'string', multiple: true },
    },
    strict: true,
  });
  if (!values['database-url'] || !values.keys) throw new Error(USAGE);
  const keys: JSONWebKeySet = /^https?:\/\//.test(values.keys)
    ? ((await (await fetch(values.keys)).json()) as JSONWebKeySet)
    : (JSON.parse(await readFile(values.keys, 'utf8')) as JSONWebKeySet);
  const verify = checkpointVerifier(keys);
  const witnesses: AuditWitness[] = [
    ...(values['witness-dir'] ?? []).map((dir) => new DirectoryWitness(dir, verify, `directory ${dir}`)),
    ...(values['witness-url'] ?? []).map((url) => new HttpWitness(url, verify, `url ${url}`)),
  ];
  // A witness that cannot be read stops the command (exit 2): a verification against fewer
  // witnesses than asked for must not pass for a complete one.
  const receipts: string[] = [];
  for (const witness of witnesses) receipts.push(...(await witness.receipts()));
  for (const receipt of values.receipt ?? []) {
    if (receipt.startsWith('@')) receipts.push(...(await readFile(receipt.slice(1), 'utf8')).split('\n').filter((line) => line.trim().length > 0));
    else receipts.push(receipt);
  }
  const client = new pg.Client({ connectionString: values['database-url'] });
  await client.connect();
  try {
    // Parallelism comes from the verification workers, not from parallel query plans.
    await client.query('SET max_parallel_workers_per_gather = 0');
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const store = new AuditRepository().readerOn(sqlOverPg(client));
    // Events are checked by worker threads when the compiled worker is there (npm run audit:verify).
    const checker = parallelEventsChecker(values['database-url']) ?? undefined;
    const result = await verifyAuditLedger(
      store,
      keys,
      { from: values.from ? BigInt(values.from) : undefined, to: values.to ? BigInt(values.to) : undefined },
      { checker, receipts },
    );
    await client.query('COMMIT');
    return result;
  } finally {
    await client.end();
  }
}


if (import.meta.url === `file://${process.argv[1]}`) {
  verifyOffline(process.argv.slice(2)).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      process.exit(result.valid ? 0 : 1);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
