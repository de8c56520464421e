import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partnerships: a responder agency's type, and the signed agreements (MOU, data-sharing agreement,
 * QSOA) between a treatment provider and a responder agency that gate sharing between them.
 *
 * An agreement is proposed by one side's admin, accepted by the other side's, and may be ended by
 * either. Whether it is in force is decided at the moment of the question, never stored:
 * `partnership_in_force(provider, agency, at)` is the one definition every reader uses (consent
 * recipients, the responder lookup, referrals, the accounting of disclosures).
 */
export class Partnerships1795469000000 implements MigrationInterface {
  name = 'Partnerships1795469000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE organization ADD COLUMN agency_type text
        CHECK (agency_type IN ('LAW_ENFORCEMENT', 'MOBILE_CRISIS', 'EMS', 'FIRE', 'CO_RESPONDER', 'PEER_SUPPORT', 'OTHER'))`);
    await queryRunner.query(`UPDATE organization SET agency_type = 'OTHER' WHERE kind = 'RESPONDER_AGENCY'`);
    // A responder agency whose type is not given is OTHER; only responder agencies have a type.
    await queryRunner.query(`
      CREATE FUNCTION organization_default_agency_type() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.kind = 'RESPONDER_AGENCY' AND NEW.agency_type IS NULL THEN
          NEW.agency_type := 'OTHER';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER organization_default_agency_type BEFORE INSERT OR UPDATE ON organization
        FOR EACH ROW EXECUTE FUNCTION organization_default_agency_type()`);
    await queryRunner.query(`
      ALTER TABLE organization ADD CONSTRAINT organization_agency_type_for_agencies
        CHECK ((kind = 'RESPONDER_AGENCY') = (agency_type IS NOT NULL))`);

    await queryRunner.query(`
      CREATE TABLE partnership_agreement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_org_id uuid NOT NULL REFERENCES organization(id),
        agency_org_id uuid NOT NULL REFERENCES organization(id),
        kind text NOT NULL CHECK (kind IN ('MOU', 'DATA_SHARING_AGREEMENT', 'QSOA')),
        effective_from timestamptz NOT NULL,
        expires_at timestamptz,
        document_reference text NOT NULL,
        document_sha256 text NOT NULL CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
        signatories text[] NOT NULL,
        proposed_by_org_id uuid NOT NULL REFERENCES organization(id),
        proposed_by text NOT NULL,
        proposed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        accepted_by text,
        accepted_at timestamptz,
        ended_by text,
        ended_at timestamptz,
        CHECK (proposed_by_org_id IN (provider_org_id, agency_org_id)),
        CHECK (expires_at IS NULL OR expires_at > effective_from),
        CHECK ((accepted_by IS NULL) = (accepted_at IS NULL)),
        CHECK ((ended_by IS NULL) = (ended_at IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX partnership_agreement_by_pair ON partnership_agreement (provider_org_id, agency_org_id)`);
    await queryRunner.query(`CREATE INDEX partnership_agreement_by_agency ON partnership_agreement (agency_org_id)`);

    // The one definition of "in force at a moment", for one agreement: accepted, begun, not
    // expired, not ended. Everything else (the pair's question, which agreement, the status a
    // client sees) is built on it, so the rule cannot drift between readers.
    await queryRunner.query(`
      CREATE FUNCTION partnership_agreement_in_force(a partnership_agreement, at timestamptz) RETURNS boolean
      LANGUAGE sql STABLE AS $$
        SELECT a.accepted_at IS NOT NULL AND a.accepted_at <= at
           AND a.effective_from <= at
           AND (a.expires_at IS NULL OR at < a.expires_at)
           AND (a.ended_at IS NULL OR at < a.ended_at)
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION partnership_in_force(provider uuid, agency uuid, at timestamptz) RETURNS boolean
      LANGUAGE sql STABLE AS $$
        SELECT EXISTS (
          SELECT 1 FROM partnership_agreement a
           WHERE a.provider_org_id = provider AND a.agency_org_id = agency
             AND partnership_agreement_in_force(a, at))
      $$`);
    // Which agreement a disclosure rests on (the accounting names it): the latest accepted of
    // those in force, null when none is.
    await queryRunner.query(`
      CREATE FUNCTION partnership_in_force_agreement(provider uuid, agency uuid, at timestamptz) RETURNS uuid
      LANGUAGE sql STABLE AS $$
        SELECT a.id FROM partnership_agreement a
         WHERE a.provider_org_id = provider AND a.agency_org_id = agency
           AND partnership_agreement_in_force(a, at)
         ORDER BY a.accepted_at DESC, a.id LIMIT 1
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION partnership_in_force_agreement(uuid, uuid, timestamptz)`);
    await queryRunner.query(`DROP FUNCTION partnership_in_force(uuid, uuid, timestamptz)`);
    await queryRunner.query(`DROP FUNCTION partnership_agreement_in_force(partnership_agreement, timestamptz)`);
    await queryRunner.query(`DROP TABLE partnership_agreement`);
    await queryRunner.query(`ALTER TABLE organization DROP CONSTRAINT organization_agency_type_for_agencies`);
    await queryRunner.query(`DROP TRIGGER organization_default_agency_type ON organization`);
    await queryRunner.query(`DROP FUNCTION organization_default_agency_type()`);
    await queryRunner.query(`ALTER TABLE organization DROP COLUMN agency_type`);
  }
}
