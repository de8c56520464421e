import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Referrals (deflection) and the feedback loop (issue 15, items 3-5): a responder agency refers a
 * person who agreed to it to a partner treatment provider; the provider accepts (linking a
 * patient of its own) or declines, and records what became of it. The person's identifying
 * fields are ciphertext like a patient's (C3, C23). A consent may now name `REFERRAL_OUTCOME`:
 * the one category under which an outcome goes back to the referring agency (docs/partnerships.md).
 */
export class Referrals1795469100000 implements MigrationInterface {
  name = 'Referrals1795469100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE consent DROP CONSTRAINT consent_data_categories_check`);
    await queryRunner.query(`
      ALTER TABLE consent ADD CONSTRAINT consent_data_categories_check CHECK (
        cardinality(data_categories) > 0
        AND data_categories <@ ARRAY['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES', 'REFERRAL_OUTCOME']::text[])`);

    await queryRunner.query(`
      CREATE TABLE referral (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_org_id uuid NOT NULL REFERENCES organization(id),
        provider_org_id uuid NOT NULL REFERENCES organization(id),
        reason text NOT NULL CHECK (reason IN ('CRISIS', 'OVERDOSE', 'MENTAL_HEALTH', 'SUBSTANCE_USE', 'WELFARE_CHECK', 'HOUSING', 'OTHER')),
        urgency text NOT NULL CHECK (urgency IN ('ROUTINE', 'URGENT', 'EMERGENT')),
        incident_number text NOT NULL,
        given_name_enc text NOT NULL,
        family_name_enc text NOT NULL,
        date_of_birth_enc text,
        callback_phone_enc text,
        note_enc text,
        person_agreed boolean NOT NULL CHECK (person_agreed),
        status text NOT NULL DEFAULT 'RECEIVED' CHECK (status IN ('RECEIVED', 'ACCEPTED', 'DECLINED', 'CLOSED')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        created_by text NOT NULL,
        patient_id uuid REFERENCES patient(id),
        accepted_at timestamptz,
        accepted_by text,
        declined_at timestamptz,
        declined_by text,
        decline_reason text CHECK (decline_reason IN ('NOT_ELIGIBLE', 'NO_CAPACITY', 'OUT_OF_AREA', 'DUPLICATE', 'OTHER')),
        outcome text CHECK (outcome IN ('CONTACTED', 'ENGAGED', 'DECLINED', 'UNABLE_TO_REACH', 'NOT_ELIGIBLE')),
        outcome_occurred_on date,
        outcome_recorded_at timestamptz,
        outcome_recorded_by text,
        CHECK (agency_org_id <> provider_org_id),
        CHECK ((status IN ('ACCEPTED', 'CLOSED')) = (patient_id IS NOT NULL AND accepted_at IS NOT NULL)),
        CHECK ((status = 'DECLINED') = (declined_at IS NOT NULL AND decline_reason IS NOT NULL)),
        CHECK ((status = 'CLOSED') = (outcome IS NOT NULL AND outcome_occurred_on IS NOT NULL AND outcome_recorded_at IS NOT NULL))
      )`);
    // The provider's queue and the agency's list, both newest first.
    await queryRunner.query(`CREATE INDEX referral_by_provider ON referral (provider_org_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX referral_by_agency ON referral (agency_org_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX referral_by_patient ON referral (patient_id) WHERE patient_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE referral`);
    await queryRunner.query(`ALTER TABLE consent DROP CONSTRAINT consent_data_categories_check`);
    await queryRunner.query(`
      ALTER TABLE consent ADD CONSTRAINT consent_data_categories_check CHECK (
        cardinality(data_categories) > 0
        AND data_categories <@ ARRAY['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES']::text[])`);
  }
}
