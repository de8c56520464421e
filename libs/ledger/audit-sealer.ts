import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CompactSign } from 'jose';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '@libs/config/app-config.js';
import { describeConnectionLoss, isConnectionLoss } from '@libs/database/connection-loss.js';
import { type AccessScope, DataAccess } from '@libs/database/data-access.js';
import type { Sql } from '@libs/database/sql.js';
import { UnavailableError } from '@libs/graphql/errors.js';
import { type CheckpointPayload, GENESIS_HEAD, nextHead, packDigests, storedEventHash } from './audit-chain.js';
import { AuditRepository, type CheckpointRow } from './audit.repository.js';
import { type CheckpointReceipt, type CheckpointVerifier, checkpointVerifier, extendsHead, payloadSegment } from './audit-receipt.js';
import { AUDIT_SIGNING_KEY, type AuditSigningKey, publicKeySet } from './audit-signing-key.js';
import { checkCheckpointEvents, checkpointPayloadBytes, checkpointRowMatches } from './audit-verifier.js';
import { AUDIT_WITNESSES, type AuditWitness, LogWitness, WitnessConflictError, WitnessUnavailableError } from './audit-witness.js';

/** Any fixed number; the instance holding it seals, the others skip that round. */
const SEALER_LOCK_KEY = '7315402117';
/** At most this many sequences per checkpoint, so that a backlog is sealed in bounded steps. */
const MAX_SEQUENCES_PER_CHECKPOINT = 10_000n;
/** A lagging witness is sent at most this many checkpoints per round. */
const CATCH_UP_PER_ROUND = 1000;
/** Backoff for a witness that does not answer: from one interval (at least this) up to the maximum. */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 60_000;
/** A refusal stays in the log: repeated at most this often while it lasts. */
const REFUSAL_LOG_EVERY_MS = 60_000;

/**
 * A promise to seal: every transaction that could still commit an event with a sequence up to
 * `limit` has a transaction id below `xmax` (an id taken after `limit` was read). Once every
 * transaction of this database below `xmax` has ended, those events are final: committed, or
 * never will be (a gap).
 */
interface SealingHorizon {
  limit: bigint;
  xmax: string;
}

/** Why the sealer will not extend the ledger: the database does not extend what was witnessed. */
export interface LedgerRefusal {
  reason: 'CHECKPOINT_MISSING' | 'HEAD_MISMATCH' | 'CHECKPOINT_SIGNATURE_INVALID' | 'CHECKPOINT_ALTERED';
  /** The checkpoint concerned. */
  checkpoint: number;
  /** The first sequence at which the database no longer holds what was signed and witnessed. */
  sequence: string;
  /** Who holds the evidence: a witness's name, `database` (a checkpoint row itself) or `sealer` (this process saw more). */
  witness: string;
  since: string;
}

export class LedgerRefusedError extends Error {
  constructor(readonly refusal: LedgerRefusal) {
    super(`audit ledger refused (${refusal.reason} at sequence ${refusal.sequence}, checkpoint ${refusal.checkpoint}, evidence: ${refusal.witness})`);
    this.name = 'LedgerRefusedError';
  }
}

/** What readiness and metrics report of the sealer (no PHI: numbers and witness names). */
export interface SealerStatus {
  refusal: LedgerRefusal | null;
  /** A witness that did not answer: the newest checkpoint is not counted as done until it does. */
  witnessFailure: { witness: string; failures: number; since: string; retryAt: string } | null;
}

/**
 * Seals committed audit events into a SHA-256 hash chain with signed checkpoints (C18), and
 * keeps the chain's head outside the database.
 *
 * Every few seconds one instance (a PostgreSQL advisory lock decides which) takes the events
 * after the last checkpoint in sequence order, up to the horizon the previous round promised,
 * hashes each event's canonical JSON into the chain, and stores a checkpoint {range, gaps, event
 * digests, previous head, head} signed as an ES256 JWS with a key that is not in the database.
 *
 * Witnesses: each checkpoint, once committed, goes to every witness (the log, AUDIT_WITNESS_DIR,
 * AUDIT_WITNESS_URL) before it counts as done, and no new one is signed before that. Before it
 * signs, the sealer asks each witness for the newest checkpoint it holds and refuses — error in
 * the log, readiness down — when the database does not hold exactly that checkpoint: someone
 * who can edit the database deleted or replaced checkpoints, and signing now would sign
 * rewritten history with the real key. A witness that does not answer holds the sealing back
 * (retried with backoff), never the writers.
 *
 * Gaps and late commits: an event takes its transaction id before its sequence (audit_append),
 * so reading the sequence's last value and then taking a fresh transaction id gives a horizon:
 * when every transaction of this database below that id has ended, no event up to that value
 * can still commit. Missing sequences below the horizon are rolled back for good and are listed
 * as gaps; an event that commits late behind a sequence another event took is simply not sealed
 * until it is final. Writers never wait for the sealer, nor for each other.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private horizon?: SealingHorizon;
  private running?: Promise<number>;
  private readonly verify: CheckpointVerifier;
  private readonly witnesses: AuditWitness[];
  /** The highest checkpoint this process has seen in the database: it never goes down. */
  private highWater = 0;
  private refusal: LedgerRefusal | null = null;
  private refusalLoggedAt = 0;
  private witnessFailure: SealerStatus['witnessFailure'] = null;
  private retryAt = 0;

  /** The sealer's own act: it reads and writes the ledger whoever asks (C18). */
  private readonly ledger: AccessScope;

  constructor(
    data: DataAccess,
    private readonly audit: AuditRepository,
    @Inject(AUDIT_SIGNING_KEY) private readonly key: AuditSigningKey,
    @Inject(AUDIT_WITNESSES) witnesses: AuditWitness[],
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('AuditSealer');
    this.ledger = data.forSystem('sealAuditLedger');
    this.verify = checkpointVerifier(publicKeySet(key));
    // The log first: it cannot fail, so a checkpoint is in the log even while a witness is down.
    this.witnesses = [new LogWitness((fields, message) => this.logger.info(fields, message)), ...witnesses];
  }

  onApplicationBootstrap(): void {
    const interval = this.config.env.AUDIT_SEAL_INTERVAL_MS;
    if (interval === 0) return;
    this.timer = setInterval(() => {
      this.sealRound().catch((error: unknown) => {
        // A failover or restart skips rounds (warn, codes only, C3); the next round catches up.
        if (error instanceof UnavailableError || isConnectionLoss(error)) this.logger.warn(describeConnectionLoss(error), 'audit sealing round skipped: database unavailable');
        // A refusal is logged where it is found, at error level.
        else if (!(error instanceof LedgerRefusedError)) this.logger.error({ err: error }, 'audit sealing round failed');
      });
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  status(): SealerStatus {
    return { refusal: this.refusal, witnessFailure: this.witnessFailure };
  }

  /**
   * One round: seal what the previous round's horizon allows, then set the next horizon. Returns
   * events sealed; rejects with LedgerRefusedError when the database does not extend the
   * witnessed head.
   */
  sealRound(horizon?: SealingHorizon): Promise<number> {
    this.running ??= this.round(horizon).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Seals every event committed before the call (tests, shutdown, the offline tools). */
  async sealEverythingCommitted(timeoutMs = 15_000): Promise<void> {
    const horizon = await this.ledger.autocommit((db) => this.readHorizon(db));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.running?.catch(() => undefined);
      await this.sealRound(horizon);
      const last = await this.ledger.autocommit((db) => this.audit.lastCheckpoint(db));
      if (BigInt(last?.last_sequence ?? 0) >= horizon.limit && !this.witnessFailure) return;
      if (Date.now() > deadline) {
        throw new Error(
          this.witnessFailure
            ? `audit events could not be sealed in time: witness ${this.witnessFailure.witness} does not answer`
            : 'audit events could not be sealed in time: a transaction has been open too long',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private async round(horizon = this.horizon): Promise<number> {
    let sealed = 0;
    if (Date.now() >= this.retryAt) {
      try {
        // The lock is held by this transaction for the whole round (it takes no transaction id,
        // so it holds back no one's horizon); checkpoints are written on a second connection,
        // each committed on its own, so that each is in the database before a witness gets it.
        let turn = false;
        sealed = await this.ledger.transaction(async (lockTx) => {
          if (!(await this.audit.trySealerLock(lockTx, SEALER_LOCK_KEY))) return 0;
          turn = true;
          return this.ledger.autocommit((db) => this.sealUnderLock(db, horizon));
        });
        if (turn) this.witnessAnswered();
      } catch (error) {
        if (!(error instanceof WitnessUnavailableError)) throw error;
        this.witnessDidNotAnswer(error);
      }
    }
    this.horizon = await this.ledger.autocommit((db) => this.readHorizon(db));
    if (sealed > 0) this.logger.debug({ sealed }, 'audit events sealed');
    return sealed;
  }

  /** Order matters: the sequence's last value first, then the snapshot (see the class comment). */
  private async readHorizon(db: Sql): Promise<SealingHorizon> {
    const { lastSequence, xmax } = await this.audit.sequenceAndXmax(db);
    return { limit: lastSequence, xmax };
  }

  private async sealUnderLock(db: Sql, horizon: SealingHorizon | undefined): Promise<number> {
    let head = await this.databaseHead(db);
    // The witnesses first: their evidence names the sequence that changed.
    const caughtUp = await this.reconcileWitnesses(db, head);
    const seen = head?.payload.checkpoint ?? 0;
    if (seen < this.highWater) {
      // No witness holds more, but this process saw more: checkpoints were deleted since.
      this.refuse({ reason: 'CHECKPOINT_MISSING', checkpoint: seen + 1, sequence: (BigInt(head?.payload.lastSequence ?? 0) + 1n).toString(), witness: 'sealer' });
    }
    this.highWater = seen;
    this.clearRefusal();
    // A witness still being sent older checkpoints gets new ones only after them.
    if (!caughtUp || !horizon || !(await this.audit.transactionsEndedBefore(db, horizon.xmax))) return 0;
    let sealed = 0;
    while (BigInt(head?.payload.lastSequence ?? 0) < horizon.limit) {
      const next = await this.sign(db, head, horizon.limit);
      await this.audit.insertCheckpoint(db, { ...next.payload, keyId: this.key.kid, jws: next.jws });
      this.highWater = next.payload.checkpoint;
      head = next;
      // Done only once every witness holds it; until then nothing more is signed.
      for (const witness of this.witnesses) await this.send(db, witness, next);
      sealed += next.payload.eventCount;
    }
    return sealed;
  }

  /** The newest checkpoint in the database, its signature and columns checked; null when there is none. */
  private async databaseHead(db: Sql): Promise<CheckpointReceipt | null> {
    const row = await this.audit.lastCheckpoint(db);
    return row ? this.checkedRow(row) : null;
  }

  private async checkedRow(row: CheckpointRow): Promise<CheckpointReceipt> {
    let payload: CheckpointPayload;
    try {
      payload = await this.verify(row.jws);
    } catch {
      return this.refuse({ reason: 'CHECKPOINT_SIGNATURE_INVALID', checkpoint: Number(row.checkpoint), sequence: row.first_sequence, witness: 'database' });
    }
    if (!checkpointRowMatches(row, payload)) this.refuse({ reason: 'CHECKPOINT_ALTERED', checkpoint: payload.checkpoint, sequence: payload.firstSequence, witness: 'database' });
    return { jws: row.jws, payload };
  }

  /**
   * Every witness that can say what it holds must hold a checkpoint the database holds too,
   * identical; then it is sent whatever newer checkpoints the database holds (a witness that was
   * down, or new: it starts from the newest). False while one still lags (a long catch-up).
   */
  private async reconcileWitnesses(db: Sql, head: CheckpointReceipt | null): Promise<boolean> {
    let caughtUp = true;
    for (const witness of this.witnesses) {
      if (!witness.holdsHeads) continue;
      const held = await witness.newest();
      if (!held) {
        if (head) await this.send(db, witness, head);
        continue;
      }
      const number = held.payload.checkpoint;
      if (!head || number > head.payload.checkpoint) {
        // The database holds less than was witnessed (the newest checkpoints were deleted).
        // Named at the changed event when the witness's newest is the very next one, else where the database stops.
        const missing = (head?.payload.checkpoint ?? 0) + 1;
        const sequence = number === missing ? await this.firstDifference(db, held.payload) : (BigInt(head?.payload.lastSequence ?? 0) + 1n).toString();
        this.refuse({ reason: 'CHECKPOINT_MISSING', checkpoint: missing, sequence, witness: witness.name });
      }
      let ours = head;
      if (number < head.payload.checkpoint) {
        const [row] = await this.audit.checkpointsByNumber(db, [number]);
        if (!row) this.refuse({ reason: 'CHECKPOINT_MISSING', checkpoint: number, sequence: await this.firstDifference(db, held.payload), witness: witness.name });
        ours = await this.checkedRow(row);
      }
      if (payloadSegment(ours.jws) !== payloadSegment(held.jws)) {
        this.refuse({ reason: 'HEAD_MISMATCH', checkpoint: number, sequence: await this.firstDifference(db, held.payload), witness: witness.name });
      }
      if (!(await this.catchUp(db, witness, ours, head))) caughtUp = false;
    }
    return caughtUp;
  }

  /**
   * Sends a lagging witness the database's checkpoints after `from`, each checked and in order,
   * at most CATCH_UP_PER_ROUND of them; true when it then holds the database's newest.
   */
  private async catchUp(db: Sql, witness: AuditWitness, from: CheckpointReceipt, head: CheckpointReceipt): Promise<boolean> {
    let previous = from;
    const last = Math.min(head.payload.checkpoint, from.payload.checkpoint + CATCH_UP_PER_ROUND);
    for (let number = from.payload.checkpoint + 1; number <= last; number += 100) {
      const numbers = Array.from({ length: Math.min(100, last - number + 1) }, (_, i) => number + i);
      const rows = new Map((await this.audit.checkpointsByNumber(db, numbers)).map((row) => [Number(row.checkpoint), row]));
      for (const n of numbers) {
        const row = rows.get(n);
        if (!row) this.refuse({ reason: 'CHECKPOINT_MISSING', checkpoint: n, sequence: (BigInt(previous.payload.lastSequence) + 1n).toString(), witness: 'database' });
        const next = await this.checkedRow(row);
        if (!extendsHead(next.payload, previous.payload)) {
          this.refuse({ reason: 'CHECKPOINT_MISSING', checkpoint: n, sequence: (BigInt(previous.payload.lastSequence) + 1n).toString(), witness: 'database' });
        }
        await this.send(db, witness, next);
        previous = next;
      }
    }
    return last === head.payload.checkpoint;
  }

  private async send(db: Sql, witness: AuditWitness, receipt: CheckpointReceipt): Promise<void> {
    try {
      await witness.record(receipt);
    } catch (error) {
      if (!(error instanceof WitnessConflictError)) throw error;
      // Someone else wrote to the witness, or it holds another history: never sign past it.
      const held = error.held?.payload;
      this.refuse({
        reason: held && held.checkpoint > receipt.payload.checkpoint ? 'CHECKPOINT_MISSING' : 'HEAD_MISMATCH',
        checkpoint: held?.checkpoint ?? receipt.payload.checkpoint,
        sequence: held ? await this.firstDifference(db, held) : receipt.payload.firstSequence,
        witness: witness.name,
      });
    }
  }

  /** The first sequence of a witnessed checkpoint's range at which the database's events fail it, else its first sequence. */
  private async firstDifference(db: Sql, witnessed: CheckpointPayload): Promise<string> {
    const check = checkCheckpointEvents(witnessed, await this.audit.sealableEvents(db, BigInt(witnessed.firstSequence), BigInt(witnessed.lastSequence)));
    return 'failure' in check ? check.failure.sequence : witnessed.firstSequence;
  }

  private async sign(db: Sql, head: CheckpointReceipt | null, limit: bigint): Promise<CheckpointReceipt> {
    const sealedUpTo = BigInt(head?.payload.lastSequence ?? 0);
    const first = sealedUpTo + 1n;
    const end = limit < sealedUpTo + MAX_SEQUENCES_PER_CHECKPOINT ? limit : sealedUpTo + MAX_SEQUENCES_PER_CHECKPOINT;
    const events = await this.audit.sealableEvents(db, first, end);
    const present = new Set(events.map((e) => e.sequence));
    const gaps: string[] = [];
    for (let s = first; s <= end; s++) if (!present.has(s.toString())) gaps.push(s.toString());
    const previousHead = head?.payload.head ?? GENESIS_HEAD;
    const hashes = events.map((event) => storedEventHash(event));
    let chained = previousHead;
    for (const hash of hashes) chained = nextHead(chained, hash);
    const payload: CheckpointPayload = {
      v: 1,
      checkpoint: (head?.payload.checkpoint ?? 0) + 1,
      firstSequence: first.toString(),
      lastSequence: end.toString(),
      eventCount: events.length,
      gaps,
      digests: packDigests(hashes),
      previousHead,
      head: chained,
      sealedAt: await this.audit.databaseTime(db),
    };
    const jws = await new CompactSign(checkpointPayloadBytes(payload)).setProtectedHeader({ alg: 'ES256', kid: this.key.kid, typ: 'audit-checkpoint+jws' }).sign(this.key.privateKey);
    return { jws, payload };
  }

  private refuse(refusal: Omit<LedgerRefusal, 'since'>): never {
    const same = this.refusal && this.refusal.reason === refusal.reason && this.refusal.checkpoint === refusal.checkpoint && this.refusal.sequence === refusal.sequence;
    const current: LedgerRefusal = { ...refusal, since: same ? this.refusal!.since : new Date().toISOString() };
    this.refusal = current;
    if (!same || Date.now() - this.refusalLoggedAt >= REFUSAL_LOG_EVERY_MS) {
      this.refusalLoggedAt = Date.now();
      this.logger.error(
        { auditLedgerRefusal: current },
        'audit ledger: the database does not extend the witnessed head (checkpoints removed or replaced); sealing stopped, nothing will be signed until it does (C18)',
      );
    }
    throw new LedgerRefusedError(current);
  }

  private clearRefusal(): void {
    if (!this.refusal) return;
    this.logger.warn({ auditLedgerRefusal: this.refusal }, 'audit ledger: the database extends the witnessed head again; sealing resumes');
    this.refusal = null;
  }

  private witnessDidNotAnswer(error: WitnessUnavailableError): void {
    const failures = (this.witnessFailure?.failures ?? 0) + 1;
    const base = Math.max(this.config.env.AUDIT_SEAL_INTERVAL_MS, RETRY_MIN_MS);
    const delay = Math.min(base * 2 ** (failures - 1), RETRY_MAX_MS);
    this.retryAt = Date.now() + delay;
    this.witnessFailure = { witness: error.witness, failures, since: this.witnessFailure?.since ?? new Date().toISOString(), retryAt: new Date(this.retryAt).toISOString() };
    this.logger.warn(
      { witness: error.witness, failures, retryInMs: delay, problem: error.problem instanceof Error ? error.problem.message : String(error.problem) },
      'audit witness does not answer: the newest checkpoint is not counted as done and nothing more is signed until it does',
    );
  }

  private witnessAnswered(): void {
    if (!this.witnessFailure) return;
    this.logger.info({ witness: this.witnessFailure.witness, failures: this.witnessFailure.failures }, 'audit witness answers again');
    this.witnessFailure = null;
    this.retryAt = 0;
  }
}
