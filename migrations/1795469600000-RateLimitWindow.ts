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
 * The rate limit in constant time, still exact and still counted from the ledger (issue 16).
 *
 * audit_append_rate_limited counted a person's attempts in the window on every lookup: a scan
 * of every event of theirs in the last hour, which grows with their activity (and, for anyone
 * hammering the service, with their refused attempts too). Whether a person is at the limit L
 * needs one fact only: whether their L-th newest counted attempt is still inside the window.
 *
 * So the ledger keeps, for each (person, action) that has been rate limited, the times of their
 * last L counted attempts in a ring (rate_limit_slot, attempt n in slot n mod L) and how many
 * attempts it has recorded (rate_limit_window). A trigger on audit_event writes every counted
 * event (outcome other than RATE_LIMITED, whatever path appended it: refusals count, as they did)
 * into the ring, in the event's own transaction: the ring commits or rolls back with the event.
 * The check reads slot (attempts mod L): the L-th newest attempt. The first check of a person (or
 * a check under a different L) builds the ring from the ledger itself, from their newest L
 * counted attempts in the window: once, bounded by L. Under the per-person advisory lock, as
 * before, parallel requests on any instance count exactly. The ring is derived data, not the
 * audit record: the sealed ledger does not include it (C18).
 */
export class RateLimitWindow1795469600000 implements MigrationInterface {
  name = 'RateLimitWindow1795469600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE rate_limit_window (
        actor_sub text NOT NULL,
        action text NOT NULL,
        window_limit integer NOT NULL CHECK (window_limit > 0),
        attempts bigint NOT NULL CHECK (attempts >= 0),
        PRIMARY KEY (actor_sub, action)
      )`);
    await queryRunner.query(`
      CREATE TABLE rate_limit_slot (
        actor_sub text NOT NULL,
        action text NOT NULL,
        slot integer NOT NULL CHECK (slot >= 0),
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (actor_sub, action, slot)
      )`);

    // Every counted event goes into its person's ring, if they have one (people never rate limited have none).
    await queryRunner.query(`
      CREATE FUNCTION rate_limit_record() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        ring rate_limit_window%ROWTYPE;
      BEGIN
        UPDATE rate_limit_window w SET attempts = w.attempts + 1
          WHERE w.actor_sub = NEW.actor_sub AND w.action = NEW.action RETURNING w.* INTO ring;
        IF FOUND THEN
          INSERT INTO rate_limit_slot AS s (actor_sub, action, slot, occurred_at)
            VALUES (NEW.actor_sub, NEW.action, ((ring.attempts - 1) % ring.window_limit)::integer, NEW.occurred_at)
            ON CONFLICT (actor_sub, action, slot) DO UPDATE SET occurred_at = EXCLUDED.occurred_at;
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_event_rate_limit_ring BEFORE INSERT ON audit_event
        FOR EACH ROW WHEN (NEW.outcome <> 'RATE_LIMITED') EXECUTE FUNCTION rate_limit_record()`);

    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION audit_append_rate_limited(rate_limit integer, window_seconds integer, ${EVENT_PARAMETERS})
      RETURNS TABLE (id uuid, sequence bigint, occurred_at timestamptz, rate_limited boolean)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        ring rate_limit_window%ROWTYPE;
        recorded bigint;
        at_limit boolean;
      BEGIN
        PERFORM pg_current_xact_id();
        PERFORM pg_advisory_xact_lock(hashtext('rate-limit:' || p_action || ':' || p_actor_sub));
        SELECT w.* INTO ring FROM rate_limit_window w WHERE w.actor_sub = p_actor_sub AND w.action = p_action;
        IF NOT FOUND OR ring.window_limit <> rate_limit THEN
          -- The ring built from the ledger: the newest rate_limit counted attempts in the window, oldest first.
          DELETE FROM rate_limit_slot s WHERE s.actor_sub = p_actor_sub AND s.action = p_action;
          INSERT INTO rate_limit_slot (actor_sub, action, slot, occurred_at)
            SELECT p_actor_sub, p_action, (row_number() OVER (ORDER BY t.occurred_at) - 1)::integer, t.occurred_at
            FROM (SELECT e.occurred_at FROM audit_event e
                  WHERE e.actor_sub = p_actor_sub AND e.action = p_action AND e.outcome <> 'RATE_LIMITED'
                    AND e.occurred_at > now() - make_interval(secs => window_seconds)
                  ORDER BY e.occurred_at DESC LIMIT rate_limit) t;
          GET DIAGNOSTICS recorded = ROW_COUNT;
          INSERT INTO rate_limit_window AS w (actor_sub, action, window_limit, attempts) VALUES (p_actor_sub, p_action, rate_limit, recorded)
            ON CONFLICT (actor_sub, action) DO UPDATE SET window_limit = EXCLUDED.window_limit, attempts = EXCLUDED.attempts
            RETURNING w.* INTO ring;
        END IF;
        -- At the limit when the rate_limit-th newest counted attempt is still inside the window.
        at_limit := ring.attempts >= rate_limit AND EXISTS (
          SELECT 1 FROM rate_limit_slot s
          WHERE s.actor_sub = p_actor_sub AND s.action = p_action AND s.slot = (ring.attempts % rate_limit)::integer
            AND s.occurred_at > now() - make_interval(secs => window_seconds));
        IF at_limit THEN
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Back to counting the window on every call (AuditSealing's body).
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION audit_append_rate_limited(rate_limit integer, window_seconds integer, ${EVENT_PARAMETERS})
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
    await queryRunner.query(`DROP TRIGGER audit_event_rate_limit_ring ON audit_event`);
    await queryRunner.query(`DROP FUNCTION rate_limit_record()`);
    await queryRunner.query(`DROP TABLE rate_limit_slot`);
    await queryRunner.query(`DROP TABLE rate_limit_window`);
  }
}
