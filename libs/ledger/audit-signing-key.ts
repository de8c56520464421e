import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK } from 'jose';
import { join } from 'node:path';
import type { AppConfig } from '@libs/config/app-config.js';
import { readOrCreateKeyFile } from '@libs/crypto/key-files.js';

/** The key that signs audit checkpoints; it never enters the database (C18). */
export interface AuditSigningKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof importJWK>>;
  publicJwk: JWK;
  /** Public keys of retired signing keys (AUDIT_RETIRED_KEYS_FILE): old checkpoints stay verifiable. */
  retiredPublicJwks: JWK[];
}

/** AUDIT_SIGNING_KEY_FILE (a private EC P-256 JWK), or outside production one generated under DATA_DIR. */
export async function openAuditSigningKey(config: AppConfig): Promise<AuditSigningKey> {
  const file = config.env.AUDIT_SIGNING_KEY_FILE;
  const jwk = file
    ? await readOrCreateKeyFile<JWK>(file)
    : await readOrCreateKeyFile<JWK>(join(config.env.DATA_DIR, 'audit-signing-key.json'), async () => {
        const { privateKey } = await generateKeyPair('ES256', { extractable: true });
        const exported = await exportJWK(privateKey);
        return { ...exported, kid: `audit-dev-${(await calculateJwkThumbprint(exported)).slice(0, 12)}`, alg: 'ES256', use: 'sig' };
      });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') {
    throw new Error('AUDIT_SIGNING_KEY_FILE must hold a private EC P-256 JWK (ES256)');
  }
  const publicJwk: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  const kid = jwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  const retired = config.env.AUDIT_RETIRED_KEYS_FILE ? (await readOrCreateKeyFile<JSONWebKeySet>(config.env.AUDIT_RETIRED_KEYS_FILE)).keys : [];
  // Only public halves are ever served, whatever the retired-keys file holds.
  const retiredPublicJwks = retired.map(({ kty, crv, x, y, kid: retiredKid }) => ({ kty, crv, x, y, kid: retiredKid, alg: 'ES256', use: 'sig' }));
  return { kid, privateKey: await importJWK(jwk, 'ES256'), publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' }, retiredPublicJwks };
}

export function publicKeySet(key: AuditSigningKey): JSONWebKeySet {
  return { keys: [key.publicJwk, ...key.retiredPublicJwks] };
}

export const AUDIT_SIGNING_KEY = Symbol('AUDIT_SIGNING_KEY');
