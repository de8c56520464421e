import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deactivated organisation is no one's partner (issue 15 review). An agreement is in force only
 * while both its sides are active at the moment asked: a deactivated provider's program is closed
 * (its care-team numbers are stale, and a responder in crisis must not be sent to them), and a
 * deactivated agency's people cannot sign in. Redefining the one definition of "in force" moves
 * every reader at once — consent gate, lookup, referrals, outcomes, status — by the database clock.
 */
export class DeactivationEndsPartnerships1795469700000 implements MigrationInterface {
  name = 'DeactivationEndsPartnerships1795469700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION partnership_agreement_in_force(a partnership_agreement, at timestamptz) RETURNS boolean
      LANGUAGE sql STABLE AS $$
        SELECT a.accepted_at IS NOT NULL AND a.accepted_at <= at
           AND a.effective_from <= at
           AND (a.expires_at IS NULL OR at < a.expires_at)
           AND (a.ended_at IS NULL OR at < a.ended_at)
           AND NOT EXISTS (
             SELECT 1 FROM organization o
              WHERE o.id IN (a.provider_org_id, a.agency_org_id)
                AND o.deactivated_at IS NOT NULL AND o.deactivated_at <= at)
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION partnership_agreement_in_force(a partnership_agreement, at timestamptz) RETURNS boolean
      LANGUAGE sql STABLE AS $$
        SELECT a.accepted_at IS NOT NULL AND a.accepted_at <= at
           AND a.effective_from <= at
           AND (a.expires_at IS NULL OR at < a.expires_at)
           AND (a.ended_at IS NULL OR at < a.ended_at)
      $$`);
  }
}
