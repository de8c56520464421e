import { Inject, Injectable } from '@nestjs/common';
import type { Sql } from '@libs/database/sql.js';
import { type CheckpointPayload, DIGEST_BYTES, eventHash, type SealableEvent } from './audit-chain.js';
import { AuditRepository, type CheckpointRow } from './audit.repository.js';
import { type CheckpointVerifier, checkpointVerifier } from './audit-receipt.js';
import { AUDIT_SIGNING_KEY, type AuditSigningKey, publicKeySet } from './audit-signing-key.js';
import { checkpointRowMatches } from './audit-verifier.js';

/**
 * Whether one audit row, as shown, is what the ledger sealed (C18):
 * - VERIFIED: a checkpoint covers its sequence, that checkpoint's signature verifies with the
 *   service's keys, and the row hashes to the digest the checkpoint signed for its sequence;
 * - PENDING: no checkpoint covers it yet (sealed within seconds, AUDIT_SEAL_INTERVAL_MS);
 * - FAILED: anything else — the row altered, inserted behind a checkpoint (a sequence the
 *   checkpoint lists as a gap, or a second row under one sequence), or its checkpoint altered or
 *   not signed by the service.
 * Chain-wide faults that no shown row carries (a removed row, a removed checkpoint) are what
 * verifyAuditLog finds.
 */
export const AUDIT_INTEGRITY = ['VERIFIED', 'PENDING', 'FAILED'] as const;
export type AuditIntegrity = (typeof AUDIT_INTEGRITY)[number];

/** A verified checkpoint, ready to look digests up in. */
interface SealedRange {
  payload: CheckpointPayload;
  digests: Buffer;
  gaps: bigint[];
}

/** Checkpoints verified at most this many at a time in memory (each holds 8 bytes per event it seals). */
const CACHED_CHECKPOINTS = 256;

/** The digest a checkpoint signed for one sequence, or null when the range holds no event at it. */
export function signedDigestOf(range: SealedRange, sequence: bigint): string | null {
  const first = BigInt(range.payload.firstSequence);
  if (sequence < first || sequence > BigInt(range.payload.lastSequence)) return null;
  let gapsBelow = 0;
  for (const gap of range.gaps) {
    if (gap === sequence) return null;
    if (gap < sequence) gapsBelow += 1;
  }
  const index = Number(sequence - first) - gapsBelow;
  if (index < 0 || index >= range.payload.eventCount) return null;
  return range.digests.subarray(index * DIGEST_BYTES, (index + 1) * DIGEST_BYTES).toString('hex');
}

/**
 * Integrity of the rows a review shows, cheaply: one indexed query for the checkpoints covering
 * them, each checkpoint's signature checked once and then remembered, one hash per row. Rows come
 * in the form they are hashed in (SealableEvent), from the read that is shown.
 */
@Injectable()
export class AuditRowIntegrity {
  private readonly verify: CheckpointVerifier;
  private readonly ranges = new Map<string, Promise<SealedRange | null>>();

  constructor(
    @Inject(AUDIT_SIGNING_KEY) key: AuditSigningKey,
    private readonly audit: AuditRepository,
  ) {
    this.verify = checkpointVerifier(publicKeySet(key));
  }

  /** Keyed by `sequence|occurredAt` (the table's primary key): two rows under one sequence are judged apart. */
  async of(db: Sql, rows: SealableEvent[]): Promise<Map<string, AuditIntegrity>> {
    const result = new Map<string, AuditIntegrity>();
    if (rows.length === 0) return result;
    const covering = await this.audit.checkpointsCovering(db, [...new Set(rows.map((r) => r.sequence))]);
    for (const row of rows) {
      const checkpoint = covering.get(row.sequence);
      result.set(integrityKey(row), checkpoint ? await this.judge(row, checkpoint) : 'PENDING');
    }
    return result;
  }

  /** A second row under a sealed sequence differs from the sealed one at least in its time, so its hash fails. */
  private async judge(row: SealableEvent, checkpoint: CheckpointRow): Promise<AuditIntegrity> {
    const range = await this.rangeOf(checkpoint);
    if (!range) return 'FAILED';
    const digest = signedDigestOf(range, BigInt(row.sequence));
    return digest !== null && eventHash(row).slice(0, DIGEST_BYTES * 2) === digest ? 'VERIFIED' : 'FAILED';
  }

  /** The checkpoint's signed range, or null when its signature or its row does not hold. Remembered by its JWS. */
  private rangeOf(checkpoint: CheckpointRow): Promise<SealedRange | null> {
    const key = `${checkpoint.checkpoint}|${checkpoint.first_sequence}|${checkpoint.last_sequence}|${checkpoint.jws}`;
    let range = this.ranges.get(key);
    if (!range) {
      range = this.verify(checkpoint.jws).then(
        (payload): SealedRange | null =>
          checkpointRowMatches(checkpoint, payload) ? { payload, digests: Buffer.from(payload.digests, 'base64url'), gaps: payload.gaps.map(BigInt) } : null,
        () => null,
      );
      if (this.ranges.size >= CACHED_CHECKPOINTS) this.ranges.delete(this.ranges.keys().next().value!);
      this.ranges.set(key, range);
    }
    return range;
  }
}

export function integrityKey(row: { sequence: string; occurredAt: string }): string {
  return `${row.sequence}|${row.occurredAt}`;
}
