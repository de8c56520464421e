import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { join } from 'node:path';
import { readOrCreateKeyFile } from '@libs/crypto/key-files.js';

/** Issuer and audience of development tokens; the service accepts them only outside production. */
export const DEV_ISSUER = 'urn:crisis-link:dev-issuer';
export const DEV_AUDIENCE = 'crisis-link';

interface DevIssuerKeyFile {
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface TokenClaims {
  sub: string;
  org: string;
  roles: string[];
  name?: string;
  amr?: string[];
}

/**
 * A local identity provider for newcomers and demos: an ES256 key pair kept under DATA_DIR, its
 * public half served at /.well-known/jwks.json, and `npm run token` to mint tokens with it.
 */
export class DevIssuer {
  private constructor(private readonly keys: DevIssuerKeyFile) {}

  static async open(dataDir: string): Promise<DevIssuer> {
    const keys = await readOrCreateKeyFile<DevIssuerKeyFile>(join(dataDir, 'dev-issuer-key.json'), async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const kid = `dev-${Date.now().toString(36)}`;
      return {
        privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' },
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
      };
    });
    return new DevIssuer(keys);
  }

  get jwks(): JSONWebKeySet {
    return { keys: [this.keys.publicJwk] };
  }

  async mint(claims: TokenClaims, lifetimeSeconds = 8 * 3600): Promise<string> {
    const key = await importJWK(this.keys.privateJwk, 'ES256');
    const { sub, ...rest } = claims;
    return new SignJWT({ ...rest, name: claims.name ?? sub })
      .setProtectedHeader({ alg: 'ES256', kid: this.keys.privateJwk.kid, typ: 'JWT' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(`${lifetimeSeconds}s`)
      .sign(key);
  }
}
