import pg from 'pg';
import { migrateDatabase } from '@libs/database/migrate.js';
import { MIGRATIONS } from '@migrations/index.js';

let pool: pg.Pool | undefined;
let migrated: Promise<unknown> | undefined;

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through npm test (global setup)');
  return url;
}

/** Migrates the test database once per worker (the service's advisory lock orders workers). */
export function migrateTestDatabase(): Promise<unknown> {
  migrated ??= migrateDatabase(testDatabaseUrl(), MIGRATIONS);
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
