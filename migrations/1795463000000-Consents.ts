import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 42 CFR Part 2 consents (C4-C7). A consent row holds every §2.31(a) element and is never
 * changed: a change is a new row that supersedes it (same lineage), a revocation is a row of its
 * own. Status is computed at read time, never stored. Triggers refuse UPDATE and DELETE.
 */
export class Consents1795463000000 implements MigrationInterface {
  name = 'Consents1795463000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE consent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        lineage_id uuid NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        supersedes_consent_id uuid UNIQUE REFERENCES consent(id),
        patient_id uuid NOT NULL REFERENCES patient(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        purpose text NOT NULL CHECK (purpose IN ('CRISIS_RESPONSE', 'CARE_COORDINATION')),
        data_categories text[] NOT NULL CHECK (
          cardinality(data_categories) > 0
          AND data_categories <@ ARRAY['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES']::text[]),
        effective_from timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        expiration_event text,
        signer_name_enc text NOT NULL,
        signer_relationship text NOT NULL CHECK (signer_relationship IN
          ('SELF', 'PARENT', 'GUARDIAN', 'HEALTH_CARE_PROXY', 'PERSONAL_REPRESENTATIVE')),
        signed_at timestamptz NOT NULL,
        ack_right_to_revoke boolean NOT NULL CHECK (ack_right_to_revoke),
        ack_treatment_not_conditioned boolean NOT NULL CHECK (ack_treatment_not_conditioned),
        ack_redisclosure_restricted boolean NOT NULL CHECK (ack_redisclosure_restricted),
        scope_description_enc text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        recorded_by text NOT NULL,
        CHECK (expires_at > effective_from),
        UNIQUE (lineage_id, version)
      )`);
    await queryRunner.query(`CREATE INDEX consent_by_patient ON consent (patient_id, recorded_at)`);
    await queryRunner.query(`
      CREATE TABLE consent_recipient (
        consent_id uuid NOT NULL REFERENCES consent(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        PRIMARY KEY (consent_id, organization_id)
      )`);
    await queryRunner.query(`CREATE INDEX consent_recipient_by_organization ON consent_recipient (organization_id)`);
    await queryRunner.query(`
      CREATE TABLE consent_revocation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        consent_id uuid NOT NULL REFERENCES consent(id),
        whole boolean NOT NULL,
        method text NOT NULL CHECK (method IN ('WRITTEN', 'ELECTRONIC')),
        received_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        recorded_by text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX consent_revocation_by_consent ON consent_revocation (consent_id)`);
    await queryRunner.query(`
      CREATE TABLE consent_revocation_recipient (
        revocation_id uuid NOT NULL REFERENCES consent_revocation(id),
        consent_id uuid NOT NULL REFERENCES consent(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        PRIMARY KEY (revocation_id, organization_id),
        FOREIGN KEY (consent_id, organization_id) REFERENCES consent_recipient (consent_id, organization_id)
      )`);
    // C7: consents and revocations are never edited or removed (kept six years after they last were in effect).
    await queryRunner.query(`
      CREATE FUNCTION consent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'consent records are immutable: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['consent', 'consent_recipient', 'consent_revocation', 'consent_revocation_recipient']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_immutable BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION consent_refuse_change()`);
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION consent_refuse_change()`);
    }
  }

  async down(): Promise<void> {
    throw new Error('Consents cannot be reverted: consent records are kept six years (C7)');
  }
}
