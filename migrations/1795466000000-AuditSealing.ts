import type { MigrationInterface, QueryRunner } from 'typeorm';

const EVENT_PARAMETERS = `p_action text, p_outcome text, p_actor_sub text, p_actor_org text, p_actor_roles text[], p_actor_name text,
  p_patient_ids uuid[], p_subject_org_keys text[], p_incident_number text, p_purpose text, p_basis text,
  p_consent_ids uuid[], p_disclosed_categories text[], p_policy_version integer, p_policy_rule text,
  p_request_id text, p_details jsonb`;

const INSERT_EVENT = `INSERT INTO audit_event AS e (action, outcome, actor_sub, actor_org, actor_roles, actor_name,
    patient_ids, subject_org_keys, incident_number, purpose, basis, consent_ids, disclosed_categories,
    policy_version, policy_rule, request_id, details)
  VALUES (p_action, p_outcome, p_actor_sub, p_actor_org, p_actor_roles, p_actor_name,
    p_patient_ids, p_subject_org_keys, p_incident_number, p_purpose, p_basis, p_consent_ids, p_disclosed_categories,
    p_policy_version, p_policy_rule, p_request_id, p_details)`;

/**
 * The audit append functions and the signed checkpoints of the sealer (C18).
 *
 * Every append goes through a function that takes the transaction's id (xid) before the event
 * takes its sequence number. The sealer relies on that order: once every transaction that had an
 * xid when it read the sequence's last value has ended, no event with a sequence up to that value
 * can still commit, so the sealer can chain them in sequence order, gaps (rolled-back
 * transactions) included, without making writers wait for each other.
 */
export class AuditSealing1795466000000 implements MigrationInterface {
  name = 'AuditSealing1795466000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION audit_append(${EVENT_PARAMETERS})
      RETURNS TABLE (id uuid, sequence bigint, occurred_at timestamptz)
      LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM pg_current_xact_id();
        RETURN QUERY ${INSERT_EVENT} RETURNING e.id, e.sequence, e.occurred_at;
      END $$`);

    // The responder lookup's append: the per-person rate limit counted under a lock (a fresh
    // snapshot, so parallel requests count exactly), then the event, or past the limit a
    // RATE_LIMITED event stripped of any disclosure. One statement, its own transaction.
    await queryRunner.query(`
      CREATE FUNCTION audit_append_rate_limited(rate_limit integer, window_seconds integer, ${EVENT_PARAMETERS})
      RETURNS TABLE (id uuid, sequence bigint, occurred_at timestamptz, rate_limited boolean)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        used integer;
      BEGIN
        PERFORM pg_current_xact_id();
        PERFORM pg_advisory_xact_lock(hashtext('rate-limit:' || p_action || ':' || p_actor_sub));
        SELECT count(*) INTO used FROM audit_event e
          WHERE e.actor_sub = p_actor_sub AND e.action = p_action AND e.outcome <> 'RATE_LIMITED'
            AND e.occurred_at > now() - make_interval(secs => window_seconds);
        IF used >= rate_limit THEN
          RETURN QUERY INSERT INTO audit_event AS e (action, outcome, actor_sub, actor_org, actor_roles, actor_name,
              incident_number, purpose, basis, policy_version, policy_rule, request_id, details)
            VALUES (p_action, 'RATE_LIMITED', p_actor_sub, p_actor_org, p_actor_roles, p_actor_name,
              p_incident_number, p_purpose, p_basis, p_policy_version, p_policy_rule, p_request_id,
              jsonb_build_object('limit', rate_limit, 'windowSeconds', window_seconds))
            RETURNING e.id, e.sequence, e.occurred_at, true;
        ELSE
          RETURN QUERY ${INSERT_EVENT} RETURNING e.id, e.sequence, e.occurred_at, false;
        END IF;
      END $$`);

    await queryRunner.query(`
      CREATE TABLE audit_checkpoint (
        checkpoint bigint PRIMARY KEY CHECK (checkpoint > 0),
        first_sequence bigint NOT NULL,
        last_sequence bigint NOT NULL CHECK (last_sequence >= first_sequence),
        event_count integer NOT NULL CHECK (event_count >= 0),
        previous_head text NOT NULL,
        head text NOT NULL,
        sealed_at timestamptz NOT NULL,
        key_id text NOT NULL,
        jws text NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX audit_checkpoint_by_last_sequence ON audit_checkpoint (last_sequence)`);
    await queryRunner.query(`
      CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`);
  }

  async down(): Promise<void> {
    throw new Error('AuditSealing cannot be reverted: checkpoints are part of the audit record (C18, C20)');
  }
}
