import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CompactSign } from 'jose';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '@libs/config/app-config.js';
import { TransactionRunner, type Tx } from '@libs/database/transaction-runner.js';
import { type CheckpointPayload, eventHash, GENESIS_HEAD, nextHead, packDigests } from './audit-chain.js';
import { AuditLedgerStore } from './audit-ledger-store.js';
import { AUDIT_SIGNING_KEY, type AuditSigningKey } from './audit-signing-key.js';
import { checkpointPayloadBytes } from './audit-verifier.js';

function storeOf(db: Tx): AuditLedgerStore {
  return new AuditLedgerStore((sql, params) => db.query(sql, params));
}

/** Any fixed number; the instance holding it seals, the others skip that round. */
const SEALER_LOCK_KEY = '7315402117';
/** At most this many sequences per checkpoint, so that a backlog is sealed in bounded steps. */
const MAX_SEQUENCES_PER_CHECKPOINT = 10_000n;

/**
 * A promise to seal: every transaction that could still commit an event with a sequence up to
 * `limit` has a transaction id below `xmax` (an id taken after `limit` was read). Once the oldest
 * running transaction is at or above `xmax`, those events are final: committed, or never will be
 * (a gap).
 */
interface SealingHorizon {
  limit: bigint;
  xmax: string;
}

/**
 * Seals committed audit events into a SHA-256 hash chain with signed checkpoints (C18).
 *
 * Every few seconds one instance (a PostgreSQL advisory lock decides which) takes the events
 * after the last checkpoint in sequence order, up to the horizon the previous round promised,
 * hashes each event's canonical JSON into the chain, and stores a checkpoint {range, gaps, event
 * digests, previous head, head} signed as an ES256 JWS with a key that is not in the database.
 *
 * Gaps and late commits: an event takes its transaction id before its sequence (audit_append),
 * so reading the sequence's last value and then taking a fresh transaction id gives a horizon:
 * when the oldest running transaction is past that id, no event up to that value can still commit.
 * Missing sequences below the horizon are rolled back for good and are listed as gaps; an event
 * that commits late behind a sequence another event took is simply not sealed until it is final.
 * Writers never wait for the sealer, nor for each other.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private horizon?: SealingHorizon;
  private running?: Promise<number>;

  constructor(
    private readonly transactions: TransactionRunner,
    @Inject(AUDIT_SIGNING_KEY) private readonly key: AuditSigningKey,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('AuditSealer');
  }

  onApplicationBootstrap(): void {
    const interval = this.config.env.AUDIT_SEAL_INTERVAL_MS;
    if (interval === 0) return;
    this.timer = setInterval(() => {
      this.sealRound().catch((error: unknown) => this.logger.error({ err: error }, 'audit sealing round failed'));
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One round: seal what the previous round's horizon allows, then set the next horizon. Returns events sealed. */
  sealRound(horizon?: SealingHorizon): Promise<number> {
    this.running ??= this.round(horizon).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Seals every event committed before the call (tests, shutdown, the offline tools). */
  async sealEverythingCommitted(timeoutMs = 15_000): Promise<void> {
    const horizon = await this.transactions.autocommit((db) => this.readHorizon(db));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.running?.catch(() => undefined);
      await this.sealRound(horizon);
      const last = await this.transactions.autocommit((db) => storeOf(db).lastCheckpoint());
      if (BigInt(last?.last_sequence ?? 0) >= horizon.limit) return;
      if (Date.now() > deadline) throw new Error('audit events could not be sealed in time: a transaction has been open too long');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private async round(horizon = this.horizon): Promise<number> {
    let sealed = 0;
    if (horizon) {
      sealed = await this.transactions.run(async (tx) => {
        const store = storeOf(tx);
        if (!(await store.trySealerLock(SEALER_LOCK_KEY))) return 0;
        if (!(await store.transactionsEndedBefore(horizon.xmax))) return 0;
        return this.sealThrough(store, horizon.limit);
      });
    }
    this.horizon = await this.transactions.autocommit((db) => this.readHorizon(db));
    if (sealed > 0) this.logger.debug({ sealed }, 'audit events sealed');
    return sealed;
  }

  /** Order matters: the sequence's last value first, then the snapshot (see the class comment). */
  private async readHorizon(db: Tx): Promise<SealingHorizon> {
    const { lastSequence, xmax } = await storeOf(db).sequenceAndXmax();
    return { limit: lastSequence, xmax };
  }

  private async sealThrough(reader: AuditLedgerStore, limit: bigint): Promise<number> {
    let sealed = 0;
    for (;;) {
      const last = await reader.lastCheckpoint();
      const sealedUpTo = BigInt(last?.last_sequence ?? 0);
      if (sealedUpTo >= limit) return sealed;
      const first = sealedUpTo + 1n;
      const end = limit < sealedUpTo + MAX_SEQUENCES_PER_CHECKPOINT ? limit : sealedUpTo + MAX_SEQUENCES_PER_CHECKPOINT;
      const events = await reader.events(first, end);
      const present = new Set(events.map((e) => e.sequence));
      const gaps: string[] = [];
      for (let s = first; s <= end; s++) if (!present.has(s.toString())) gaps.push(s.toString());
      let head = last?.head ?? GENESIS_HEAD;
      const hashes = events.map((event) => eventHash(event));
      for (const hash of hashes) head = nextHead(head, hash);
      const now = await reader.databaseTime();
      const payload: CheckpointPayload = {
        v: 1,
        checkpoint: Number(last?.checkpoint ?? 0) + 1,
        firstSequence: first.toString(),
        lastSequence: end.toString(),
        eventCount: events.length,
        gaps,
        digests: packDigests(hashes),
        previousHead: last?.head ?? GENESIS_HEAD,
        head,
        sealedAt: now,
      };
      const jws = await new CompactSign(checkpointPayloadBytes(payload)).setProtectedHeader({ alg: 'ES256', kid: this.key.kid, typ: 'audit-checkpoint+jws' }).sign(this.key.privateKey);
      await reader.insertCheckpoint({ ...payload, keyId: this.key.kid, jws });
      sealed += events.length;
    }
  }
}
