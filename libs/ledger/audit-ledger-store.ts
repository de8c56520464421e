import { SEALABLE_EVENTS_SQL, type SealableEvent } from './audit-chain.js';

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

  events(first: bigint, last: bigint): Promise<SealableEvent[]> {
    return this.query<SealableEvent>(SEALABLE_EVENTS_SQL, [first.toString(), last.toString()]);
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

  /** Whether every transaction with an id below `xmax` has ended. */
  async transactionsEndedBefore(xmax: string): Promise<boolean> {
    const rows = await this.query<{ ended: boolean }>('SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS ended', [xmax]);
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
}
