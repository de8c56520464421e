import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { type DataKeyFile, FieldCipher } from '@libs/crypto/field-cipher.js';
import { migrateDatabase } from '@libs/database/migrate.js';
import { MIGRATIONS } from '@migrations/index.js';

let pool: pg.Pool | undefined;
let migrated: Promise<unknown> | undefined;

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through npm test (global setup)');
  return url;
}

/**
 * Migrates the test database once per worker (the service's advisory lock orders workers), with
 * the run's data key: a reused DATABASE_URL may hold rows a migration must encrypt (C23).
 */
export function migrateTestDatabase(): Promise<unknown> {
  migrated ??= (async () => {
    const dataDir = process.env.TEST_DATA_DIR;
    const cipher = dataDir ? new FieldCipher(JSON.parse(await readFile(join(dataDir, 'data-encryption-key.json'), 'utf8')) as DataKeyFile) : null;
    return migrateDatabase(testDatabaseUrl(), MIGRATIONS, cipher ? { encryptField: (plaintext, context) => cipher.encrypt(plaintext, context) } : {});
  })();
  return migrated;
}

/** A superuser connection for assertions and for tampering, as an attacker owning the database would. */
export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  await migrateTestDatabase();
  pool ??= new pg.Pool({ connectionString: testDatabaseUrl(), max: 3 });
  const result = await pool.query(text, params);
  return result.rows as T[];
}

export async function closeSql(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

/**
 * Makes every audit append by `organizationKey` fail, as a full disk or a broken database would,
 * for the duration of a test (C17). DDL on the partitioned audit table is serialised across test
 * workers: two workers adding triggers at once could deadlock on the partitions' locks.
 */
export async function failAuditAppendsOf(organizationKey: string): Promise<() => Promise<void>> {
  const name = `fail_audit_${organizationKey.replace(/[^a-z0-9]/g, '_')}`;
  const ddl = async (statements: string[]) => {
    await migrateTestDatabase();
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('test-audit-ddl'))`);
      for (const statement of statements) await client.query(statement);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  };
  await ddl([
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`,
    `CREATE TRIGGER ${name} BEFORE INSERT ON audit_event FOR EACH ROW WHEN (NEW.actor_org = '${organizationKey}') EXECUTE FUNCTION ${name}()`,
  ]);
  return () => ddl([`DROP TRIGGER ${name} ON audit_event`, `DROP FUNCTION ${name}()`]);
}
