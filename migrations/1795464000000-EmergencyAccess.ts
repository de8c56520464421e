import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * §2.51(c) records of medical-emergency disclosures, one per disclosing program, and the
 * notifications to those programs (an outbox the program lists and acknowledges).
 */
export class EmergencyAccess1795464000000 implements MigrationInterface {
  name = 'EmergencyAccess1795464000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE emergency_access (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        audit_event_id uuid NOT NULL,
        program_organization_id uuid NOT NULL REFERENCES organization(id),
        patient_id uuid NOT NULL REFERENCES patient(id),
        requester_sub text NOT NULL,
        requester_name text NOT NULL,
        requester_affiliation text NOT NULL,
        requester_organization_id uuid NOT NULL REFERENCES organization(id),
        disclosed_by text NOT NULL,
        occurred_at timestamptz NOT NULL,
        nature_of_emergency_enc text NOT NULL,
        incident_number text NOT NULL,
        disclosed_categories text[] NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX emergency_access_by_program ON emergency_access (program_organization_id, occurred_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX emergency_access_by_patient ON emergency_access (patient_id)`);
    await queryRunner.query(`
      CREATE TRIGGER emergency_access_immutable BEFORE UPDATE OR DELETE ON emergency_access
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER emergency_access_no_truncate BEFORE TRUNCATE ON emergency_access
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`);
    await queryRunner.query(`
      CREATE TABLE emergency_notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        emergency_access_id uuid NOT NULL UNIQUE REFERENCES emergency_access(id),
        program_organization_id uuid NOT NULL REFERENCES organization(id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        acknowledged_at timestamptz,
        acknowledged_by text,
        CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX emergency_notification_pending ON emergency_notification (program_organization_id) WHERE acknowledged_at IS NULL`);
  }

  async down(): Promise<void> {
    throw new Error('EmergencyAccess cannot be reverted: §2.51(c) records are kept');
  }
}
