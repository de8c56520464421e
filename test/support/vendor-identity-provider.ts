import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/**
 * An identity provider shaped like a vendor's, for token-shape tests: its issuer has the vendor's
 * kind of path (`/{tenant}/v2.0`, `/oauth2/default`, `/realms/{realm}`), it publishes an OpenID
 * Connect discovery document whose `jwks_uri` is the only way to its keys, and it signs with
 * RS256 like those vendors do by default.
 */
export class VendorIdentityProvider {
  issuer = '';
  discoveryRequests = 0;
  private server?: Server;
  private constructor(
    private readonly pair: KeyPair,
    private readonly publicJwk: JWK,
    private readonly options: { discoveryIssuer?: (real: string) => string },
  ) {}

  static async start(issuerPath: string, options: { discoveryIssuer?: (real: string) => string } = {}): Promise<VendorIdentityProvider> {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: `rsa-${Date.now().toString(36)}`, alg: 'RS256', use: 'sig' };
    const idp = new VendorIdentityProvider(pair, publicJwk, options);
    await idp.listen(issuerPath);
    return idp;
  }

  private async listen(issuerPath: string): Promise<void> {
    this.server = createServer((req, res) => {
      const base = new URL(this.issuer);
      if (req.url === `${base.pathname.replace(/\/$/, '')}/.well-known/openid-configuration`) {
        this.discoveryRequests += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            issuer: this.options.discoveryIssuer ? this.options.discoveryIssuer(this.issuer) : this.issuer,
            jwks_uri: `${base.origin}/keys/${Buffer.from(base.pathname).toString('hex')}`,
            authorization_endpoint: `${this.issuer}/authorize`,
            token_endpoint: `${this.issuer}/token`,
          }),
        );
        return;
      }
      if (req.url?.startsWith('/keys/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [this.publicJwk] }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${issuerPath}`;
  }

  /** A token with exactly these claims (plus iss, iat, nbf, exp), signed RS256 with the published key. */
  async sign(claims: Record<string, unknown>, lifetimeSeconds = 3600): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.publicJwk.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.pair.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
