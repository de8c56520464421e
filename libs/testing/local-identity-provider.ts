import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export interface MintOptions {
  sub?: string;
  org?: string;
  roles?: unknown;
  name?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  notBefore?: number;
  issuer?: string;
  audience?: string;
  kid?: string;
  claims?: Record<string, unknown>;
  /** Omit a claim entirely. */
  omit?: Array<'sub' | 'org' | 'roles' | 'exp' | 'name'>;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * An outside identity provider for tests and benchmarks (never used by the service): real ES256 keys, its JWKS served over HTTP on
 * 127.0.0.1, tokens signed with jose. Keys can be rotated (new `kid`) while the service runs.
 */
export class LocalIdentityProvider {
  readonly issuer = 'https://idp.test.crisis-link.invalid/';
  readonly audience = 'crisis-link-api';
  private keys: Array<{ kid: string; pair: KeyPair; publicJwk: JWK }> = [];
  private server?: Server;
  jwksUrl = '';
  jwksRequests = 0;

  static async start(): Promise<LocalIdentityProvider> {
    const idp = new LocalIdentityProvider();
    await idp.rotate();
    await idp.listen();
    return idp;
  }

  /** Adds a new signing key; tokens are signed with the newest from now on. */
  async rotate(): Promise<string> {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const kid = `k-${randomUUID().slice(0, 8)}`;
    this.keys.push({ kid, pair, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' } });
    return kid;
  }

  get currentKid(): string {
    return this.keys[this.keys.length - 1].kid;
  }

  get publicJwk(): JWK {
    return this.keys[this.keys.length - 1].publicJwk;
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.url === '/jwks.json') {
        this.jwksRequests += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: this.keys.map((k) => k.publicJwk) }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  async mint(options: MintOptions = {}): Promise<string> {
    const key = options.kid ? this.keys.find((k) => k.kid === options.kid) : this.keys[this.keys.length - 1];
    const signing = key ?? this.keys[this.keys.length - 1];
    const payload: Record<string, unknown> = {
      org: options.org ?? 'unknown-org',
      roles: options.roles ?? ['responder'],
      name: options.name ?? 'Test Person',
      ...options.claims,
    };
    for (const claim of options.omit ?? []) if (claim !== 'sub' && claim !== 'exp') delete payload[claim];
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? signing.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? this.audience);
    // An `iat` in the claims (a test of a future or odd issue time) is kept as given.
    if (options.claims?.iat === undefined) jwt = jwt.setIssuedAt(now);
    if (!options.omit?.includes('sub')) jwt = jwt.setSubject(options.sub ?? `user-${randomUUID().slice(0, 8)}`);
    if (!options.omit?.includes('exp')) jwt = jwt.setExpirationTime(now + (options.expiresIn ?? 600));
    if (options.notBefore !== undefined) jwt = jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(signing.pair.privateKey);
  }

  /** An unsigned token (`alg: none`) with otherwise valid claims. */
  unsigned(claims: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ iss: this.issuer, aud: this.audience, iat: now, exp: now + 600, ...claims }));
    return `${header}.${body}.`;
  }

  /** The classic confusion attack: HS256 keyed with the public key's JSON text. */
  hmacWithPublicKey(claims: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: this.currentKid }));
    const body = b64url(JSON.stringify({ iss: this.issuer, aud: this.audience, iat: now, exp: now + 600, ...claims }));
    const signature = createHmac('sha256', JSON.stringify(this.publicJwk)).update(`${header}.${body}`).digest('base64url');
    return `${header}.${body}.${signature}`;
  }
}
