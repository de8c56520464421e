import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { canonicalJson } from './canonical-json.js';
import { type CheckpointPayload, eventHash, GENESIS_HEAD, nextHead, type SealableEvent, unpackDigests } from './audit-chain.js';
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

type Failure = { sequence: string; reason: VerificationFailure };
export type EventCheck = { eventsChecked: number } | { failure: Failure };

/**
 * Steps 4 and 5 for one checkpoint whose signature and place in the chain are already checked:
 * exactly the signed events are there, each unaltered, in sequence order, and they hash to the
 * signed head. Pure: runs in the main thread or in a worker.
 */
export function checkCheckpointEvents(payload: CheckpointPayload, events: SealableEvent[]): EventCheck {
  const fail = (sequence: string | bigint, reason: VerificationFailure): EventCheck => ({ failure: { sequence: sequence.toString(), reason } });
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
  }
  for (; expected <= BigInt(payload.lastSequence); expected++) if (!gaps.has(expected.toString())) return fail(expected, 'EVENT_MISSING');
  if (digestIndex !== payload.eventCount || head !== payload.head) return fail(payload.firstSequence, 'CHAIN_MISMATCH');
  return { eventsChecked: digestIndex };
}

/**
 * Checks the events of many checkpoints, in any order and in parallel if it likes; returns one
 * result per checkpoint, in the order given. The default reads them one after another on the
 * reader's connection, fetching the next while hashing the current.
 */
export type CheckpointEventsChecker = (payloads: CheckpointPayload[]) => Promise<EventCheck[]>;

function sequentialChecker(reader: AuditLedgerStore): CheckpointEventsChecker {
  return async (payloads) => {
    const results: EventCheck[] = [];
    const fetch = (p: CheckpointPayload | undefined) => (p ? reader.events(BigInt(p.firstSequence), BigInt(p.lastSequence)) : null);
    let prefetched = fetch(payloads[0]);
    for (let i = 0; i < payloads.length; i++) {
      const current = prefetched;
      prefetched = fetch(payloads[i + 1]);
      prefetched?.catch(() => undefined);
      const result = checkCheckpointEvents(payloads[i], await current!);
      results.push(result);
      if ('failure' in result) break;
    }
    return results;
  };
}

/**
 * Recomputes the chain and checks every checkpoint's signature (C18), naming the first sequence
 * that does not match: an altered event, a removed one, one inserted behind a checkpoint, or a
 * checkpoint that was removed, altered or forged without the key. Works from the database and
 * the public key set alone.
 */
export async function verifyAuditLedger(
  reader: AuditLedgerStore,
  keys: JSONWebKeySet,
  range: { from?: bigint; to?: bigint } = {},
  checker?: CheckpointEventsChecker,
): Promise<AuditVerification> {
  const from = range.from ?? 1n;
  const to = range.to ?? MAX;
  const keySet = createLocalJWKSet(keys);
  const checkpoints = await reader.checkpoints(from, to);
  let checkpointsChecked = 0;
  let previous: CheckpointPayload | null = null;
  let checkpointFailure: Failure | null = null;
  const toCheck: CheckpointPayload[] = [];

  // Steps 1-3, for every checkpoint: cheap, and everything else rests on them.
  for (const row of checkpoints) {
    // 1. The signature, with a known key: nothing below is trusted before it.
    let payload: CheckpointPayload;
    try {
      const { payload: bytes } = await compactVerify(row.jws, keySet, { algorithms: ['ES256'] });
      payload = JSON.parse(new TextDecoder().decode(bytes)) as CheckpointPayload;
    } catch {
      checkpointFailure = { sequence: row.first_sequence, reason: 'CHECKPOINT_SIGNATURE_INVALID' };
      break;
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
      checkpointFailure = { sequence: row.first_sequence, reason: 'CHECKPOINT_ALTERED' };
      break;
    }
    // 3. No checkpoint is missing: numbers, ranges and heads follow on. Verifying from sequence 1
    // checks the whole chain from its genesis; a later start anchors on the checkpoint before it.
    if (previous === null) {
      if (from <= 1n && (payload.checkpoint !== 1 || payload.previousHead !== GENESIS_HEAD || payload.firstSequence !== '1')) {
        checkpointFailure = { sequence: '1', reason: 'CHECKPOINT_MISSING' };
        break;
      }
    } else if (
      payload.checkpoint !== previous.checkpoint + 1 ||
      BigInt(payload.firstSequence) !== BigInt(previous.lastSequence) + 1n ||
      payload.previousHead !== previous.head
    ) {
      checkpointFailure = { sequence: (BigInt(previous.lastSequence) + 1n).toString(), reason: 'CHECKPOINT_MISSING' };
      break;
    }
    previous = payload;
    checkpointsChecked += 1;
    // The checkpoint before the range is read only to anchor the chain.
    if (BigInt(payload.lastSequence) >= from) toCheck.push(payload);
  }

  // Steps 4-5: the events of every checkpoint that passed; an event failure in an earlier
  // checkpoint comes before a checkpoint failure further on.
  const results = await (checker ?? sequentialChecker(reader))(toCheck);
  let eventsChecked = 0;
  for (const result of results) {
    if ('failure' in result) return { valid: false, eventsChecked, checkpointsChecked, firstInvalidSequence: result.failure.sequence, reason: result.failure.reason, unsealedEvents: 0 };
    eventsChecked += result.eventsChecked;
  }
  if (checkpointFailure) return { valid: false, eventsChecked, checkpointsChecked, firstInvalidSequence: checkpointFailure.sequence, reason: checkpointFailure.reason, unsealedEvents: 0 };
  const sealedThrough = previous ? BigInt(previous.lastSequence) : 0n;
  const unsealed = await reader.unsealed(sealedThrough);
  return { valid: true, eventsChecked, checkpointsChecked, firstInvalidSequence: null, reason: null, unsealedEvents: unsealed.count };
}

/** The canonical payload bytes a checkpoint's JWS signs. */
export function checkpointPayloadBytes(payload: CheckpointPayload): Uint8Array {
  return new TextEncoder().encode(canonicalJson(payload));
}

export type { CheckpointRow };
