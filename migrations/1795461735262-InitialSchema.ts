import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisations, patients (identifiers encrypted, matched through blind indexes), enrollments,
 * access policies, and the append-only, month-partitioned audit ledger.
 * Written by hand: TypeORM cannot generate triggers or partitions.
 */
export class InitialSchema1795461735262 implements MigrationInterface {
  name = 'InitialSchema1795461735262';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organization (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('RESPONDER_AGENCY', 'TREATMENT_PROVIDER', 'OVERSIGHT')),
        part2_program boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL
      )`);

    // Identifiers are ciphertext (C23); matching uses keyed hashes of their normalised forms.
    await queryRunner.query(`
      CREATE TABLE patient (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organization(id),
        given_name_enc text NOT NULL,
        family_name_enc text NOT NULL,
        date_of_birth_enc text NOT NULL,
        aliases_enc text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX patient_by_organization ON patient (organization_id, created_at, id)`);
    await queryRunner.query(`
      CREATE TABLE patient_match_key (
        match_key text NOT NULL,
        patient_id uuid NOT NULL REFERENCES patient(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        PRIMARY KEY (match_key, patient_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE enrollment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL REFERENCES patient(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        program_name text NOT NULL,
        service_type text NOT NULL CHECK (service_type IN
          ('SUD_TREATMENT', 'OPIOID_TREATMENT', 'MENTAL_HEALTH', 'CASE_MANAGEMENT', 'PEER_RECOVERY')),
        status text NOT NULL CHECK (status IN ('ACTIVE', 'ENDED')),
        started_on date NOT NULL,
        ended_on date CHECK (ended_on IS NULL OR ended_on >= started_on),
        care_team_enc text NOT NULL,
        engagement_notes_enc text,
        sensitivity_labels text[] NOT NULL,
        confidentiality text NOT NULL CHECK (confidentiality IN ('R', 'V')),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        ended_by text
      )`);
    await queryRunner.query(`CREATE INDEX enrollment_by_patient ON enrollment (patient_id)`);

    await queryRunner.query(`
      CREATE TABLE access_policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        role text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        rules jsonb NOT NULL,
        content_hash text NOT NULL,
        source text NOT NULL CHECK (source IN ('DEFAULT', 'PUBLISHED')),
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by text NOT NULL,
        active boolean NOT NULL DEFAULT false,
        UNIQUE (role, version)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX access_policy_one_active_per_role ON access_policy (role) WHERE active`);

    // The audit ledger (C16-C20). The sequence is shared by all partitions; gaps from rolled-back
    // transactions are expected and handled by the sealer.
    await queryRunner.query(`CREATE SEQUENCE audit_event_sequence_seq AS bigint`);
    await queryRunner.query(`
      CREATE TABLE audit_event (
        sequence bigint NOT NULL DEFAULT nextval('audit_event_sequence_seq'),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        action text NOT NULL,
        outcome text NOT NULL,
        actor_sub text NOT NULL,
        actor_org text NOT NULL,
        actor_roles text[] NOT NULL,
        actor_name text,
        patient_ids uuid[] NOT NULL DEFAULT '{}',
        subject_org_keys text[] NOT NULL DEFAULT '{}',
        incident_number text,
        purpose text,
        basis text,
        consent_ids uuid[] NOT NULL DEFAULT '{}',
        disclosed_categories text[] NOT NULL DEFAULT '{}',
        policy_version integer,
        policy_rule text,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (sequence, occurred_at)
      ) PARTITION BY RANGE (occurred_at)`);
    await queryRunner.query(`ALTER SEQUENCE audit_event_sequence_seq OWNED BY audit_event.sequence`);
    await queryRunner.query(`CREATE INDEX audit_event_by_id ON audit_event (id)`);
    await queryRunner.query(`CREATE INDEX audit_event_by_time ON audit_event (occurred_at DESC, sequence DESC)`);
    await queryRunner.query(`CREATE INDEX audit_event_by_actor ON audit_event (actor_sub, occurred_at DESC, sequence DESC)`);
    await queryRunner.query(`CREATE INDEX audit_event_by_patient ON audit_event USING gin (patient_ids)`);

    // C18: the database itself refuses to change or remove an audit record, for every role.
    await queryRunner.query(`
      CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit records are append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`);

    // Monthly partitions, created ahead by the service. Statement triggers are not inherited by
    // partitions, so each new partition gets its own TRUNCATE guard.
    await queryRunner.query(`
      CREATE FUNCTION audit_event_ensure_partitions(first_offset integer, last_offset integer)
      RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        month_start timestamptz;
        month_end timestamptz;
        partition_name text;
        created integer := 0;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('audit_event_ensure_partitions'));
        FOR i IN first_offset..last_offset LOOP
          month_start := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i)) AT TIME ZONE 'UTC';
          month_end := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i + 1)) AT TIME ZONE 'UTC';
          partition_name := 'audit_event_' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
          IF to_regclass(partition_name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)',
              partition_name, month_start, month_end);
            EXECUTE format('CREATE TRIGGER audit_partition_no_truncate BEFORE TRUNCATE ON %I
              FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()', partition_name);
            created := created + 1;
          END IF;
        END LOOP;
        RETURN created;
      END $$`);
    await queryRunner.query(`SELECT audit_event_ensure_partitions(-1, 3)`);
  }

  async down(): Promise<void> {
    // C20: audit data is kept six years; this migration is never rolled back by the application.
    throw new Error('InitialSchema cannot be reverted: it would destroy the audit ledger');
  }
}
