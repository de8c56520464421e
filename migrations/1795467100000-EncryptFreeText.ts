import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationContextOf } from '@libs/database/migration-context.js';

/** The free-text columns that can hold a person's name or treatment, and their encrypted successors. */
const COLUMNS = [
  // "Methadone maintenance" names a treatment; a program can be named after anything.
  { table: 'enrollment', plain: 'program_name', sealed: 'program_name_enc', context: 'enrollment.program_name', notNull: true },
  // "when <name> is discharged from methadone maintenance" (§2.31(a)(7)).
  { table: 'consent', plain: 'expiration_event', sealed: 'expiration_event_enc', context: 'consent.expiration_event', notNull: false },
] as const;

const BATCH = 1000;

/**
 * C23: enrollment.program_name and consent.expiration_event become ciphertext (AES-256-GCM, the
 * column as associated data), like the identifiers.
 *
 * Rows that exist already are encrypted here, in the migration's transaction, with the data key
 * the caller passes (MigrationContext.encryptField: the service's start, `migration:run` and
 * `org:create` all pass it). Without the key the migration refuses to run over existing rows, with
 * a message saying so, and changes nothing. Encrypting rewrites consent rows, which are otherwise
 * immutable (C7): only their storage form changes, so the immutability trigger is set aside for
 * that one statement and restored in the same transaction. The tables are then rewritten, so the
 * dropped plain text does not linger in their files (PostgreSQL's write-ahead log keeps it until
 * recycled; see docs/operations.md).
 */
export class EncryptFreeText1795467100000 implements MigrationInterface {
  name = 'EncryptFreeText1795467100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { encryptField } = migrationContextOf(queryRunner.connection);
    const existing: Array<{ table: string; rows: number }> = [];
    for (const column of COLUMNS) {
      const rows: Array<{ n: string }> = await queryRunner.query(`SELECT count(*) AS n FROM ${column.table} WHERE ${column.plain} IS NOT NULL`);
      if (Number(rows[0].n) > 0) existing.push({ table: `${column.table}.${column.plain}`, rows: Number(rows[0].n) });
    }
    if (existing.length > 0 && !encryptField) {
      throw new Error(
        `EncryptFreeText: ${existing.map((e) => `${e.rows} rows of ${e.table}`).join(' and ')} are in plain text and must be encrypted, ` +
          'but this migration was not given the data encryption key. Run it through the service (npm start) or `npm run migration:run`, ' +
          'with DATA_ENCRYPTION_KEY_FILE (or, outside production, DATA_DIR) set as for the service. Nothing was changed.',
      );
    }

    for (const column of COLUMNS) {
      await queryRunner.query(`ALTER TABLE ${column.table} ADD COLUMN ${column.sealed} text`);
      if (existing.some((e) => e.table === `${column.table}.${column.plain}`)) {
        if (column.table === 'consent') await queryRunner.query('ALTER TABLE consent DISABLE TRIGGER consent_immutable');
        for (;;) {
          const rows: Array<{ id: string; plain: string }> = await queryRunner.query(
            `SELECT id, ${column.plain} AS plain FROM ${column.table} WHERE ${column.plain} IS NOT NULL AND ${column.sealed} IS NULL ORDER BY id LIMIT ${BATCH}`,
          );
          if (rows.length === 0) break;
          await queryRunner.query(
            `UPDATE ${column.table} t SET ${column.sealed} = v.sealed FROM unnest($1::uuid[], $2::text[]) AS v(id, sealed) WHERE t.id = v.id`,
            [rows.map((r) => r.id), rows.map((r) => encryptField!(r.plain, column.context))],
          );
        }
        if (column.table === 'consent') await queryRunner.query('ALTER TABLE consent ENABLE TRIGGER consent_immutable');
      }
      await queryRunner.query(`ALTER TABLE ${column.table} DROP COLUMN ${column.plain}`);
      if (column.notNull) await queryRunner.query(`ALTER TABLE ${column.table} ALTER COLUMN ${column.sealed} SET NOT NULL`);
    }

    // A table rewrite writes every row afresh without the dropped column's values and without the
    // dead row versions the encryption left behind (CLUSTER may run inside a transaction; VACUUM FULL may not).
    for (const table of new Set(existing.map((e) => e.table.split('.')[0]))) {
      await queryRunner.query(`CLUSTER ${table} USING ${table}_pkey`);
      await queryRunner.query(`ALTER TABLE ${table} SET WITHOUT CLUSTER`);
    }
  }

  async down(): Promise<void> {
    throw new Error('EncryptFreeText cannot be reverted: it would write PHI back in plain text (C23)');
  }
}
