import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * §2.51(c): the program is notified of every medical-emergency disclosure of its records. Besides
 * the in-app list (emergency_notification), an outbox row per §2.51 record is delivered to the
 * program's webhook with retries. The row is written by a trigger on emergency_access, so it is
 * in the transaction of the disclosure whatever code path writes the record (C17). Programs'
 * webhook endpoints set in the app live in program_webhook, the signing secret encrypted (C23).
 */
export class ProgramNotifications1795468000000 implements MigrationInterface {
  name = 'ProgramNotifications1795468000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE program_notification_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        emergency_access_id uuid NOT NULL UNIQUE REFERENCES emergency_access(id),
        program_organization_id uuid NOT NULL REFERENCES organization(id),
        audit_event_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        leased_until timestamptz,
        delivered_at timestamptz,
        last_status text
      )`);
    await queryRunner.query(`CREATE INDEX program_notification_outbox_due ON program_notification_outbox (next_attempt_at) WHERE delivered_at IS NULL`);
    await queryRunner.query(`CREATE INDEX program_notification_outbox_by_program ON program_notification_outbox (program_organization_id) WHERE delivered_at IS NULL`);
    await queryRunner.query(`
      CREATE FUNCTION program_notification_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO program_notification_outbox (emergency_access_id, program_organization_id, audit_event_id, occurred_at)
        VALUES (NEW.id, NEW.program_organization_id, NEW.audit_event_id, NEW.occurred_at);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER emergency_access_notify_program AFTER INSERT ON emergency_access
        FOR EACH ROW EXECUTE FUNCTION program_notification_enqueue()`);
    await queryRunner.query(`
      CREATE TABLE program_webhook (
        organization_id uuid PRIMARY KEY REFERENCES organization(id),
        url text NOT NULL CHECK (url ~ '^https?://'),
        secret_enc text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_by text NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE program_webhook');
    await queryRunner.query('DROP TRIGGER emergency_access_notify_program ON emergency_access');
    await queryRunner.query('DROP FUNCTION program_notification_enqueue()');
    await queryRunner.query('DROP TABLE program_notification_outbox');
  }
}
