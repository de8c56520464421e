// A newcomer's first start (issue 12, "tried as a new user would"): what `npm start` prints works
// as printed, on any port, and the app opened at another address of the machine still signs in.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { buildApp, type BuiltApp } from '@app/bootstrap.js';
import { devTokenCommand } from '@app/cli/dev-token-command.js';
import { DEMO_PRINCIPALS } from '@app/demo/demo-data.js';
import { mintDevToken } from '@app/cli/token.js';
import { startBanner } from '@app/start-banner.js';
import { loadConfig } from '@libs/config/app-config.js';
import { closeSql, migrateTestDatabase, sql, testDatabaseUrl } from './support/database.js';

/** `NAME=value … npm run -s token -- args…` (plain words only) -> the other terminal's env and args. */
function parseTokenCommand(command: string): { env: Record<string, string>; args: string[] } {
  const words = command.split(' ');
  const at = words.indexOf('npm');
  expect(words.slice(at, at + 4)).toEqual(['npm', 'run', '-s', 'token']);
  expect(words[at + 4]).toBe('--');
  const env = Object.fromEntries(words.slice(0, at).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  return { env, args: words.slice(at + 5) };
}

describe('the start banner', () => {
  it('prints token commands that carry the port, address and data folder of this service, and none with the defaults', () => {
    const person = { role: 'responder', org: 'metro-crisis-team', sub: 'alice', name: 'Alice Responder' };
    expect(devTokenCommand(loadConfig({}), person)).toBe('npm run -s token -- --role responder --org metro-crisis-team --sub alice --name "Alice Responder"');
    expect(devTokenCommand(loadConfig({ PORT: '3456' }), person)).toMatch(/^PUBLIC_URL=http:\/\/localhost:3456 npm run -s token -- /);
    expect(devTokenCommand(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3456/' }), person)).toMatch(/^PUBLIC_URL=http:\/\/127\.0\.0\.1:3456 npm run/);
    expect(devTokenCommand(loadConfig({ DATA_DIR: 'my data' }), person)).toBe(`DATA_DIR='${resolve('my data')}' npm run -s token -- --role responder --org metro-crisis-team --sub alice --name "Alice Responder"`);

    const banner = startBanner(loadConfig({ PORT: '3456' }), 3456);
    expect(banner).toContain('Open it in a browser: http://localhost:3456/');
    expect(banner).toContain('GraphiQL, to try the API in a browser: http://localhost:3456/graphql');
    const tokenLines = banner.split('\n').filter((line) => line.includes('npm run -s token'));
    // One per demo person, and the responder's example.
    expect(tokenLines.length).toBe(DEMO_PRINCIPALS.length + 1);
    for (const line of tokenLines) expect(line).toContain('PUBLIC_URL=http://localhost:3456 npm run -s token -- --role ');
  });

  it('prints no development token command when an outside identity provider is configured', () => {
    const banner = startBanner(loadConfig({ AUTH_ISSUER: 'https://login.example.org/', AUTH_AUDIENCE: 'api://crisis-link' }), 3000);
    expect(banner).toContain('Sign in there with your identity provider.');
    expect(banner).not.toContain('npm run');
  });
});

describe('a development start on another port and data folder', () => {
  const PORT = '4599';
  let built: BuiltApp;
  let dataDir: string;

  beforeAll(async () => {
    await migrateTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'crisis-link-first-start-'));
    // The shared test keys for data and the audit ledger; the provider's key is this folder's own.
    for (const file of ['data-encryption-key.json', 'audit-signing-key.json']) {
      await writeFile(join(dataDir, file), await readFile(join(process.env.TEST_DATA_DIR!, file)));
    }
    await sql(
      `INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ('riverside-recovery', 'Riverside Recovery', 'TREATMENT_PROVIDER', true, 'test-fixture') ON CONFLICT (key) DO NOTHING`,
    );
    built = await buildApp({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: testDatabaseUrl(), DATA_DIR: dataDir, AUDIT_SEAL_INTERVAL_MS: '0', PORT });
  });
  afterAll(async () => {
    await built?.close();
    await closeSql();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('accepts a token minted in another terminal by the command the banner printed', async () => {
    const command = devTokenCommand(built.config, { role: 'provider_staff', org: 'riverside-recovery', sub: 'pat' });
    expect(startBanner(built.config, Number(PORT))).toContain(command);
    // The other terminal has none of this service's settings but those the command names.
    const { env, args } = parseTokenCommand(command);
    const token = await mintDevToken(args, env);
    const answer = await request(built.app.getHttpServer())
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({ query: '{ me { roles organization { key } } }' });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.me).toEqual({ roles: ['provider_staff'], organization: { key: 'riverside-recovery' } });
    // The bare command, as before, named another issuer: the service refused its token.
    const bare = await mintDevToken(args, { DATA_DIR: dataDir });
    expect((await request(built.app.getHttpServer()).post('/graphql').set('Authorization', `Bearer ${bare}`).send({ query: '{ __typename }' })).status).toBe(401);
  });

  it("shows the same command in GraphiQL's first editor", async () => {
    const script = await request(built.app.getHttpServer()).get('/graphiql/graphiql-start.js');
    expect(script.status).toBe(200);
    const pat = DEMO_PRINCIPALS.find((p) => p.sub === 'pat')!;
    const command = devTokenCommand(built.config, pat);
    expect(command).toMatch(new RegExp(`^PUBLIC_URL=http://localhost:${PORT} DATA_DIR=\\S+ npm run -s token -- --role provider_staff`));
    // A JavaScript string in the script (JSON-escaped quotes).
    expect(script.text).toContain(JSON.stringify(`#   ${command}`).slice(1, -1));
  });

  it('sends the app opened at another address of this machine to PUBLIC_URL, where sign-in returns', async () => {
    const http = built.app.getHttpServer();
    const elsewhere = await request(http).get('/?state=idle').set('Host', `127.0.0.1:${PORT}`);
    expect(elsewhere.status).toBe(302);
    expect(elsewhere.headers.location).toBe(`http://localhost:${PORT}/?state=idle`);
    const here = await request(http).get('/').set('Host', `localhost:${PORT}`);
    expect(here.status).not.toBe(302);
    expect(here.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });
});
