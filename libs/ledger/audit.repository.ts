import { Injectable } from '@nestjs/common';
import type { ScopedTx, ScopeColumns } from '@libs/database/data-access.js';
import { isUuid, Keyset, type KeysetPage, pageOf, type Sql, utcMicroseconds } from '@libs/database/sql.js';
import type { SealableEvent } from './audit-chain.js';
import type { AppendedAuditEvent, AuditActor, AuditEventInput, AuditOutcome } from './audit-event.js';
import type { AuditIntegrity } from './audit-integrity.js';

// ---- Appends ---------------------------------------------------------------------------------

/** The arguments of audit_append and audit_append_rate_limited after their own, in order. */
function eventParameters(actor: AuditActor, event: AuditEventInput): unknown[] {
  return [
    event.action,
    event.outcome,
    actor.sub,
    actor.organizationKey,
    actor.roles,
    actor.name,
    event.patientIds ?? [],
    event.subjectOrganizationKeys ?? [],
    event.incidentNumber ?? null,
    event.purpose ?? null,
    event.basis ?? null,
    event.consentIds ?? [],
    event.disclosedCategories ?? [],
    actor.policyVersion,
    actor.policyRule,
    actor.requestId,
    event.details ?? {},
  ];
}

/** What audit_append returns. */
interface AppendedRow {
  id: string;
  sequence: string;
  occurred_at: Date;
}

/** audit_append takes the transaction's id before the sequence (migration AuditSealing; docs/audit.md). */
const APPEND_SQL = `SELECT * FROM audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`;

/** audit_append_rate_limited (migration AuditSealing): the count and the append in one statement, under a per-person lock. */
const APPEND_WITHIN_LIMIT_SQL = `SELECT * FROM audit_append_rate_limited($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`;

const RETRY_AFTER_SQL = `
SELECT GREATEST(1, CEIL(EXTRACT(EPOCH FROM (e.occurred_at + make_interval(secs => $3) - now()))))::int AS seconds
FROM audit_event e
WHERE e.actor_sub = $1 AND e.action = $2 AND e.outcome <> 'RATE_LIMITED' AND e.occurred_at > now() - make_interval(secs => $3)
ORDER BY e.occurred_at DESC OFFSET $4 LIMIT 1`;

// ---- The review: events as compliance officers read them --------------------------------------

/** Where each AuditEvent policy condition lives. */
const AUDIT_EVENT_COLUMNS: ScopeColumns = {
  actorOrganizationKey: 'e.actor_org',
  subjectOrganizationKeys: { arrayContains: 'e.subject_org_keys' },
};

/**
 * An audit event as compliance officers read it (REVIEW_SELECT's row): the columns the ledger
 * hashes, under the names of the review's filter and the GraphQL contract, the time as a Date
 * and as microsecond text for keyset paging.
 */
export type AuditRecord = Omit<SealableEvent, 'occurredAt' | 'outcome' | 'actorSub' | 'actorOrg' | 'subjectOrgKeys' | 'details'> & {
  occurredAt: Date;
  sortTime: string;
  outcome: AuditOutcome;
  actorSubject: string;
  actorOrganizationKey: string;
  subjectOrganizationKeys: string[];
  details: Record<string, unknown>;
  /** Whether the row is what the ledger sealed (AuditRowIntegrity); set by the service before it is shown. */
  integrity?: AuditIntegrity;
};

/**
 * The row in the form it is hashed in (docs/audit.md): the review reads every column, with the
 * time at microseconds (`sortTime`), so its integrity is checked without reading it again.
 */
export function sealableEventOf(record: AuditRecord): SealableEvent {
  return {
    sequence: record.sequence,
    id: record.id,
    occurredAt: record.sortTime,
    action: record.action,
    outcome: record.outcome,
    actorSub: record.actorSubject,
    actorOrg: record.actorOrganizationKey,
    actorRoles: record.actorRoles,
    actorName: record.actorName,
    patientIds: record.patientIds,
    subjectOrgKeys: record.subjectOrganizationKeys,
    incidentNumber: record.incidentNumber,
    purpose: record.purpose,
    basis: record.basis,
    consentIds: record.consentIds,
    disclosedCategories: record.disclosedCategories,
    policyVersion: record.policyVersion,
    policyRule: record.policyRule,
    requestId: record.requestId,
    details: record.details,
  };
}

/** Newest first, by time, then sequence. */
const REVIEW_ORDER = new Keyset('e.occurred_at', 'e.sequence', 'bigint', 'DESC');

const REVIEW_SELECT = `SELECT e.id::text AS id, e.sequence::text AS sequence, e.occurred_at AS "occurredAt", ${REVIEW_ORDER.cursorColumn('"sortTime"')},
  e.action, e.outcome, e.actor_sub AS "actorSubject", e.actor_org AS "actorOrganizationKey", e.actor_roles AS "actorRoles",
  e.actor_name AS "actorName", e.patient_ids::text[] AS "patientIds", e.subject_org_keys AS "subjectOrganizationKeys",
  e.incident_number AS "incidentNumber", e.purpose, e.basis, e.consent_ids::text[] AS "consentIds",
  e.disclosed_categories AS "disclosedCategories", e.policy_version AS "policyVersion", e.policy_rule AS "policyRule",
  e.request_id AS "requestId", e.details
FROM audit_event e`;

export interface AuditFilter {
  from?: Date | null;
  to?: Date | null;
  action?: string | null;
  outcome?: string | null;
  actorSubject?: string | null;
  actorOrganizationKey?: string | null;
  patientId?: string | null;
  incidentNumber?: string | null;
}

/** Each filter field and its condition, `$` standing for its parameter. */
const FILTER_CONDITIONS: { [K in keyof Required<AuditFilter>]: string } = {
  from: 'e.occurred_at >= $',
  to: 'e.occurred_at < $',
  action: 'e.action = $',
  outcome: 'e.outcome = $',
  actorSubject: 'e.actor_sub = $',
  actorOrganizationKey: 'e.actor_org = $',
  // A patient's events are those of every record that answers as it: merged ones too (audit rows are never rewritten).
  patientId: 'e.patient_ids && patient_family($::uuid)',
  incidentNumber: 'e.incident_number = $',
};

// ---- The sealed ledger: events as hashed, checkpoints -----------------------------------------

/**
 * An audit event as SEALABLE_EVENTS_SQL reads it: every column as text, so that no driver parses
 * (and reshapes) a value before it is hashed. Arrays are PostgreSQL's JSON text of the array
 * (`to_json`: `["a","b"]`, `[]`), `details` is the jsonb's text, `policyVersion` decimal text.
 */
export type StoredEvent = {
  [K in keyof SealableEvent]: K extends 'details' ? string : SealableEvent[K] extends string[] ? string : SealableEvent[K] extends number | null ? string | null : SealableEvent[K];
};

/**
 * Selects events in the form they are hashed in (docs/audit.md gives this query): times UTC with
 * microseconds, ids and sequences as text, arrays as JSON text. `to_json` of a text escapes
 * exactly as JSON.stringify does (quote, backslash, b f n r t, other control characters as
 * lower-case u00xx escapes; nothing else), so the arrays are already canonical. Read by the
 * sealer, the service's verifier, the offline command and its workers.
 */
export const SEALABLE_EVENTS_SQL = `
SELECT e.sequence::text AS "sequence", e.id::text AS "id",
  ${utcMicroseconds('e.occurred_at')} AS "occurredAt",
  e.action AS "action", e.outcome AS "outcome", e.actor_sub AS "actorSub", e.actor_org AS "actorOrg",
  to_json(e.actor_roles)::text AS "actorRoles", e.actor_name AS "actorName",
  to_json(e.patient_ids)::text AS "patientIds", to_json(e.subject_org_keys)::text AS "subjectOrgKeys",
  e.incident_number AS "incidentNumber", e.purpose AS "purpose", e.basis AS "basis",
  to_json(e.consent_ids)::text AS "consentIds", to_json(e.disclosed_categories)::text AS "disclosedCategories",
  e.policy_version::text AS "policyVersion", e.policy_rule AS "policyRule", e.request_id AS "requestId",
  e.details::text AS "details"
FROM audit_event e
WHERE e.sequence BETWEEN $1 AND $2
ORDER BY e.sequence`;

/** A signed checkpoint as CHECKPOINT_SELECT reads it. */
export interface CheckpointRow {
  checkpoint: string;
  first_sequence: string;
  last_sequence: string;
  event_count: number;
  previous_head: string;
  head: string;
  sealed_at: Date;
  key_id: string;
  jws: string;
}

const CHECKPOINT_SELECT = `SELECT c.checkpoint::text, c.first_sequence::text, c.last_sequence::text, c.event_count, c.previous_head, c.head, c.sealed_at, c.key_id, c.jws
FROM audit_checkpoint c`;

export interface NewCheckpoint {
  checkpoint: number;
  firstSequence: string;
  lastSequence: string;
  eventCount: number;
  previousHead: string;
  head: string;
  sealedAt: string;
  keyId: string;
  jws: string;
}

/** `xid` (32 bits) precedes the xid8 `$1`: (low 32 bits of $1 - xid) mod 2^32 in [1, 2^31). */
const PRECEDES = (xid: string) => `((($1::xid8::text::bigint % 4294967296) - ${xid}::text::bigint + 4294967296) % 4294967296) BETWEEN 1 AND 2147483647`;

const HORIZON_OF_THIS_DATABASE_SQL = `
SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8
  OR (NOT EXISTS (
        SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
          AND a.datid = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
          AND ${PRECEDES('l.transactionid')})
      AND NOT EXISTS (
        SELECT 1 FROM pg_prepared_xacts p WHERE p.database = current_database() AND ${PRECEDES('p.transaction')})) AS ended`;

const SEALING_LAG_SQL = `
WITH last AS (SELECT c.checkpoint, c.last_sequence FROM audit_checkpoint c ORDER BY c.checkpoint DESC LIMIT 1)
SELECT (SELECT checkpoint::text FROM last) AS checkpoint, (SELECT last_sequence::text FROM last) AS sealed_through,
       count(*)::int AS unsealed, EXTRACT(EPOCH FROM clock_timestamp() - min(e.occurred_at))::float8 AS lag
FROM audit_event e WHERE e.sequence > COALESCE((SELECT last_sequence FROM last), 0)`;

/**
 * Every statement on the audit tables (audit_event, its partitions, audit_checkpoint): the appends
 * of every operation, the compliance officers' review, and the sealed ledger the sealer, the
 * verifiers and the offline tools read. Inserts only: the tables refuse UPDATE, DELETE and
 * TRUNCATE (C18). Stateless: each method runs on the connection it is given.
 */
@Injectable()
export class AuditRepository {
  /** Appends one event in the transaction of `db`; its actor is whoever `db` acts for. */
  async append(db: ScopedTx, event: AuditEventInput): Promise<AppendedAuditEvent> {
    const [row] = await db.prepared<AppendedRow>('audit-event-append', APPEND_SQL, eventParameters(db.auditActor, event));
    return { id: row.id, sequence: String(row.sequence), occurredAt: row.occurred_at };
  }

  /**
   * Appends the event unless its actor has reached `attempts` at this action in the last
   * `windowSeconds`, in which case a RATE_LIMITED event without any disclosure is appended
   * instead. One statement, counted exactly under parallel requests (a per-person lock).
   */
  async appendWithinLimit(db: ScopedTx, event: AuditEventInput, attempts: number, windowSeconds: number): Promise<AppendedAuditEvent & { rateLimited: boolean }> {
    const [row] = await db.prepared<AppendedRow & { rate_limited: boolean }>(
      'audit-event-append-within-limit',
      APPEND_WITHIN_LIMIT_SQL,
      [attempts, windowSeconds, ...eventParameters(db.auditActor, event)],
    );
    return { id: row.id, sequence: String(row.sequence), occurredAt: row.occurred_at, rateLimited: row.rate_limited };
  }

  /**
   * Seconds until `sub` may `action` again under a limit of `attempts` in `windowSeconds`: when
   * the `attempts`-th newest counted attempt (as audit_append_rate_limited counts them) leaves the
   * sliding window.
   */
  async retryAfterSeconds(db: Sql, sub: string, action: string, attempts: number, windowSeconds: number): Promise<number> {
    const rows = await db.query<{ seconds: number | null }>(RETRY_AFTER_SQL, [sub, action, windowSeconds, attempts - 1]);
    return rows[0]?.seconds ?? 1;
  }

  /** Creates the monthly partitions from `firstOffset` to `lastOffset` months from now; how many were new. */
  async ensurePartitions(db: Sql, firstOffset: number, lastOffset: number): Promise<number> {
    const rows = await db.query<{ created: number }>('SELECT audit_event_ensure_partitions($1, $2) AS created', [firstOffset, lastOffset]);
    return rows[0].created;
  }

  /** One page of the events `db` may read, filtered, newest first. */
  async page(db: ScopedTx, filter: AuditFilter, limit: number, after: readonly [string, string] | null): Promise<KeysetPage<AuditRecord>> {
    const scope = db.rowsWhere('AuditEvent.read', AUDIT_EVENT_COLUMNS);
    const params: unknown[] = [...scope.params];
    const where: string[] = [`(${scope.sql})`];
    for (const [field, condition] of Object.entries(FILTER_CONDITIONS) as Array<[keyof AuditFilter, string]>) {
      const value = filter[field];
      if (!value) continue;
      params.push(value);
      where.push(condition.replace('$', `$${params.length}`));
    }
    const keyset = REVIEW_ORDER.after(after, params);
    if (keyset) where.push(keyset);
    // A patient's events are few and sit anywhere in time: find them through the GIN index first,
    // rather than let the planner walk the time index backwards through every partition.
    const query = filter.patientId
      ? `WITH matching AS MATERIALIZED (${REVIEW_SELECT} WHERE ${where.join(' AND ')})
         SELECT * FROM matching ${REVIEW_ORDER.orderAndLimit(limit, params, ['"occurredAt"', 'sequence::bigint'])}`
      : `${REVIEW_SELECT} WHERE ${where.join(' AND ')} ${REVIEW_ORDER.orderAndLimit(limit, params)}`;
    return pageOf(await db.query<AuditRecord>(query, params), limit);
  }

  /** The event with this id if `db` may read it; null otherwise, as for an unknown id. */
  async findById(db: ScopedTx, id: string): Promise<AuditRecord | null> {
    if (!isUuid(id)) return null;
    const scope = db.rowsWhere('AuditEvent.read', AUDIT_EVENT_COLUMNS);
    const rows = await db.query<AuditRecord>(`${REVIEW_SELECT} WHERE (${scope.sql}) AND e.id = $${scope.params.length + 1}::uuid`, [...scope.params, id]);
    return rows[0] ?? null;
  }

  /**
   * The disclosures of a patient (by consent and in emergencies), under any record merged into it
   * too, oldest first, in [from, to).
   * The caller is authorised for the patient, not for the events: `patientId` must come from a
   * scoped read of the patient (PatientsRepository.findById with `Disclosure.read`).
   */
  disclosuresOf(db: Sql, patientId: string, actions: readonly string[], from: Date, to: Date): Promise<AuditRecord[]> {
    return db.query<AuditRecord>(
      `WITH matching AS MATERIALIZED (
         ${REVIEW_SELECT} WHERE e.patient_ids && patient_family($1::uuid) AND e.outcome = 'DISCLOSED'
           AND e.action = ANY($2::text[]) AND e.occurred_at >= $3 AND e.occurred_at < $4)
       SELECT * FROM matching ORDER BY "occurredAt", sequence::bigint`,
      [patientId, actions, from, to],
    );
  }

  /**
   * An agency's lookups per month (UTC, `YYYY-MM`) in [from, to): how many were answered and how
   * many found information (DISCLOSED), counted from the audit log itself. Scoped by
   * `AgencyReport.read` on the acting organisation: counts only, never an event (docs/partnerships.md).
   */
  async lookupsByMonth(db: ScopedTx, actions: readonly string[], from: Date, to: Date): Promise<Array<{ month: string; made: number; withInformation: number }>> {
    const scope = db.rowsWhere('AgencyReport.read', { organizationKey: 'e.actor_org' });
    const n = scope.params.length;
    return db.query(
      `SELECT to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::int AS made,
         (count(*) FILTER (WHERE e.outcome = 'DISCLOSED'))::int AS "withInformation"
       FROM audit_event e
       WHERE (${scope.sql}) AND e.action = ANY($${n + 1}::text[]) AND e.outcome IN ('DISCLOSED', 'NOT_DISCLOSED')
         AND e.occurred_at >= $${n + 2} AND e.occurred_at < $${n + 3}
       GROUP BY 1 ORDER BY 1`,
      [...scope.params, actions, from, to],
    );
  }

  /** Events `first` to `last` as they are hashed (SEALABLE_EVENTS_SQL). */
  sealableEvents(db: Sql, first: bigint, last: bigint): Promise<StoredEvent[]> {
    return db.query<StoredEvent>(SEALABLE_EVENTS_SQL, [first.toString(), last.toString()]);
  }

  /** The checkpoints with these numbers (at most one each: the number is the primary key). */
  async checkpointsByNumber(db: Sql, numbers: number[]): Promise<CheckpointRow[]> {
    if (numbers.length === 0) return [];
    return db.query<CheckpointRow>(`${CHECKPOINT_SELECT} WHERE c.checkpoint = ANY($1::bigint[]) ORDER BY c.checkpoint`, [numbers.map(String)]);
  }

  async lastCheckpoint(db: Sql): Promise<CheckpointRow | null> {
    const rows = await db.query<CheckpointRow>(`${CHECKPOINT_SELECT} ORDER BY c.checkpoint DESC LIMIT 1`, []);
    return rows[0] ?? null;
  }

  /** Checkpoints whose ranges meet [from, to], with the one before them (for the chain), in order. */
  checkpoints(db: Sql, from: bigint, to: bigint): Promise<CheckpointRow[]> {
    return db.query<CheckpointRow>(
      // Ordered by the bigint column, not by the text alias of the same name.
      `${CHECKPOINT_SELECT}
       WHERE c.checkpoint >= COALESCE((SELECT max(p.checkpoint) - 1 FROM audit_checkpoint p WHERE p.first_sequence <= $1), 1)
         AND c.first_sequence <= $2
       ORDER BY c.checkpoint`,
      [from.toString(), to.toString()],
    );
  }

  /**
   * For each sequence, the checkpoint that covers it if it is sealed: the one with the smallest
   * last sequence at or above it (one probe of the unique index each). Sequences not sealed yet
   * are absent.
   */
  async checkpointsCovering(db: Sql, sequences: string[]): Promise<Map<string, CheckpointRow>> {
    if (sequences.length === 0) return new Map();
    const rows = await db.query<CheckpointRow & { sequence: string }>(
      `SELECT s.seq::text AS sequence, c.checkpoint::text, c.first_sequence::text, c.last_sequence::text, c.event_count,
         c.previous_head, c.head, c.sealed_at, c.key_id, c.jws
       FROM unnest($1::bigint[]) AS s(seq)
       CROSS JOIN LATERAL (SELECT * FROM audit_checkpoint k WHERE k.last_sequence >= s.seq ORDER BY k.last_sequence LIMIT 1) c`,
      [sequences],
    );
    return new Map(rows.map(({ sequence, ...row }) => [sequence, row]));
  }

  async insertCheckpoint(db: Sql, checkpoint: NewCheckpoint): Promise<void> {
    await db.query(
      `INSERT INTO audit_checkpoint (checkpoint, first_sequence, last_sequence, event_count, previous_head, head, sealed_at, key_id, jws)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [checkpoint.checkpoint, checkpoint.firstSequence, checkpoint.lastSequence, checkpoint.eventCount, checkpoint.previousHead, checkpoint.head, checkpoint.sealedAt, checkpoint.keyId, checkpoint.jws],
    );
  }

  /** Events past the last checkpoint (not sealed yet), and the highest sequence in the log. */
  async unsealed(db: Sql, after: bigint): Promise<{ count: number; maxSequence: string | null }> {
    const rows = await db.query<{ count: number; max: string | null }>('SELECT count(*)::int AS count, max(sequence)::text AS max FROM audit_event WHERE sequence > $1', [after.toString()]);
    return { count: rows[0].count, maxSequence: rows[0].max };
  }

  /**
   * How far sealing is behind: events after the newest checkpoint and the age of the oldest of
   * them, in seconds by the database's clock (0 when every event is sealed).
   */
  async sealingLag(db: Sql): Promise<{ checkpoint: number; sealedThrough: string; unsealedEvents: number; lagSeconds: number }> {
    const [row] = await db.query<{ checkpoint: string | null; sealed_through: string | null; unsealed: number; lag: number | null }>(SEALING_LAG_SQL, []);
    return { checkpoint: Number(row.checkpoint ?? 0), sealedThrough: row.sealed_through ?? '0', unsealedEvents: row.unsealed, lagSeconds: Math.max(0, row.lag ?? 0) };
  }

  /** The sealer's turn: true for the one instance that got the lock, for this transaction. */
  async trySealerLock(db: Sql, key: string): Promise<boolean> {
    const rows = await db.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [key]);
    return rows[0].locked;
  }

  /**
   * Whether every transaction *of this database* with an id below `xmax` has ended: only those
   * can still commit an audit event. Transaction ids are shared by the whole server, so the
   * snapshot's xmin alone (the quick answer) would let an idle transaction in any other database
   * hold sealing back; each transaction holds an exclusive lock on its own id until it ends, and
   * pg_locks (readable by every role) with pg_stat_activity's database says whose it is. Ids are
   * compared modulo 2^32, as PostgreSQL does: a running id is never 2^31 behind the newest.
   */
  async transactionsEndedBefore(db: Sql, xmax: string): Promise<boolean> {
    const rows = await db.query<{ ended: boolean }>(HORIZON_OF_THIS_DATABASE_SQL, [xmax]);
    return rows[0].ended;
  }

  /**
   * The sequence's last value, then a transaction id newer than every id assigned before it.
   * Run outside a transaction: the second statement takes an id of its own, and ids are handed
   * out in increasing order. (A snapshot's xmax would not do: it is one past the highest
   * *completed* id, and a running transaction may hold a higher one.)
   */
  async sequenceAndXmax(db: Sql): Promise<{ lastSequence: bigint; xmax: string }> {
    const [sequence] = await db.query<{ value: string; is_called: boolean }>('SELECT last_value::text AS value, is_called FROM audit_event_sequence_seq', []);
    const [fresh] = await db.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid', []);
    return { lastSequence: sequence.is_called ? BigInt(sequence.value) : 0n, xmax: fresh.xid };
  }

  /** The database's clock, as checkpoints record it. */
  async databaseTime(db: Sql): Promise<string> {
    const rows = await db.query<{ now: string }>(`SELECT ${utcMicroseconds('clock_timestamp()')} AS now`, []);
    return rows[0].now;
  }

  /** The reads the verifier needs, bound to one connection (in the service, offline, in a worker). */
  readerOn(db: Sql): LedgerReader {
    return {
      events: (first, last) => this.sealableEvents(db, first, last),
      checkpoints: (from, to) => this.checkpoints(db, from, to),
      checkpointsByNumber: (numbers) => this.checkpointsByNumber(db, numbers),
      unsealed: (after) => this.unsealed(db, after),
    };
  }
}

/** The sealed ledger as the verifier reads it. */
export interface LedgerReader {
  events(first: bigint, last: bigint): Promise<StoredEvent[]>;
  checkpoints(from: bigint, to: bigint): Promise<CheckpointRow[]>;
  checkpointsByNumber(numbers: number[]): Promise<CheckpointRow[]>;
  unsealed(after: bigint): Promise<{ count: number; maxSequence: string | null }>;
}
