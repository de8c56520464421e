import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreateKeyFile } from '@libs/crypto/key-files.js';

/**
 * Where the development OpenID Connect provider lives under PUBLIC_URL, and the audience of the
 * API's access tokens there. The audience is an absolute URI because the browser app asks for it
 * as a resource indicator (RFC 8707), which must be one.
 */
export const DEV_IDP_PATH = '/dev-idp';
export const DEV_AUDIENCE = 'urn:crisis-link:api';

export function devIssuerUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${DEV_IDP_PATH}`;
}

interface DevIssuerKeyFile {
  privateJwk: JWK;
  publicJwk: JWK;
}

interface DevIdpSecretsFile {
  /** Keys that sign the development provider's cookies (newest first). */
  cookieKeys: string[];
}

export interface TokenClaims {
  sub: string;
  org: string;
  roles: string[];
  name?: string;
  amr?: string[];
}

/**
 * The signing key of the development identity provider, kept under DATA_DIR so tokens survive a
 * restart: the provider (src/dev-idp) signs ID and access tokens with it, the API verifies with
 * its public half, and `npm run token` mints with the same key, so both verify against the
 * provider's JWKS. Never used in production (AppConfig.usesDevIssuer).
 */
export class DevIssuer {
  private constructor(
    readonly issuer: string,
    private readonly keys: DevIssuerKeyFile,
    private readonly secrets: DevIdpSecretsFile,
  ) {}

  static async open(dataDir: string, issuer: string): Promise<DevIssuer> {
    const keys = await readOrCreateKeyFile<DevIssuerKeyFile>(join(dataDir, 'dev-issuer-key.json'), async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const kid = `dev-${Date.now().toString(36)}`;
      return {
        privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' },
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
      };
    });
    const secrets = await readOrCreateKeyFile<DevIdpSecretsFile>(join(dataDir, 'dev-idp-secrets.json'), () => ({
      cookieKeys: [randomBytes(32).toString('base64url')],
    }));
    return new DevIssuer(issuer, keys, secrets);
  }

  get audience(): string {
    return DEV_AUDIENCE;
  }

  /** The public key set (what the provider serves at `<issuer>/jwks`). */
  get jwks(): JSONWebKeySet {
    return { keys: [this.keys.publicJwk] };
  }

  /** The private signing key, for the provider's own key store only. */
  get signingJwk(): JWK {
    return this.keys.privateJwk;
  }

  get cookieKeys(): string[] {
    return this.secrets.cookieKeys;
  }

  /** An access token for the API, shaped like the provider's own (RFC 9068 `at+jwt`). */
  async mint(claims: TokenClaims, lifetimeSeconds = 8 * 3600): Promise<string> {
    const key = await importJWK(this.keys.privateJwk, 'ES256');
    const { sub, ...rest } = claims;
    return new SignJWT({ ...rest, name: claims.name ?? sub })
      .setProtectedHeader({ alg: 'ES256', kid: this.keys.privateJwk.kid, typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setAudience(DEV_AUDIENCE)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(`${lifetimeSeconds}s`)
      .sign(key);
  }
}
