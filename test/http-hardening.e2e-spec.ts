// Hardening of the HTTP edge, after an outside attack on the running service:
// - what the body parser refuses (malformed JSON, an over-large body, a wrong content type) is
//   answered in the one error shape, never quoting the body (C3), never cached (C12);
// - the audit request id is the server's own, never the caller's (C16, C18);
// - every refusal of the query limits is a 400, like any other bad input;
// - security headers (helmet) on every answer, errors included; GraphiQL still works in development.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import request, { type Response } from 'supertest';
import { buildApp, type BuiltApp } from '@app/bootstrap.js';
import { LocalIdentityProvider } from '@libs/testing/local-identity-provider.js';
import { sql, testDatabaseUrl } from './support/database.js';
import { TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PHI = 'Dana Rivera 1990-04-12';

/** The one error shape: GraphQL-shaped, one error, a fixed message and a code, never cached (C3, C12). */
function expectOneErrorShape(response: Response, status: number, code: string, message: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(response.body)).toEqual(['errors']);
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors[0].message).toBe(message);
  expect(response.body.errors[0].extensions.code).toBe(code);
  for (const echoed of ['Dana', 'Rivera', '1990-04-12', 'Unexpected token', 'SyntaxError', 'stack']) expect(response.text).not.toContain(echoed);
}

function expectSecurityHeaders(response: Response): void {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['content-security-policy']).toMatch(/(^|;\s*)frame-ancestors 'none'(;|$)/);
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['x-powered-by']).toBeUndefined();
}

/** The directive's sources, for example `script-src` of a Content-Security-Policy header. */
function directive(csp: string, name: string): string[] {
  const found = csp.split(';').map((part) => part.trim().split(/\s+/)).find(([key]) => key === name);
  return found ? found.slice(1) : [];
}

describe('HTTP hardening', () => {
  let t: TestApp;
  let oversight: TestOrganization;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start();
    oversight = await t.organization('OVERSIGHT');
    admin = await t.token('admin', oversight);
  });
  afterAll(() => t.close());

  const post = () => request(t.http).post('/graphql');

  describe('what the body parser refuses (C3, C12)', () => {
    it('answers malformed JSON with the one error shape, quoting nothing of the body', async () => {
      const response = await post().set('Authorization', `Bearer ${admin}`).set('Content-Type', 'application/json').send(`{"query": "${PHI}`);
      expectOneErrorShape(response, 400, 'BAD_USER_INPUT', 'The input is not valid');
      expect(response.body.errors[0].extensions.reason).toBe('MALFORMED_JSON');
      expectSecurityHeaders(response);
    });

    it('never reads the body of an unauthenticated caller: malformed JSON without a token is a 401', async () => {
      const response = await post().set('Content-Type', 'application/json').send(`{"query": "${PHI}`);
      expectOneErrorShape(response, 401, 'UNAUTHENTICATED', 'Authentication is required');
      expectSecurityHeaders(response);
    });

    it('answers an over-large body with 413 in the one error shape', async () => {
      const body = JSON.stringify({ query: '{ __typename }', variables: { note: `${PHI} `.repeat(10_000) } });
      const response = await post().set('Authorization', `Bearer ${admin}`).set('Content-Type', 'application/json').send(body);
      expectOneErrorShape(response, 413, 'BAD_USER_INPUT', 'The input is not valid');
      expect(response.body.errors[0].extensions.reason).toBe('BODY_TOO_LARGE');
      expectSecurityHeaders(response);
    });

    it.each([
      ['text/plain', PHI],
      ['application/x-www-form-urlencoded', `query=${encodeURIComponent(PHI)}`],
      ['application/xml', `<q>${PHI}</q>`],
    ])('answers a body of type %s with 415 in the one error shape, with or without a token', async (type, body) => {
      for (const token of [admin, null]) {
        let call = post().set('Content-Type', type);
        if (token) call = call.set('Authorization', `Bearer ${token}`);
        const response = await call.send(body);
        expectOneErrorShape(response, 415, 'BAD_USER_INPUT', 'The input is not valid');
        expect(response.body.errors[0].extensions.reason).toBe('UNSUPPORTED_CONTENT_TYPE');
        expectSecurityHeaders(response);
      }
    });

    it('answers a JSON body in a charset it cannot read with 415', async () => {
      const response = await post().set('Authorization', `Bearer ${admin}`).set('Content-Type', 'application/json; charset=koi8-r').send('{"query":"{ __typename }"}');
      expectOneErrorShape(response, 415, 'BAD_USER_INPUT', 'The input is not valid');
    });

    it('still answers a well-formed request', async () => {
      const response = await post().set('Authorization', `Bearer ${admin}`).set('Content-Type', 'application/json; charset=utf-8').send('{"query":"{ __typename }"}');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: { __typename: 'Query' } });
    });
  });

  describe('audit request ids (C16)', () => {
    it('are generated by the server: two callers sending one X-Request-Id get two audit request ids', async () => {
      const subs = [uniqueSub(), uniqueSub()];
      const answered: string[] = [];
      for (const sub of subs) {
        const token = await t.token('admin', oversight, { sub });
        const response = await post()
          .set('Authorization', `Bearer ${token}`)
          .set('Content-Type', 'application/json')
          .set('X-Request-Id', 'shared-request-id')
          .send({ query: '{ organizations { key } }' });
        expect(response.status).toBe(200);
        answered.push(response.headers['x-request-id']);
      }
      const rows = await sql<{ actor_sub: string; request_id: string }>(
        'SELECT actor_sub, request_id FROM audit_event WHERE actor_sub = ANY($1) ORDER BY sequence',
        [subs],
      );
      expect(rows.map((row) => row.actor_sub)).toEqual(subs);
      for (const row of rows) expect(row.request_id).toMatch(UUID);
      expect(rows[0].request_id).not.toBe(rows[1].request_id);
      // The caller learns the server's id, to quote it when reporting a problem.
      expect(answered).toEqual(rows.map((row) => row.request_id));
    });

    it('audit a refused sign-in under the server id too', async () => {
      const outsider = uniqueSub();
      // A role the organisation's kind does not have: refused at the door, and audited.
      const token = await t.token('clinical_responder', oversight, { sub: outsider });
      const response = await post().set('Authorization', `Bearer ${token}`).set('X-Request-Id', 'chosen-by-caller').send({ query: '{ __typename }' });
      expect(response.status).toBe(401);
      const rows = await sql<{ request_id: string }>('SELECT request_id FROM audit_event WHERE actor_sub = $1', [outsider]);
      expect(rows).toHaveLength(1);
      expect(rows[0].request_id).toMatch(UUID);
      expect(response.headers['x-request-id']).toBe(rows[0].request_id);
    });
  });

  describe('query limits answer 400, like any bad input', () => {
    // Aliases of a real field: graphql-armor does not count aliases of __typename.
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: organizations { key }`).join(' ')} }`;
    const ofTypes = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofTypes(n - 1)} }`);
    it.each([
      ['1,000 aliases (the attack)', aliases(1000)],
      ['aliases', aliases(8)],
      ['depth', `{ __schema { types { fields { type { ${ofTypes(14)} } } } } }`],
      ['tokens', `{ ${'__typename '.repeat(2100)}}`],
      ['cost', '{ patients(first: 3000) { nodes { id } } }'],
      ['directives', `{ ${'__typename @include(if: true) '.repeat(11)}}`],
    ])('%s', async (_, query) => {
      const response = await post().set('Authorization', `Bearer ${admin}`).set('Content-Type', 'application/json').send({ query });
      expectOneErrorShape(response, 400, 'BAD_USER_INPUT', 'The input is not valid');
      expect(response.body.errors[0].extensions.reason).toBe('QUERY_LIMIT');
      expectSecurityHeaders(response);
    });
  });

  describe('security headers on every answer', () => {
    it('on an answer, and on 401, 405, 400 and 404 refusals and health checks', async () => {
      const answers = [
        await post().set('Authorization', `Bearer ${admin}`).send({ query: '{ __typename }' }),
        await post().send({ query: '{ __typename }' }),
        await request(t.http).get(`/graphql?query=${encodeURIComponent('{ __typename }')}`),
        await request(t.http).put('/graphql').send({ query: '{ __typename }' }),
        await post().set('Authorization', `Bearer ${admin}`).send({ query: '{ nope }' }),
        await request(t.http).get('/no-such-route'),
        await request(t.http).get('/health/live'),
      ];
      expect(answers.map((answer) => answer.status)).toEqual([200, 401, 405, 405, 400, 404, 200]);
      for (const answer of answers) expectSecurityHeaders(answer);
      // An API answer is never a document: nothing may load or run in its context.
      expect(directive(answers[0].headers['content-security-policy'], 'default-src')).toEqual(["'none'"]);
    });

    it('sends Strict-Transport-Security only behind TLS outside production', async () => {
      const plain = await post().set('Authorization', `Bearer ${admin}`).send({ query: '{ __typename }' });
      expect(plain.headers['strict-transport-security']).toBeUndefined();
      // The TLS-terminating proxy on the loopback interface is trusted (trust proxy).
      const behindTls = await post().set('X-Forwarded-Proto', 'https').send({ query: '{ __typename }' });
      expect(behindTls.status).toBe(401);
      expect(behindTls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    });

    it('serves GraphiQL outside production from this service alone, with no inline script and no other origin in its CSP', async () => {
      const page = await request(t.http).get('/graphql').set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('graphiql');
      expectSecurityHeaders(page);
      const csp: string = page.headers['content-security-policy'];
      const scripts = [...page.text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
      const styles = [...page.text.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThan(0);
      expect(styles.length).toBeGreaterThan(0);
      // Every file from this service (no CDN: it runs on networks without internet), no inline script.
      for (const url of [...scripts, ...styles]) expect(url).toMatch(/^\/graphiql\//);
      expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(directive(csp, 'script-src')).toEqual(["'self'"]);
      expect(directive(csp, 'connect-src')).toEqual(["'self'"]);
      expect(directive(csp, 'default-src')).toEqual(["'none'"]);
      expect(csp).not.toMatch(/https?:|\*/);
      // The API itself keeps the strict policy.
      const api = await post().set('Authorization', `Bearer ${admin}`).send({ query: '{ __typename }' });
      expect(directive(api.headers['content-security-policy'], 'script-src')).toEqual([]);
    });
  });
});

describe('HTTP hardening in production', () => {
  let built: BuiltApp;
  let idp: LocalIdentityProvider;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crisis-link-hardening-'));
    idp = await LocalIdentityProvider.start();
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    await writeFile(join(dir, 'audit.jwk'), JSON.stringify(await exportJWK(privateKey)));
    await writeFile(join(dir, 'data.json'), JSON.stringify({ kid: 'hardening-test', key: randomBytes(32).toString('base64') }));
    built = await buildApp({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      AUDIT_SEAL_INTERVAL_MS: '0',
      DATABASE_URL: testDatabaseUrl(),
      AUTH_ISSUER: idp.issuer,
      AUTH_AUDIENCE: idp.audience,
      AUTH_JWKS_URL: idp.jwksUrl,
      AUDIT_SIGNING_KEY_FILE: join(dir, 'audit.jwk'),
      DATA_ENCRYPTION_KEY_FILE: join(dir, 'data.json'),
      AUDIT_WITNESS_DIR: join(dir, 'audit-witness'),
    });
  });
  afterAll(async () => {
    await built?.close();
    await idp?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('always sends Strict-Transport-Security (TLS is mandatory in production, C23), and no GraphiQL', async () => {
    const http = built.app.getHttpServer();
    const refused = await request(http).post('/graphql').send({ query: '{ __typename }' });
    expect(refused.status).toBe(401);
    expect(refused.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expectSecurityHeaders(refused);
    const page = await request(http).get('/graphql').set('Accept', 'text/html');
    expect(page.status).toBe(405);
    expectSecurityHeaders(page);
    expect(directive(page.headers['content-security-policy'], 'script-src')).toEqual([]);
    // Nor any of GraphiQL's files.
    for (const file of ['graphiql.min.js', 'graphiql-start.js']) expect((await request(http).get(`/graphiql/${file}`)).status).toBe(404);
  });
});
