// The development OpenID Connect provider (oidc-provider) at <PUBLIC_URL>/dev-idp: discovery,
// PKCE S256 only, JWT access tokens for the API, `npm run token` verifying against its JWKS; and
// in production none of it exists.
import { exportJWK, generateKeyPair, createLocalJWKSet, jwtVerify } from 'jose';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { buildApp, type BuiltApp } from '@app/bootstrap.js';
import { mintDevToken } from '@app/cli/token.js';
import { DevIdentityProvider } from '@app/dev-idp/dev-identity-provider.js';
import { DevIssuer } from '@libs/auth/dev-issuer.js';
import { loadConfig } from '@libs/config/app-config.js';
import { LocalIdentityProvider } from '@libs/testing/local-identity-provider.js';
import { closeSql, migrateTestDatabase, testDatabaseUrl } from './support/database.js';

const PUBLIC_URL = 'http://127.0.0.1:4567';
const ISSUER = `${PUBLIC_URL}/dev-idp`;

describe('the development identity provider', () => {
  let built: BuiltApp;
  let dataDir: string;
  const env = () => ({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: testDatabaseUrl(), DATA_DIR: dataDir, AUDIT_SEAL_INTERVAL_MS: '0', PUBLIC_URL });

  beforeAll(async () => {
    await migrateTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'crisis-link-dev-idp-'));
    // The shared test keys for data and the audit ledger; the provider's keys are its own.
    for (const file of ['data-encryption-key.json', 'audit-signing-key.json']) {
      await writeFile(join(dataDir, file), await (await import('node:fs/promises')).readFile(join(process.env.TEST_DATA_DIR!, file)));
    }
    built = await buildApp(env());
  });
  afterAll(async () => {
    await built.close();
    await closeSql();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('publishes its discovery document: code flow with PKCE S256 only, refresh tokens, RP-initiated logout', async () => {
    // Endpoints are named from the Host people used, which is PUBLIC_URL's.
    const answer = await request(built.app.getHttpServer()).get('/dev-idp/.well-known/openid-configuration').set('Host', new URL(PUBLIC_URL).host);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/auth`,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/jwks`,
      end_session_endpoint: `${ISSUER}/session/end`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(answer.body.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
  });

  it('refuses an authorization request without PKCE, or with the plain method', async () => {
    const base = { client_id: 'crisis-link-web', redirect_uri: `${PUBLIC_URL}/auth/callback`, response_type: 'code', scope: 'openid profile', state: 's1' };
    for (const extra of [{}, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }]) {
      const answer = await request(built.app.getHttpServer()).get('/dev-idp/auth').query({ ...base, ...extra });
      expect(answer.status).toBe(303);
      const location = new URL(answer.headers.location);
      expect(`${location.origin}${location.pathname}`).toBe(`${PUBLIC_URL}/auth/callback`);
      expect(location.searchParams.get('error')).toBe('invalid_request');
    }
  });

  it('never sends a person back to an address it was not told about', async () => {
    const answer = await request(built.app.getHttpServer())
      .get('/dev-idp/auth')
      .query({ client_id: 'crisis-link-web', redirect_uri: 'https://evil.example/callback', response_type: 'code', scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' });
    expect(answer.status).toBe(400);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('signs `npm run token` tokens with its own key: they verify against its JWKS and the API accepts them', async () => {
    const token = await mintDevToken(['--role', 'admin', '--org', 'state-oversight', '--sub', 'adam', '--name', 'Adam Admin'], env());
    const jwks = await request(built.app.getHttpServer()).get('/dev-idp/jwks');
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0].d).toBeUndefined();
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks.body), { issuer: ISSUER, audience: 'urn:crisis-link:api' });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: 'adam', org: 'state-oversight', roles: ['admin'], name: 'Adam Admin' });
    // The same key, unchanged, after a restart (kept under DATA_DIR).
    expect((await DevIssuer.open(dataDir, ISSUER)).jwks).toEqual(jwks.body);
  });

  it('serves the app its configuration: this provider, the public client, the API as resource', async () => {
    const answer = await request(built.app.getHttpServer()).get('/app-config.json');
    expect(answer.body).toEqual({
      issuer: ISSUER,
      clientId: 'crisis-link-web',
      audience: 'urn:crisis-link:api',
      scopes: 'openid profile',
      redirectUri: `${PUBLIC_URL}/auth/callback`,
      postLogoutRedirectUri: `${PUBLIC_URL}/`,
      publicUrl: PUBLIC_URL,
      idleTimeoutSeconds: 900,
      answerTtlSeconds: 600,
      hiddenClearSeconds: 60,
      crisisLine: '988',
    });
    expect(answer.headers['cache-control']).toBe('no-store');
  });
});

describe('in production', () => {
  it('refuses to start without an outside issuer, and the provider refuses a production configuration', async () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@y/z', AUDIT_SIGNING_KEY_FILE: '/k', DATA_ENCRYPTION_KEY_FILE: '/d' })).toThrow(/AUTH_ISSUER is required in production/);
    const production = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x@y/z',
      AUTH_ISSUER: 'https://idp.example/',
      AUTH_AUDIENCE: 'a',
      AUDIT_SIGNING_KEY_FILE: '/k',
      DATA_ENCRYPTION_KEY_FILE: '/d',
      AUDIT_WITNESS_DIR: '/w',
    });
    await expect(DevIdentityProvider.create(production, undefined as never)).rejects.toThrow(/never runs in production/);
  });

  it('has no /dev-idp at all; the app is configured for the outside provider', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crisis-link-prod-idp-'));
    const idp = await LocalIdentityProvider.start();
    let built: BuiltApp | undefined;
    try {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      await writeFile(join(dir, 'audit.jwk'), JSON.stringify(await exportJWK(privateKey)));
      await writeFile(join(dir, 'data.json'), JSON.stringify({ kid: 'prod-test', key: randomBytes(32).toString('base64') }));
      built = await buildApp({
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        AUDIT_SEAL_INTERVAL_MS: '0',
        DATABASE_URL: testDatabaseUrl(),
        PUBLIC_URL: 'https://crisis-link.example.org',
        AUTH_ISSUER: idp.issuer,
        AUTH_AUDIENCE: idp.audience,
        AUTH_JWKS_URL: idp.jwksUrl,
        AUDIT_SIGNING_KEY_FILE: join(dir, 'audit.jwk'),
        DATA_ENCRYPTION_KEY_FILE: join(dir, 'data.json'),
        AUDIT_WITNESS_DIR: dir,
      });
      const http = built.app.getHttpServer();
      for (const path of ['/dev-idp/.well-known/openid-configuration', '/dev-idp/jwks', '/dev-idp/auth', '/dev-idp/interaction/x']) {
        expect({ path, status: (await request(http).get(path)).status }).toEqual({ path, status: 404 });
      }
      const config = await request(http).get('/app-config.json');
      expect(config.body).toMatchObject({ issuer: idp.issuer, audience: idp.audience, redirectUri: 'https://crisis-link.example.org/auth/callback' });
      const page = await request(http).get('/');
      expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ${new URL(idp.issuer).origin}`);
    } finally {
      await built?.close();
      await idp.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
