import type { DataSource } from 'typeorm';

/**
 * What a migration may need beyond SQL, given by whoever runs the migrations. A data migration
 * that encrypts existing rows (C23) needs the data encryption key, which never enters the
 * database: the service, `migration:run` and `org:create` open it and pass `encryptField`; a caller
 * without it (a benchmark's fresh database) passes nothing, and such a migration refuses to run
 * over rows it would have to encrypt.
 */
export interface MigrationContext {
  /** Encrypts one field as FieldCipher.encrypt does (`context` is the column, bound as associated data). */
  encryptField?: (plaintext: string, context: string) => string;
}

const contexts = new WeakMap<DataSource, MigrationContext>();

export function setMigrationContext(dataSource: DataSource, context: MigrationContext): void {
  contexts.set(dataSource, context);
}

/** The context of the data source a migration runs on (`queryRunner.connection`). */
export function migrationContextOf(dataSource: DataSource): MigrationContext {
  return contexts.get(dataSource) ?? {};
}
