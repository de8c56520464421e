// C21: tokens are verified (signature, issuer, audience, expiry, allowed algorithms); roles and
// organisation come only from a verified token. house rule 1: every operation is authenticated.
import { codeOf, TestApp, type TestOrganization } from './support/test-app.js';

const ME = '{ organizations { key } }';

describe('authentication (C21)', () => {
  let t: TestApp;
  let oversight: TestOrganization;

  beforeAll(async () => {
    t = await TestApp.start();
    oversight = await t.organization('OVERSIGHT');
  });
  afterAll(() => t.close());

  // RFC 6750: no token at all gets a bare challenge; any token that fails gets one
  // `invalid_token`, whatever failed (an expired one alone says so: the client can refresh it).
  const expectUnauthenticated = async (token: string | null, challenge = token && /^[\w-]+\.[\w-]+\./.test(token) ? 'Bearer error="invalid_token"' : 'Bearer') => {
    const answer = await t.graphql(token, ME);
    expect(answer.status).toBe(401);
    expect(codeOf(answer)).toBe('UNAUTHENTICATED');
    expect(answer.data).toBeUndefined();
    expect(answer.headers['www-authenticate']).toBe(challenge);
    // The refusal never says which check failed.
    expect(answer.errors?.[0].message).toBe('Authentication is required');
  };

  it('accepts a valid ES256 token from the configured issuer', async () => {
    const answer = await t.graphql(await t.idp.mint({ org: oversight.key, roles: ['admin'] }), ME);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.organizations.map((o: { key: string }) => o.key)).toContain(oversight.key);
  });

  it('refuses a request without a token, even for { __typename }', async () => {
    await expectUnauthenticated(null);
    const answer = await t.graphql(null, '{ __typename }');
    expect(codeOf(answer)).toBe('UNAUTHENTICATED');
  });

  it('refuses a malformed Authorization header', async () => {
    await expectUnauthenticated('not a jwt');
  });

  it('refuses an expired token (beyond the clock tolerance)', async () => {
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: ['admin'], expiresIn: -120 }), 'Bearer error="invalid_token", error_description="expired"');
  });

  it('refuses a token that is not yet valid', async () => {
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: ['admin'], notBefore: 600 }));
  });

  it('refuses a token without an expiry', async () => {
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: ['admin'], omit: ['exp'] }));
  });

  // The outside attack: tokens living until 2100, or issued in the future, were accepted.
  it('refuses a lifetime beyond AUTH_MAX_TOKEN_LIFETIME_SECONDS (12 h by default) and an iat in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: ['admin'], expiresIn: 4102444800 - now }));
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: ['admin'], expiresIn: 13 * 3600 }));
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: ['admin'], claims: { iat: now + 3600 } }));
    // Within the limits, and within the clock tolerance for iat, it is accepted.
    expect((await t.graphql(await t.idp.mint({ org: oversight.key, roles: ['admin'], expiresIn: 11 * 3600 }), ME)).errors).toBeUndefined();
    expect((await t.graphql(await t.idp.mint({ org: oversight.key, roles: ['admin'], claims: { iat: now + 10 } }), ME)).errors).toBeUndefined();
  });

  it('refuses a token from another issuer', async () => {
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: ['admin'], issuer: 'https://evil.example/' }));
  });

  it('refuses a token for another audience', async () => {
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: ['admin'], audience: 'another-api' }));
  });

  it('refuses alg: none', async () => {
    await expectUnauthenticated(t.idp.unsigned({ sub: 'mallory', org: oversight.key, roles: ['admin'] }));
  });

  it('refuses an HS256 token keyed with the public key', async () => {
    await expectUnauthenticated(t.idp.hmacWithPublicKey({ sub: 'mallory', org: oversight.key, roles: ['admin'] }));
  });

  it('refuses a token signed by a key the JWKS does not have (unknown kid)', async () => {
    const stranger = await (await import('@libs/testing/local-identity-provider.js')).LocalIdentityProvider.start();
    try {
      await expectUnauthenticated(await stranger.mint({ org: oversight.key, roles: ['admin'] }));
    } finally {
      await stranger.stop();
    }
  });

  it('refuses a token naming an unknown organisation', async () => {
    await expectUnauthenticated(await t.idp.mint({ org: 'no-such-organisation', roles: ['admin'] }));
  });

  it('refuses a token naming an unknown role, or no role', async () => {
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: ['admin', 'superuser'] }));
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: [] }));
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: 'admin' }));
  });

  it('refuses a token without sub or org', async () => {
    await expectUnauthenticated(await t.idp.mint({ org: oversight.key, roles: ['admin'], omit: ['sub'] }));
    await expectUnauthenticated(await t.idp.mint({ roles: ['admin'], omit: ['org'] }));
  });

  it('follows a key rotation: a token signed with a new kid is accepted once the JWKS has it', async () => {
    await t.idp.rotate();
    const answer = await t.graphql(await t.idp.mint({ org: oversight.key, roles: ['admin'] }), ME);
    expect(answer.errors).toBeUndefined();
  });
});
