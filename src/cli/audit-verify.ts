import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { JSONWebKeySet } from 'jose';
import { AuditLedgerStore } from '@libs/ledger/audit-ledger-store.js';
import { type AuditVerification, verifyAuditLedger } from '@libs/ledger/audit-verifier.js';
import { parallelEventsChecker } from '@libs/ledger/audit-verify-parallel.js';

const USAGE = 'usage: npm run audit:verify -- --database-url URL --keys FILE_OR_URL [--from SEQUENCE] [--to SEQUENCE]';

/**
 * Verifies the audit ledger with no server running: a database connection (a replica or a
 * restored dump will do) and the public key set (a file, or the service's
 * /.well-known/audit-keys.json). Exit code 0 when valid, 1 when not.
 */
export async function verifyOffline(argv: string[]): Promise<AuditVerification> {
  const { values } = parseArgs({
    args: argv,
    options: { 'database-url': { type: 'string' }, keys: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    strict: true,
  });
  if (!values['database-url'] || !values.keys) throw new Error(USAGE);
  const keys: JSONWebKeySet = /^https?:\/\//.test(values.keys)
    ? ((await (await fetch(values.keys)).json()) as JSONWebKeySet)
    : (JSON.parse(await readFile(values.keys, 'utf8')) as JSONWebKeySet);
  const client = new pg.Client({ connectionString: values['database-url'] });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const store = new AuditLedgerStore(async (sql, params) => (await client.query(sql, params)).rows);
    // Events are checked by worker threads when the compiled worker is there (npm run audit:verify).
    const checker = parallelEventsChecker(values['database-url']) ?? undefined;
    const result = await verifyAuditLedger(
      store,
      keys,
      { from: values.from ? BigInt(values.from) : undefined, to: values.to ? BigInt(values.to) : undefined },
      checker,
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
