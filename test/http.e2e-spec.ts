// C12: answers are never cached and PHI never travels in a URL; errors carry a code and never a
// stack trace or an input value (house rule 8); query limits bound the work of one request.
import request from 'supertest';
import { codeOf, TestApp, type TestOrganization } from './support/test-app.js';

describe('GraphQL over HTTP', () => {
  let t: TestApp;
  let admin: string;
  let oversight: TestOrganization;

  beforeAll(async () => {
    t = await TestApp.start();
    oversight = await t.organization('OVERSIGHT');
    admin = await t.token('admin', oversight);
  });
  afterAll(() => t.close());

  it('refuses a GraphQL request sent by GET, with or without a token (C12)', async () => {
    const query = encodeURIComponent('{ organizations { key } }');
    const anonymous = await request(t.http).get(`/graphql?query=${query}`);
    expect(anonymous.status).toBe(405);
    expect(anonymous.headers.allow).toBe('POST');
    const authenticated = await request(t.http).get(`/graphql?query=${query}`).set('Authorization', `Bearer ${admin}`);
    expect(authenticated.status).toBe(405);
    expect(authenticated.body.data).toBeUndefined();
  });

  it('marks every answer no-store: success, error and refusal (C12)', async () => {
    const ok = await t.graphql(admin, '{ organizations { key } }');
    const bad = await t.graphql(admin, '{ organizations { nope } }');
    const anonymous = await t.graphql(null, '{ organizations { key } }');
    for (const answer of [ok, bad, anonymous]) expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('answers a malformed query with BAD_USER_INPUT, no stack trace', async () => {
    const answer = await t.graphql(admin, '{ organizations { key ');
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(answer.body)).not.toMatch(/stacktrace|at .*\.js/);
  });

  it('names the unknown field without suggesting others', async () => {
    const answer = await t.graphql(admin, '{ organizations { nam } }');
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].extensions?.fields).toEqual(['nam']);
    expect(JSON.stringify(answer.body)).not.toContain('Did you mean');
  });

  it('never echoes a refused input value (C3)', async () => {
    const secret = 'Zelda-Quixote-1234';
    const answer = await t.graphql(
      admin,
      'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      { input: { key: secret, name: secret, kind: 'NOT_A_KIND' } },
    );
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].extensions?.fields).toEqual(['kind']);
    expect(JSON.stringify(answer.body)).not.toContain(secret);
    expect(JSON.stringify(answer.body)).not.toContain('NOT_A_KIND');
  });

  it('refuses batched operations', async () => {
    const response = await request(t.http)
      .post('/graphql')
      .set('Authorization', `Bearer ${admin}`)
      .set('Content-Type', 'application/json')
      .send([{ query: '{ organizations { key } }' }, { query: '{ organizations { key } }' }]);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(response.body)).not.toContain(oversight.key);
  });

  it('refuses queries past the depth limit', async () => {
    const deep = '{ patients { nodes { enrollments { careTeam { name } } } pageInfo { endCursor } edges { node { enrollments { careTeam { name } } } } } }';
    const ofTypes = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofTypes(n - 1)} }`);
    const tooDeep = `{ __schema { types { fields { type { ${ofTypes(14)} } } } } }`;
    expect(codeOf(await t.graphql(admin, tooDeep))).toBe('BAD_USER_INPUT');
    expect((await t.graphql(admin, tooDeep)).errors?.[0].extensions?.reason).toBe('QUERY_LIMIT');
    expect(codeOf(await t.graphql(admin, deep))).not.toBe('BAD_USER_INPUT');
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 8 }, (_, i) => `a${i}: organizations { key }`).join(' ');
    const answer = await t.graphql(admin, `{ ${aliases} }`);
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].extensions?.reason).toBe('QUERY_LIMIT');
  });

  it('serves GraphiQL to a browser outside production', async () => {
    const page = await request(t.http).get('/graphql').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('graphiql');
  });

  it('answers health checks without a token', async () => {
    expect((await request(t.http).get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await request(t.http).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
  });

  it('does not serve the development key set when an outside issuer is configured', async () => {
    expect((await request(t.http).get('/.well-known/jwks.json')).status).toBe(404);
  });
});
