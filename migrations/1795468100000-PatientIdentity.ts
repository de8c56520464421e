import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Patient identity a provider can keep right: two records of one person are merged by recording
 * the merge, never by rewriting history. `patient_merge` is append-only; the merged record stays
 * (its id keeps answering as the survivor: `patient_survivor`), its enrollments and consents
 * follow the survivor, and audit rows — never updated — are found through the survivor's family
 * (`patient_family`). A consent row changes in one way only: its patient reference, to the
 * survivor of a recorded merge of its patient (C7 otherwise unchanged).
 */
export class PatientIdentity1795468100000 implements MigrationInterface {
  name = 'PatientIdentity1795468100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE patient_merge (
        merged_id uuid PRIMARY KEY REFERENCES patient(id),
        survivor_id uuid NOT NULL REFERENCES patient(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        merged_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        merged_by text NOT NULL,
        CHECK (merged_id <> survivor_id)
      )`);
    await queryRunner.query(`CREATE INDEX patient_merge_by_survivor ON patient_merge (survivor_id)`);
    await queryRunner.query(`
      CREATE TRIGGER patient_merge_append_only BEFORE UPDATE OR DELETE ON patient_merge
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER patient_merge_no_truncate BEFORE TRUNCATE ON patient_merge
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`);

    // The record an id answers as: itself, or the survivor its merges lead to.
    await queryRunner.query(`
      CREATE FUNCTION patient_survivor(patient uuid) RETURNS uuid LANGUAGE sql STABLE AS $$
        WITH RECURSIVE chain(id, depth) AS (
          SELECT patient, 0
          UNION ALL
          SELECT m.survivor_id, c.depth + 1 FROM patient_merge m JOIN chain c ON m.merged_id = c.id WHERE c.depth < 100
        )
        SELECT id FROM chain ORDER BY depth DESC LIMIT 1
      $$`);
    // Every id that answers as the same record: the survivor and everything merged into it.
    await queryRunner.query(`
      CREATE FUNCTION patient_family(patient uuid) RETURNS uuid[] LANGUAGE sql STABLE AS $$
        WITH RECURSIVE family(id, depth) AS (
          SELECT patient_survivor(patient), 0
          UNION ALL
          SELECT m.merged_id, f.depth + 1 FROM patient_merge m JOIN family f ON m.survivor_id = f.id WHERE f.depth < 100
        )
        SELECT array_agg(id ORDER BY depth, id) FROM family
      $$`);

    // C7: a consent is never changed, but for following its patient to the survivor of a recorded merge.
    await queryRunner.query(`
      CREATE FUNCTION consent_refuse_change_but_merge() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        unchanged consent;
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          unchanged := NEW;
          unchanged.patient_id := OLD.patient_id;
          IF unchanged IS NOT DISTINCT FROM OLD AND NEW.patient_id IS DISTINCT FROM OLD.patient_id
             AND EXISTS (SELECT 1 FROM patient_merge m WHERE m.merged_id = OLD.patient_id AND m.survivor_id = NEW.patient_id) THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION 'consent records are immutable: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`DROP TRIGGER consent_immutable ON consent`);
    await queryRunner.query(`CREATE TRIGGER consent_immutable BEFORE UPDATE OR DELETE ON consent FOR EACH ROW EXECUTE FUNCTION consent_refuse_change_but_merge()`);
  }

  async down(): Promise<void> {
    throw new Error('PatientIdentity cannot be reverted: merges are part of the records (consents and audit reads follow them)');
  }
}
