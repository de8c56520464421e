import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { canonicalJson } from './canonical-json.js';
import { type CheckpointPayload, eventHash, GENESIS_HEAD, nextHead, unpackDigests } from './audit-chain.js';
import type { AuditLedgerStore, CheckpointRow } from './audit-ledger-store.js';

export type VerificationFailure =
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_ALTERED'
  | 'CHECKPOINT_MISSING'
  | 'EVENT_ALTERED'
  | 'EVENT_MISSING'
  | 'EVENT_INSERTED_BEHIND_CHECKPOINT'
  | 'CHAIN_MISMATCH';

export interface AuditVerification {
  valid: boolean;
  eventsChecked: number;
  checkpointsChecked: number;
  firstInvalidSequence: string | null;
  reason: VerificationFailure | null;
  /** Events after the last checkpoint: not sealed yet, so not verifiable yet. */
  unsealedEvents: number;
}

const MAX = 2n ** 62n;

/**
 * Recomputes the chain and checks every checkpoint's signature (C18), naming the first sequence
 * that does not match: an altered event, a removed one, one inserted behind a checkpoint, or a
 * checkpoint that was removed, altered or forged without the key. Works from the database and
 * the public key set alone.
 */
export async function verifyAuditLedger(reader: AuditLedgerStore, keys: JSONWebKeySet, range: { from?: bigint; to?: bigint } = {}): Promise<AuditVerification> {
  const from = range.from ?? 1n;
  const to = range.to ?? MAX;
  const keySet = createLocalJWKSet(keys);
  const checkpoints = await reader.checkpoints(from, to);
  let eventsChecked = 0;
  let checkpointsChecked = 0;
  let previous: CheckpointPayload | null = null;
  const fail = (sequence: string | bigint, reason: VerificationFailure): AuditVerification => ({
    valid: false,
    eventsChecked,
    checkpointsChecked,
    firstInvalidSequence: sequence.toString(),
    reason,
    unsealedEvents: 0,
  });

  // The next checkpoint's events are fetched while this one's are hashed.
  const fetchEvents = (row: CheckpointRow | undefined) => (row ? reader.events(BigInt(row.first_sequence), BigInt(row.last_sequence)) : null);
  let prefetched = fetchEvents(checkpoints[0]);
  for (let index = 0; index < checkpoints.length; index++) {
    const row = checkpoints[index];
    const current = prefetched;
    prefetched = fetchEvents(checkpoints[index + 1]);
    // A rejection of a prefetch is handled when that checkpoint is reached.
    prefetched?.catch(() => undefined);
    // 1. The signature, with a known key: nothing below is trusted before it.
    let payload: CheckpointPayload;
    try {
      const { payload: bytes } = await compactVerify(row.jws, keySet, { algorithms: ['ES256'] });
      payload = JSON.parse(new TextDecoder().decode(bytes)) as CheckpointPayload;
    } catch {
      return fail(row.first_sequence, 'CHECKPOINT_SIGNATURE_INVALID');
    }
    // 2. The row says what the signature says.
    if (
      String(payload.checkpoint) !== row.checkpoint ||
      payload.firstSequence !== row.first_sequence ||
      payload.lastSequence !== row.last_sequence ||
      payload.eventCount !== row.event_count ||
      payload.previousHead !== row.previous_head ||
      payload.head !== row.head
    ) {
      return fail(row.first_sequence, 'CHECKPOINT_ALTERED');
    }
    // 3. No checkpoint is missing: numbers, ranges and heads follow on. Verifying from sequence 1
    // checks the whole chain from its genesis; a later start anchors on the checkpoint before it.
    if (previous === null) {
      if (from <= 1n && (payload.checkpoint !== 1 || payload.previousHead !== GENESIS_HEAD || payload.firstSequence !== '1')) {
        return fail(1n, 'CHECKPOINT_MISSING');
      }
    } else if (
      payload.checkpoint !== previous.checkpoint + 1 ||
      BigInt(payload.firstSequence) !== BigInt(previous.lastSequence) + 1n ||
      payload.previousHead !== previous.head
    ) {
      return fail(BigInt(previous.lastSequence) + 1n, 'CHECKPOINT_MISSING');
    }
    previous = payload;
    checkpointsChecked += 1;
    // The checkpoint before the range is read only to anchor the chain.
    if (BigInt(payload.lastSequence) < from) continue;

    // 4. Exactly the signed events are there, each unaltered, in sequence order.
    // The rows prefetched for this checkpoint cover exactly its signed range (checked in step 2).
    const events = await current!;
    const gaps = new Set(payload.gaps);
    const digests = unpackDigests(payload.digests);
    let head = payload.previousHead;
    let expected = BigInt(payload.firstSequence);
    let digestIndex = 0;
    for (const event of events) {
      const sequence = BigInt(event.sequence);
      // A second row with a sequence already seen cannot have been sealed.
      if (sequence < expected) return fail(event.sequence, 'EVENT_INSERTED_BEHIND_CHECKPOINT');
      for (; expected < sequence; expected++) if (!gaps.has(expected.toString())) return fail(expected, 'EVENT_MISSING');
      if (gaps.has(event.sequence)) return fail(event.sequence, 'EVENT_INSERTED_BEHIND_CHECKPOINT');
      const hash = eventHash(event);
      if (hash.slice(0, 16) !== digests[digestIndex]) return fail(event.sequence, 'EVENT_ALTERED');
      head = nextHead(head, hash);
      digestIndex += 1;
      expected = sequence + 1n;
      eventsChecked += 1;
    }
    for (; expected <= BigInt(payload.lastSequence); expected++) if (!gaps.has(expected.toString())) return fail(expected, 'EVENT_MISSING');
    if (digestIndex !== payload.eventCount || head !== payload.head) return fail(payload.firstSequence, 'CHAIN_MISMATCH');
  }
  const sealedThrough = previous ? BigInt(previous.lastSequence) : 0n;
  const unsealed = await reader.unsealed(sealedThrough);
  return { valid: true, eventsChecked, checkpointsChecked, firstInvalidSequence: null, reason: null, unsealedEvents: unsealed.count };
}

/** The canonical payload bytes a checkpoint's JWS signs. */
export function checkpointPayloadBytes(payload: CheckpointPayload): Uint8Array {
  return new TextEncoder().encode(canonicalJson(payload));
}

export type { CheckpointRow };
