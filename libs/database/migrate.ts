import { DataSource, type MigrationInterface } from 'typeorm';
import { type MigrationContext, setMigrationContext } from './migration-context.js';
import { resilientPoolOptions } from './resilient-client.js';

/** Any fixed 64-bit number; every instance of the service takes the same lock to migrate. */
export const MIGRATION_LOCK_KEY = 7_315_402_116n;

type MigrationClass = new () => MigrationInterface;

/**
 * Runs pending migrations under a session-level PostgreSQL advisory lock, so that instances
 * starting together migrate one after the other instead of racing (the second finds nothing
 * to do). Returns the names of the migrations it applied. `context` gives migrations what SQL
 * cannot (the data encryption key, see MigrationContext).
 */
export async function migrateDatabase(url: string, migrations: MigrationClass[], context: MigrationContext = {}): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    logging: false,
    // The lock's session and the migrations' connections may be cut by a restart of PostgreSQL:
    // the start then fails with a clear error, never with an unhandled `error` event.
    poolErrorHandler: () => undefined,
    extra: { application_name: 'crisis-link-migrate', ...resilientPoolOptions() },
  });
  setMigrationContext(dataSource, context);
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
