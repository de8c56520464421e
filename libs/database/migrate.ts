import { DataSource, type MigrationInterface } from 'typeorm';

/** Any fixed 64-bit number; every instance of the service takes the same lock to migrate. */
export const MIGRATION_LOCK_KEY = 7_315_402_116n;

type MigrationClass = new () => MigrationInterface;

/**
 * Runs pending migrations under a session-level PostgreSQL advisory lock, so that instances
 * starting together migrate one after the other instead of racing (the second finds nothing
 * to do). Returns the names of the migrations it applied.
 */
export async function migrateDatabase(url: string, migrations: MigrationClass[]): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    logging: false,
  });
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
