import { SEALABLE_EVENTS_SQL, type StoredEvent } from './audit-chain.js';

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

/** Runs one SQL statement and returns its rows: a pg client, a pool, or a TypeORM manager. */
export type SqlQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

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

/**
 * All SQL on the sealed ledger (events as hashed, checkpoints), written once for the sealer, the
 * service's verifier and the offline `npm run audit:verify`, which has nothing but a database
 * connection.
 */
export class AuditLedgerStore {
  constructor(private readonly query: SqlQuery) {}

  events(first: bigint, last: bigint): Promise<StoredEvent[]> {
    return this.query<StoredEvent>(SEALABLE_EVENTS_SQL, [first.toString(), last.toString()]);
  }

  /** The checkpoints with these numbers (at most one each: the number is the primary key). */
  checkpointsByNumber(numbers: number[]): Promise<CheckpointRow[]> {
    if (numbers.length === 0) return Promise.resolve([]);
    return this.query<CheckpointRow>(
      `SELECT c.checkpoint::text, c.first_sequence::text, c.last_sequence::text, c.event_count, c.previous_head, c.head, c.sealed_at, c.key_id, c.jws
       FROM audit_checkpoint c WHERE c.checkpoint = ANY($1::bigint[]) ORDER BY c.checkpoint`,
      [numbers.map(String)],
    );
  }

  /**
   * How far sealing is behind: events after the newest checkpoint and the age of the oldest of
   * them, in seconds by the database's clock (0 when every event is sealed).
   */
  async sealingLag(): Promise<{ checkpoint: number; sealedThrough: string; unsealedEvents: number; lagSeconds: number }> {
    const rows = await this.query<{ checkpoint: string | null; sealed_through: string | null; unsealed: number; lag: number | null }>(
      `WITH last AS (SELECT c.checkpoint, c.last_sequence FROM audit_checkpoint c ORDER BY c.checkpoint DESC LIMIT 1)
       SELECT (SELECT checkpoint::text FROM last) AS checkpoint, (SELECT last_sequence::text FROM last) AS sealed_through,
              count(*)::int AS unsealed, EXTRACT(EPOCH FROM clock_timestamp() - min(e.occurred_at))::float8 AS lag
       FROM audit_event e WHERE e.sequence > COALESCE((SELECT last_sequence FROM last), 0)`,
      [],
    );
    const row = rows[0];
    return { checkpoint: Number(row.checkpoint ?? 0), sealedThrough: row.sealed_through ?? '0', unsealedEvents: row.unsealed, lagSeconds: Math.max(0, row.lag ?? 0) };
  }

  async lastCheckpoint(): Promise<CheckpointRow | null> {
    const rows = await this.query<CheckpointRow>(
      `SELECT c.checkpoint::text, c.first_sequence::text, c.last_sequence::text, c.event_count, c.previous_head, c.head, c.sealed_at, c.key_id, c.jws
       FROM audit_checkpoint c ORDER BY c.checkpoint DESC LIMIT 1`,
      [],
    );
    return rows[0] ?? null;
  }

  /** Checkpoints whose ranges meet [from, to], with the one before them (for the chain), in order. */
  checkpoints(from: bigint, to: bigint): Promise<CheckpointRow[]> {
    return this.query<CheckpointRow>(
      // Ordered by the bigint column, not by the text alias of the same name.
      `SELECT c.checkpoint::text, c.first_sequence::text, c.last_sequence::text, c.event_count, c.previous_head, c.head, c.sealed_at, c.key_id, c.jws
       FROM audit_checkpoint c
       WHERE c.checkpoint >= COALESCE((SELECT max(p.checkpoint) - 1 FROM audit_checkpoint p WHERE p.first_sequence <= $1), 1)
         AND c.first_sequence <= $2
       ORDER BY c.checkpoint`,
      [from.toString(), to.toString()],
    );
  }

  /** Events past the last checkpoint (not sealed yet), and the highest sequence in the log. */
  async unsealed(after: bigint): Promise<{ count: number; maxSequence: string | null }> {
    const rows = await this.query<{ count: number; max: string | null }>(
      'SELECT count(*)::int AS count, max(sequence)::text AS max FROM audit_event WHERE sequence > $1',
      [after.toString()],
    );
    return { count: rows[0].count, maxSequence: rows[0].max };
  }

  /** The sealer's turn: true for the one instance that got the lock, for this transaction. */
  async trySealerLock(key: string): Promise<boolean> {
    const rows = await this.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [key]);
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
  async transactionsEndedBefore(xmax: string): Promise<boolean> {
    const rows = await this.query<{ ended: boolean }>(HORIZON_OF_THIS_DATABASE_SQL, [xmax]);
    return rows[0].ended;
  }

  /**
   * The sequence's last value, then a transaction id newer than every id assigned before it.
   * Run outside a transaction: the second statement takes an id of its own, and ids are handed
   * out in increasing order. (A snapshot's xmax would not do: it is one past the highest
   * *completed* id, and a running transaction may hold a higher one.)
   */
  async sequenceAndXmax(): Promise<{ lastSequence: bigint; xmax: string }> {
    const [sequence] = await this.query<{ value: string; is_called: boolean }>('SELECT last_value::text AS value, is_called FROM audit_event_sequence_seq', []);
    const [fresh] = await this.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid', []);
    return { lastSequence: sequence.is_called ? BigInt(sequence.value) : 0n, xmax: fresh.xid };
  }

  async databaseTime(): Promise<string> {
    const rows = await this.query<{ now: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`, []);
    return rows[0].now;
  }

  async insertCheckpoint(checkpoint: {
    checkpoint: number;
    firstSequence: string;
    lastSequence: string;
    eventCount: number;
    previousHead: string;
    head: string;
    sealedAt: string;
    keyId: string;
    jws: string;
  }): Promise<void> {
    await this.query(
      `INSERT INTO audit_checkpoint (checkpoint, first_sequence, last_sequence, event_count, previous_head, head, sealed_at, key_id, jws)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [checkpoint.checkpoint, checkpoint.firstSequence, checkpoint.lastSequence, checkpoint.eventCount, checkpoint.previousHead, checkpoint.head, checkpoint.sealedAt, checkpoint.keyId, checkpoint.jws],
    );
  }

  /**
   * For each sequence, the checkpoint that covers it if it is sealed: the one with the smallest
   * last sequence at or above it (one probe of the unique index each). Sequences not sealed yet
   * are absent.
   */
  async checkpointsCovering(sequences: string[]): Promise<Map<string, CheckpointRow>> {
    if (sequences.length === 0) return new Map();
    const rows = await this.query<CheckpointRow & { sequence: string }>(
      `SELECT s.seq::text AS sequence, c.checkpoint::text, c.first_sequence::text, c.last_sequence::text, c.event_count,
         c.previous_head, c.head, c.sealed_at, c.key_id, c.jws
       FROM unnest($1::bigint[]) AS s(seq)
       CROSS JOIN LATERAL (SELECT * FROM audit_checkpoint k WHERE k.last_sequence >= s.seq ORDER BY k.last_sequence LIMIT 1) c`,
      [sequences],
    );
    return new Map(rows.map(({ sequence, ...row }) => [sequence, row]));
  }
}
