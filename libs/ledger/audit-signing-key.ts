import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK } from 'jose';
import { join } from 'node:path';
import type { AppConfig } from '@libs/config/app-config.js';
import { readOrCreateKeyFile } from '@libs/crypto/key-files.js';

/** The key that signs audit checkpoints; it never enters the database (C18). */
export interface AuditSigningKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof importJWK>>;
  publicJwk: JWK;
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
  return { kid, privateKey: await importJWK(jwk, 'ES256'), publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' } };
}

export function publicKeySet(key: AuditSigningKey): JSONWebKeySet {
  return { keys: [key.publicJwk] };
}

export const AUDIT_SIGNING_KEY = Symbol('AUDIT_SIGNING_KEY');
