import type { JSONWebKeySet } from 'jose';
import { canonicalJson } from './canonical-json.js';
import { type CheckpointPayload, DIGEST_BYTES, GENESIS_HEAD, nextHead, storedEventHash, unpackDigests } from './audit-chain.js';
import type { CheckpointRow, LedgerReader, StoredEvent } from './audit.repository.js';
import { type CheckpointVerifier, checkpointVerifier, decodeCheckpoint, payloadSegment } from './audit-receipt.js';

export type VerificationFailure =
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_ALTERED'
  | 'CHECKPOINT_MISSING'
  | 'HEAD_MISMATCH'
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
  /** Checkpoints held outside the database (witnesses, kept receipts) that were compared with it. */
  receiptsChecked: number;
}

const MAX = 2n ** 62n;
const DIGEST_HEX = DIGEST_BYTES * 2;

type Failure = { sequence: string; reason: VerificationFailure };
export type EventCheck = { eventsChecked: number } | { failure: Failure };

/**
 * Steps 4 and 5 for one checkpoint whose signature and place in the chain are already checked:
 * exactly the signed events are there, each unaltered, in sequence order, and they hash to the
 * signed head. Pure: runs in the main thread or in a worker.
 */
export function checkCheckpointEvents(payload: CheckpointPayload, events: StoredEvent[]): EventCheck {
  const fail = (sequence: string | bigint, reason: VerificationFailure): EventCheck => ({ failure: { sequence: sequence.toString(), reason } });
  const gaps = new Set(payload.gaps);
  const digests = unpackDigests(payload.digests);
  let head = payload.previousHead;
  let expected = BigInt(payload.firstSequence);
  let digestIndex = 0;
  for (let i = 0; i < events.length; ) {
    const event = events[i];
    const sequence = BigInt(event.sequence);
    let next = i + 1;
    while (next < events.length && events[next].sequence === event.sequence) next += 1;
    if (sequence < expected) return fail(event.sequence, 'EVENT_INSERTED_BEHIND_CHECKPOINT');
    for (; expected < sequence; expected++) if (!gaps.has(expected.toString())) return fail(expected, 'EVENT_MISSING');
    if (gaps.has(event.sequence)) return fail(event.sequence, 'EVENT_INSERTED_BEHIND_CHECKPOINT');
    const digest = digests[digestIndex];
    if (next - i > 1) {
      // Two rows with one sequence: the one whose hash starts with the signed digest is the
      // sealed event and any other was inserted; when none does, the event was altered.
      const sealedOne = events.slice(i, next).some((e) => storedEventHash(e).slice(0, DIGEST_HEX) === digest);
      return fail(event.sequence, sealedOne ? 'EVENT_INSERTED_BEHIND_CHECKPOINT' : 'EVENT_ALTERED');
    }
    const hash = storedEventHash(event);
    if (hash.slice(0, DIGEST_HEX) !== digest) return fail(event.sequence, 'EVENT_ALTERED');
    head = nextHead(head, hash);
    digestIndex += 1;
    expected = sequence + 1n;
    i = next;
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

function sequentialChecker(reader: LedgerReader): CheckpointEventsChecker {
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

/** Step 2: the row's columns say what its signed payload says. */
export function checkpointRowMatches(row: CheckpointRow, payload: CheckpointPayload): boolean {
  return (
    String(payload.checkpoint) === row.checkpoint &&
    payload.firstSequence === row.first_sequence &&
    payload.lastSequence === row.last_sequence &&
    payload.eventCount === row.event_count &&
    payload.previousHead === row.previous_head &&
    payload.head === row.head
  );
}

export interface VerificationOptions {
  /** Checks checkpoints' events (worker threads in the offline command); default: in-process. */
  checker?: CheckpointEventsChecker;
  /** Checkpoints held outside the database, as compact JWS: witnesses' records, kept receipts. */
  receipts?: string[];
}

/**
 * Recomputes the chain and checks every checkpoint's signature (C18), naming the first sequence
 * that does not match: an altered event, a removed one, one inserted behind a checkpoint, or a
 * checkpoint that was removed, altered or forged without the key. Works from the database and
 * the public key set alone; given receipts (checkpoints held outside the database), it also
 * finds a database that holds less than was witnessed (CHECKPOINT_MISSING) or a checkpoint that
 * differs from the witnessed one (HEAD_MISMATCH): the truncation or re-signing that only
 * someone with the key, or the service itself, could have done.
 */
export async function verifyAuditLedger(
  reader: LedgerReader,
  keys: JSONWebKeySet,
  range: { from?: bigint; to?: bigint } = {},
  options: VerificationOptions = {},
): Promise<AuditVerification> {
  const from = range.from ?? 1n;
  const to = range.to ?? MAX;
  const verify = checkpointVerifier(keys);
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
      payload = await verify(row.jws);
    } catch {
      checkpointFailure = { sequence: row.first_sequence, reason: 'CHECKPOINT_SIGNATURE_INVALID' };
      break;
    }
    // 2. The row says what the signature says.
    if (!checkpointRowMatches(row, payload)) {
      checkpointFailure = { sequence: payload.firstSequence, reason: 'CHECKPOINT_ALTERED' };
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
  const results = await (options.checker ?? sequentialChecker(reader))(toCheck);
  let eventsChecked = 0;
  let failure: Failure | null = null;
  for (const result of results) {
    if ('failure' in result) {
      failure = result.failure;
      break;
    }
    eventsChecked += result.eventsChecked;
  }
  failure ??= checkpointFailure;

  // Step 6: against the receipts; the lower sequence is reported, a tie goes to steps 1-5.
  const receipts = await checkReceipts(reader, verify, options.receipts ?? [], from, failure ? BigInt(failure.sequence) - 1n : to);
  if (receipts.failure && (!failure || BigInt(receipts.failure.sequence) < BigInt(failure.sequence))) failure = receipts.failure;

  if (failure) return { valid: false, eventsChecked, checkpointsChecked, firstInvalidSequence: failure.sequence, reason: failure.reason, unsealedEvents: 0, receiptsChecked: receipts.checked };
  const sealedThrough = previous ? BigInt(previous.lastSequence) : 0n;
  const unsealed = await reader.unsealed(sealedThrough);
  return { valid: true, eventsChecked, checkpointsChecked, firstInvalidSequence: null, reason: null, unsealedEvents: unsealed.count, receiptsChecked: receipts.checked };
}

/**
 * Step 6: every receipt whose range meets [from, to], in checkpoint order. One whose payload is
 * the database's checkpoint of that number is confirmed. Otherwise, if its signature verifies
 * (a receipt that does not is no receipt, and is ignored), the database holds less than was
 * witnessed (no checkpoint of that number: CHECKPOINT_MISSING) or something else under that
 * number (HEAD_MISMATCH); reported at the first sequence where the database's events fail the
 * witnessed checkpoint (steps 4-5 against it), or at its first sequence when they pass.
 */
async function checkReceipts(
  reader: LedgerReader,
  verify: CheckpointVerifier,
  jwsList: string[],
  from: bigint,
  to: bigint,
): Promise<{ failure: Failure | null; checked: number }> {
  const seen = new Set<string>();
  const receipts: Array<{ jws: string; payload: CheckpointPayload }> = [];
  for (const jws of jwsList) {
    const payload = decodeCheckpoint(jws.trim());
    if (!payload || seen.has(payloadSegment(jws.trim()))) continue;
    if (BigInt(payload.lastSequence) < from || BigInt(payload.firstSequence) > to) continue;
    seen.add(payloadSegment(jws.trim()));
    receipts.push({ jws: jws.trim(), payload });
  }
  receipts.sort((a, b) => a.payload.checkpoint - b.payload.checkpoint || (BigInt(a.payload.firstSequence) < BigInt(b.payload.firstSequence) ? -1 : 1));
  const rows = new Map((await reader.checkpointsByNumber([...new Set(receipts.map((r) => r.payload.checkpoint))])).map((row) => [Number(row.checkpoint), row]));
  let checked = 0;
  for (const receipt of receipts) {
    const row = rows.get(receipt.payload.checkpoint);
    if (row && payloadSegment(row.jws) === payloadSegment(receipt.jws)) {
      checked += 1;
      continue;
    }
    let payload: CheckpointPayload;
    try {
      payload = await verify(receipt.jws);
    } catch {
      continue;
    }
    checked += 1;
    const events = await reader.events(BigInt(payload.firstSequence), BigInt(payload.lastSequence));
    const check = checkCheckpointEvents(payload, events);
    return { failure: { sequence: 'failure' in check ? check.failure.sequence : payload.firstSequence, reason: row ? 'HEAD_MISMATCH' : 'CHECKPOINT_MISSING' }, checked };
  }
  return { failure: null, checked };
}

/** The canonical payload bytes a checkpoint's JWS signs. */
export function checkpointPayloadBytes(payload: CheckpointPayload): Uint8Array {
  return new TextEncoder().encode(canonicalJson(payload));
}
