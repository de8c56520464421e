import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An organisation can be deactivated by an admin (issue 14): its people's tokens are refused and
 * it can no longer be named as a consent's recipient. The row stays (consents, disclosures and
 * the audit log name it for years: C7, C19, C20); who deactivated it and when are kept on it.
 * Deactivation is final: a deactivated organisation is not reactivated (create a new one).
 */
export class OrganizationDeactivation1795469500000 implements MigrationInterface {
  name = 'OrganizationDeactivation1795469500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE organization ADD COLUMN deactivated_at timestamptz, ADD COLUMN deactivated_by text`);
    await queryRunner.query(`ALTER TABLE organization ADD CONSTRAINT organization_deactivated_together CHECK ((deactivated_at IS NULL) = (deactivated_by IS NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE organization DROP CONSTRAINT organization_deactivated_together`);
    await queryRunner.query(`ALTER TABLE organization DROP COLUMN deactivated_by, DROP COLUMN deactivated_at`);
  }
}
