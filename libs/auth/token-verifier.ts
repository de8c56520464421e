import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** Asymmetric algorithms only: `none` and every HMAC algorithm are refused (C21). */
export const ALLOWED_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'] as const;

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
  jwksCooldownSeconds?: number;
  /** Remote JWKS (production): cached by jose, refetched when an unknown `kid` appears. */
  jwksUrl?: string;
  /**
   * With neither `jwksUrl` nor `jwks`: the key set named by `jwks_uri` in the issuer's discovery
   * document (`<issuer>/.well-known/openid-configuration`), fetched on first use.
   */
  discoveryTimeoutSeconds?: number;
  /** Local JWKS (the development issuer). */
  jwks?: JSONWebKeySet;
  /** The longest lifetime a token may claim (`exp` − `iat`, and `exp` − now); default 12 h. */
  maxLifetimeSeconds?: number;
}

export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;

export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(`token rejected: ${reason}`);
    this.name = 'TokenRejected';
  }
}

const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Verifies signature, algorithm, issuer, audience, expiry and not-before with jose. A token
 * verified once is remembered (bounded, least recently added first out) until it expires: a
 * JWT cannot change, so a second signature check would only repeat the first; expiry and
 * not-before are still checked on every use.
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly verified = new Map<string, JWTPayload>();

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.jwksUrl) {
      this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: (options.jwksCooldownSeconds ?? 30) * 1000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
    } else if (options.jwks) {
      this.keys = createLocalJWKSet(options.jwks);
    } else {
      this.keys = async (header, token) => (await this.discoveredKeys())(header, token);
    }
  }

  private discovered?: Promise<JWTVerifyGetKey>;
  private discoveryFailedAt = 0;

  /**
   * OpenID Connect Discovery: AUTH_ISSUER alone is enough. The document must name the same
   * issuer (a look-alike cannot hand us its keys); a failure is retried after the cooldown.
   */
  private discoveredKeys(): Promise<JWTVerifyGetKey> {
    const cooldownMs = (this.options.jwksCooldownSeconds ?? 30) * 1000;
    if (!this.discovered && Date.now() - this.discoveryFailedAt < cooldownMs) return Promise.reject(new TokenRejected('key set unavailable'));
    this.discovered ??= discoverJwksUri(this.options.issuer, (this.options.discoveryTimeoutSeconds ?? 5) * 1000).then(
      (jwksUri) => createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: cooldownMs, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 }),
      (error: unknown) => {
        this.discovered = undefined;
        this.discoveryFailedAt = Date.now();
        throw error;
      },
    );
    return this.discovered;
  }

  async verify(token: string): Promise<JWTPayload> {
    const known = this.verified.get(token);
    if (known) {
      const now = Date.now() / 1000;
      const tolerance = this.options.clockToleranceSeconds;
      if (known.exp! + tolerance > now && (known.nbf === undefined || known.nbf - tolerance <= now)) return known;
      this.verified.delete(token);
      throw new TokenRejected('expired');
    }
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [...ALLOWED_ALGORITHMS],
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      });
      this.checkLifetime(payload);
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, payload);
      return payload;
    } catch (error) {
      throw error instanceof TokenRejected ? error : new TokenRejected(describe(error));
    }
  }

  /**
   * A stolen token is worth as much as its lifetime: one that claims to live for decades, or to
   * be issued in the future, is refused rather than trusted until 2100 (C21).
   */
  private checkLifetime(payload: JWTPayload): void {
    const now = Date.now() / 1000;
    const tolerance = this.options.clockToleranceSeconds;
    const longest = this.options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
    if (payload.iat !== undefined) {
      if (typeof payload.iat !== 'number' || payload.iat > now + tolerance) throw new TokenRejected('issued in the future');
      if (payload.exp! - payload.iat > longest) throw new TokenRejected('lifetime too long');
    }
    if (payload.exp! - now > longest + tolerance) throw new TokenRejected('lifetime too long');
  }
}

/** `jwks_uri` from `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0, section 4). */
export async function discoverJwksUri(issuer: string, timeoutMs = 5_000): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let metadata: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    metadata = (await response.json()) as typeof metadata;
  } catch {
    throw new TokenRejected('key set unavailable');
  }
  if (metadata.issuer !== issuer) throw new TokenRejected('discovery names another issuer');
  if (typeof metadata.jwks_uri !== 'string' || !/^https?:\/\//.test(metadata.jwks_uri)) throw new TokenRejected('discovery has no jwks_uri');
  if (issuer.startsWith('https:') && !metadata.jwks_uri.startsWith('https:')) throw new TokenRejected('discovery jwks_uri is not https');
  return metadata.jwks_uri;
}

/** A short reason for logs; never the token or its claims' values. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} ${error.reason}`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown key';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JWKSTimeout) return 'key set unavailable';
  if (error instanceof errors.JOSEError) return error.code;
  return 'malformed';
}
