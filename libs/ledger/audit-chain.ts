import { createHash, hash as oneShotHash } from 'node:crypto';
import type { StoredEvent } from './audit.repository.js';
import { canonicalJson } from './canonical-json.js';

/** The head before the first event. */
export const GENESIS_HEAD = '0'.repeat(64);

/** Bytes of each event's hash that a checkpoint signs, to name an altered event exactly. */
export const DIGEST_BYTES = 8;

/** An audit event exactly as it is hashed: every column, in text form where a type could drift. */
export interface SealableEvent {
  sequence: string;
  id: string;
  occurredAt: string;
  action: string;
  outcome: string;
  actorSub: string;
  actorOrg: string;
  actorRoles: string[];
  actorName: string | null;
  patientIds: string[];
  subjectOrgKeys: string[];
  incidentNumber: string | null;
  purpose: string | null;
  basis: string | null;
  consentIds: string[];
  disclosedCategories: string[];
  policyVersion: number | null;
  policyRule: string | null;
  requestId: string | null;
  details: unknown;
}

const sha256Hex: (text: string) => string =
  typeof oneShotHash === 'function' ? (text) => oneShotHash('sha256', text, 'hex') : (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The keys of a SealableEvent in canonical (sorted) order. */
const EVENT_KEYS = [
  'action',
  'actorName',
  'actorOrg',
  'actorRoles',
  'actorSub',
  'basis',
  'consentIds',
  'details',
  'disclosedCategories',
  'id',
  'incidentNumber',
  'occurredAt',
  'outcome',
  'patientIds',
  'policyRule',
  'policyVersion',
  'purpose',
  'requestId',
  'sequence',
  'subjectOrgKeys',
] as const satisfies ReadonlyArray<keyof SealableEvent>;

/**
 * The canonical JSON of an event, written field by field in sorted key order: the same bytes as
 * canonicalJson(event) (a unit test holds them equal), several times faster, which is what
 * verification speed rests on.
 */
export function canonicalEventJson(event: SealableEvent): string {
  let out = '{';
  for (let i = 0; i < EVENT_KEYS.length; i++) {
    const key = EVENT_KEYS[i];
    const value = event[key];
    if (i > 0) out += ',';
    out += `"${key}":`;
    if (value === null || value === undefined) out += 'null';
    else if (typeof value === 'string') out += JSON.stringify(value);
    else if (typeof value === 'number') out += JSON.stringify(value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out += JSON.stringify(value);
    else out += canonicalJson(value);
  }
  return `${out}}`;
}

/** SHA-256 of the event's canonical JSON, hex. */
export function eventHash(event: SealableEvent): string {
  return sha256Hex(canonicalEventJson(event));
}

const text = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));

/**
 * The canonical JSON of an event as read by SEALABLE_EVENTS_SQL: the same bytes as
 * canonicalEventJson of the parsed event (unit- and end-to-end-tested), written without parsing
 * anything but `details` — verification speed rests on it. Keys in sorted order.
 */
export function canonicalStoredEventJson(e: StoredEvent): string {
  const details = e.details === '{}' ? '{}' : canonicalJson(JSON.parse(e.details));
  return (
    `{"action":${JSON.stringify(e.action)},"actorName":${text(e.actorName)},"actorOrg":${JSON.stringify(e.actorOrg)},"actorRoles":${e.actorRoles}` +
    `,"actorSub":${JSON.stringify(e.actorSub)},"basis":${text(e.basis)},"consentIds":${e.consentIds},"details":${details}` +
    `,"disclosedCategories":${e.disclosedCategories},"id":${JSON.stringify(e.id)},"incidentNumber":${text(e.incidentNumber)}` +
    `,"occurredAt":${JSON.stringify(e.occurredAt)},"outcome":${JSON.stringify(e.outcome)},"patientIds":${e.patientIds}` +
    `,"policyRule":${text(e.policyRule)},"policyVersion":${e.policyVersion ?? 'null'},"purpose":${text(e.purpose)}` +
    `,"requestId":${text(e.requestId)},"sequence":${JSON.stringify(e.sequence)},"subjectOrgKeys":${e.subjectOrgKeys}}`
  );
}

/** SHA-256 of a stored event's canonical JSON, hex: equal to eventHash of the parsed event. */
export function storedEventHash(event: StoredEvent): string {
  return sha256Hex(canonicalStoredEventJson(event));
}

/** The chain: head(n) = SHA-256(head(n-1) + event hash(n)), hex over the two hex strings. */
export function nextHead(previousHead: string, hash: string): string {
  return sha256Hex(`${previousHead}${hash}`);
}

/** The first DIGEST_BYTES of each event hash, concatenated, base64url: what a checkpoint signs per event. */
export function packDigests(hashes: string[]): string {
  return Buffer.concat(hashes.map((h) => Buffer.from(h.slice(0, DIGEST_BYTES * 2), 'hex'))).toString('base64url');
}

export function unpackDigests(packed: string): string[] {
  const bytes = Buffer.from(packed, 'base64url');
  const digests: string[] = [];
  for (let i = 0; i < bytes.length; i += DIGEST_BYTES) digests.push(bytes.subarray(i, i + DIGEST_BYTES).toString('hex'));
  return digests;
}

/** What a checkpoint signs (JWS payload, canonical JSON). */
export interface CheckpointPayload {
  v: 1;
  checkpoint: number;
  firstSequence: string;
  lastSequence: string;
  eventCount: number;
  /** Sequences in [first, last] that no event holds: rolled-back transactions. */
  gaps: string[];
  /** The first 8 bytes of each sealed event's hash, in sequence order (base64url). */
  digests: string;
  previousHead: string;
  head: string;
  sealedAt: string;
}
