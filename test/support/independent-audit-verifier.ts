// A second verifier of the audit ledger, written from docs/audit.md alone ("The canonical form of
// an event", "Checkpoints", "Verifying"): node:crypto and a plain pg connection, none of the
// service's code. The tests run it beside the service's verifier on every tampering they try
// (C18): if the document and the code disagree, one of them is wrong.
import { createHash, createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import pg from 'pg';

export interface IndependentResult {
  valid: boolean;
  firstInvalidSequence: string | null;
  reason: string | null;
  eventsChecked: number;
  checkpointsChecked: number;
}

/** A checkpoint's payload as docs/audit.md lists it: numbers, the gaps, and the rest text. */
type Payload = { v: number; checkpoint: number; eventCount: number; gaps: string[] } & Record<'firstSequence' | 'lastSequence' | 'digests' | 'previousHead' | 'head' | 'sealedAt', string>;

const GENESIS = '0'.repeat(64);

/** Canonical JSON as the document states it: sorted keys at every depth, no whitespace, JSON.stringify's strings and numbers. */
export function docCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(docCanonicalJson).join(',')}]`;
  const object = value as Record<string, unknown>;
  return `{${Object.keys(object)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${docCanonicalJson(object[key])}`)
    .join(',')}}`;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The event object of the document's table, from the raw columns of audit_event. */
function eventObject(row: Record<string, any>): Record<string, unknown> {
  return {
    action: row.action,
    actorName: row.actor_name,
    actorOrg: row.actor_org,
    actorRoles: row.actor_roles,
    actorSub: row.actor_sub,
    basis: row.basis,
    consentIds: row.consent_ids,
    details: JSON.parse(row.details_text),
    disclosedCategories: row.disclosed_categories,
    id: row.id,
    incidentNumber: row.incident_number,
    occurredAt: row.occurred_at_text,
    outcome: row.outcome,
    patientIds: row.patient_ids,
    policyRule: row.policy_rule,
    policyVersion: row.policy_version,
    purpose: row.purpose,
    requestId: row.request_id,
    sequence: row.sequence,
    subjectOrgKeys: row.subject_org_keys,
  };
}

/** Step 1: ES256 with the key whose kid is the header's; the signed payload, or null. */
function verifiedPayload(jws: string, keys: JsonWebKey[]): Payload | null {
  const parts = jws.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string; kid?: string };
    if (header.alg !== 'ES256') return null;
    const key = keys.find((k) => (k as { kid?: string }).kid === header.kid);
    if (!key) return null;
    const publicKey = createPublicKey({ key, format: 'jwk' });
    const ok = verifySignature('sha256', Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
    return ok ? (JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Payload) : null;
  } catch {
    return null;
  }
}

function decodedPayload(jws: string): Payload | null {
  const parts = jws.split('.');
  if (parts.length !== 3) return null;
  try {
    const p = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Payload;
    return typeof p.checkpoint === 'number' && typeof p.firstSequence === 'string' && typeof p.lastSequence === 'string' ? p : null;
  } catch {
    return null;
  }
}

type Failure = { sequence: string; reason: string };

/** Steps 4 and 5 for one checkpoint payload over the rows of its range (ordered by sequence). */
function checkEvents(payload: Payload, rows: Array<Record<string, any>>): { failure: Failure } | { chained: number } {
  const gaps = new Set(payload.gaps);
  const digestBytes = Buffer.from(payload.digests, 'base64url');
  const digests: string[] = [];
  for (let i = 0; i < digestBytes.length; i += 8) digests.push(digestBytes.subarray(i, i + 8).toString('hex'));
  let expected = BigInt(payload.firstSequence);
  let head = payload.previousHead;
  let d = 0;
  let i = 0;
  while (i < rows.length) {
    const s = BigInt(rows[i].sequence);
    let j = i;
    while (j < rows.length && BigInt(rows[j].sequence) === s) j++;
    for (; expected < s; expected++) if (!gaps.has(expected.toString())) return { failure: { sequence: expected.toString(), reason: 'EVENT_MISSING' } };
    if (gaps.has(s.toString())) return { failure: { sequence: s.toString(), reason: 'EVENT_INSERTED_BEHIND_CHECKPOINT' } };
    const hashes = rows.slice(i, j).map((row) => sha256Hex(docCanonicalJson(eventObject(row))));
    if (hashes.length > 1) {
      const sealed = hashes.some((h) => h.slice(0, 16) === digests[d]);
      return { failure: { sequence: s.toString(), reason: sealed ? 'EVENT_INSERTED_BEHIND_CHECKPOINT' : 'EVENT_ALTERED' } };
    }
    if (hashes[0].slice(0, 16) !== digests[d]) return { failure: { sequence: s.toString(), reason: 'EVENT_ALTERED' } };
    head = sha256Hex(head + hashes[0]);
    d++;
    expected = s + 1n;
    i = j;
  }
  for (; expected <= BigInt(payload.lastSequence); expected++) if (!gaps.has(expected.toString())) return { failure: { sequence: expected.toString(), reason: 'EVENT_MISSING' } };
  if (d !== payload.eventCount || head !== payload.head) return { failure: { sequence: payload.firstSequence, reason: 'CHAIN_MISMATCH' } };
  return { chained: d };
}

/** The whole ledger, from sequence 1, with receipts (compact JWS) held outside the database. */
export async function independentVerify(databaseUrl: string, jwks: { keys: JsonWebKey[] }, receipts: string[] = []): Promise<IndependentResult> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const eventsOf = async (first: string, last: string) =>
      (
        await db.query(
          `SELECT sequence::text AS sequence, id::text AS id,
             to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at_text,
             action, outcome, actor_sub, actor_org, actor_roles, actor_name, patient_ids::text[] AS patient_ids, subject_org_keys,
             incident_number, purpose, basis, consent_ids::text[] AS consent_ids, disclosed_categories, policy_version, policy_rule,
             request_id, details::text AS details_text
           FROM audit_event e WHERE e.sequence BETWEEN $1 AND $2 ORDER BY e.sequence`,
          [first, last],
        )
      ).rows;
    const rows = (
      await db.query(
        // Ordered by the bigint column (an alias of the same name would order its text: 1, 10, 2).
        'SELECT c.checkpoint::text AS checkpoint, c.first_sequence::text AS first_sequence, c.last_sequence::text AS last_sequence, c.event_count, c.previous_head, c.head, c.jws FROM audit_checkpoint c ORDER BY c.checkpoint',
      )
    ).rows as Array<{ checkpoint: string; first_sequence: string; last_sequence: string; event_count: number; previous_head: string; head: string; jws: string }>;

    // Steps 1-3.
    let f13: Failure | null = null;
    const passed: Payload[] = [];
    let previous: Payload | null = null;
    for (const row of rows) {
      const p = verifiedPayload(row.jws, jwks.keys);
      if (!p) {
        f13 = { sequence: row.first_sequence, reason: 'CHECKPOINT_SIGNATURE_INVALID' };
        break;
      }
      if (
        String(p.checkpoint) !== row.checkpoint ||
        p.firstSequence !== row.first_sequence ||
        p.lastSequence !== row.last_sequence ||
        p.eventCount !== row.event_count ||
        p.previousHead !== row.previous_head ||
        p.head !== row.head
      ) {
        f13 = { sequence: p.firstSequence, reason: 'CHECKPOINT_ALTERED' };
        break;
      }
      if (previous === null ? p.checkpoint !== 1 || p.firstSequence !== '1' || p.previousHead !== GENESIS : p.checkpoint !== previous.checkpoint + 1 || BigInt(p.firstSequence) !== BigInt(previous.lastSequence) + 1n || p.previousHead !== previous.head) {
        f13 = { sequence: previous === null ? '1' : (BigInt(previous.lastSequence) + 1n).toString(), reason: 'CHECKPOINT_MISSING' };
        break;
      }
      passed.push(p);
      previous = p;
    }

    // Steps 4-5.
    let f: Failure | null = null;
    let eventsChecked = 0;
    for (const p of passed) {
      const result = checkEvents(p, await eventsOf(p.firstSequence, p.lastSequence));
      if ('failure' in result) {
        f = result.failure;
        break;
      }
      eventsChecked += result.chained;
    }
    f ??= f13;

    // Step 6.
    const byNumber = new Map(rows.map((r) => [Number(r.checkpoint), r.jws]));
    const seen = new Set<string>();
    const candidates = receipts
      .map((jws) => jws.trim())
      .filter((jws) => {
        const part = jws.split('.')[1];
        if (!decodedPayload(jws) || seen.has(part)) return false;
        seen.add(part);
        return !f || BigInt(decodedPayload(jws)!.firstSequence) < BigInt(f.sequence);
      })
      .sort((a, b) => decodedPayload(a)!.checkpoint - decodedPayload(b)!.checkpoint);
    let f6: Failure | null = null;
    for (const jws of candidates) {
      const number = decodedPayload(jws)!.checkpoint;
      const ours = byNumber.get(number);
      if (ours !== undefined && ours.split('.')[1] === jws.split('.')[1]) continue;
      const p = verifiedPayload(jws, jwks.keys);
      if (!p) continue;
      const result = checkEvents(p, await eventsOf(p.firstSequence, p.lastSequence));
      f6 = { sequence: 'failure' in result ? result.failure.sequence : p.firstSequence, reason: ours === undefined ? 'CHECKPOINT_MISSING' : 'HEAD_MISMATCH' };
      break;
    }
    if (f6 && (!f || BigInt(f6.sequence) < BigInt(f.sequence))) f = f6;
    await db.query('COMMIT');
    return f
      ? { valid: false, firstInvalidSequence: f.sequence, reason: f.reason, eventsChecked, checkpointsChecked: passed.length }
      : { valid: true, firstInvalidSequence: null, reason: null, eventsChecked, checkpointsChecked: passed.length };
  } finally {
    await db.end();
  }
}
