import { compactVerify, createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { CheckpointPayload } from './audit-chain.js';

/**
 * A signed checkpoint as held outside the database: by a witness, or by a person who kept the
 * answer of /.well-known/audit-head. The compact JWS is the receipt; its payload is what counts.
 */
export interface CheckpointReceipt {
  jws: string;
  payload: CheckpointPayload;
}

/** Checks a checkpoint JWS (ES256, a key of the audit key set) and returns its payload; throws when it does not verify. */
export type CheckpointVerifier = (jws: string) => Promise<CheckpointPayload>;

const DECIMAL = /^(0|[1-9][0-9]{0,18})$/;
const HEX64 = /^[0-9a-f]{64}$/;

/** The payload's shape: the types docs/audit.md gives, or null. */
export function checkpointPayloadOf(value: unknown): CheckpointPayload | null {
  const p = value as Partial<CheckpointPayload> | null;
  if (typeof p !== 'object' || p === null) return null;
  const valid =
    p.v === 1 &&
    Number.isSafeInteger(p.checkpoint) &&
    (p.checkpoint as number) > 0 &&
    typeof p.firstSequence === 'string' &&
    DECIMAL.test(p.firstSequence) &&
    typeof p.lastSequence === 'string' &&
    DECIMAL.test(p.lastSequence) &&
    Number.isSafeInteger(p.eventCount) &&
    Array.isArray(p.gaps) &&
    p.gaps.every((g) => typeof g === 'string' && DECIMAL.test(g)) &&
    typeof p.digests === 'string' &&
    typeof p.previousHead === 'string' &&
    HEX64.test(p.previousHead) &&
    typeof p.head === 'string' &&
    HEX64.test(p.head) &&
    typeof p.sealedAt === 'string';
  return valid ? (p as CheckpointPayload) : null;
}

/** A key-set verifier: the service's own public keys (current and retired), or a remote JWKS. */
export function checkpointVerifier(keys: JSONWebKeySet | JWTVerifyGetKey): CheckpointVerifier {
  const keySet = typeof keys === 'function' ? keys : createLocalJWKSet(keys);
  return async (jws) => {
    const { payload } = await compactVerify(jws, keySet, { algorithms: ['ES256'] });
    const parsed = checkpointPayloadOf(JSON.parse(new TextDecoder().decode(payload)));
    if (!parsed) throw new Error('not an audit checkpoint payload');
    return parsed;
  };
}

/** The payload part of a compact JWS: two checkpoints with the same one say the same thing. */
export function payloadSegment(jws: string): string {
  return jws.split('.')[1] ?? '';
}

/** Reads a receipt's payload without checking its signature (for sorting and ranges only), or null. */
export function decodeCheckpoint(jws: string): CheckpointPayload | null {
  const parts = jws.split('.');
  if (parts.length !== 3) return null;
  try {
    return checkpointPayloadOf(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
  } catch {
    return null;
  }
}

/** `next` is the checkpoint right after `head`: the next number, the next range, from its head. */
export function extendsHead(next: CheckpointPayload, head: CheckpointPayload): boolean {
  return next.checkpoint === head.checkpoint + 1 && BigInt(next.firstSequence) === BigInt(head.lastSequence) + 1n && next.previousHead === head.head;
}
