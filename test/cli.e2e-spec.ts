// README: `npm run token` mints development tokens (never in production); `npm run org:create`
// bootstraps the first organisation against the configured database with no server running.
import { createLocalJWKSet, jwtVerify } from 'jose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_AUDIENCE, DevIssuer, devIssuerUrl } from '@libs/auth/dev-issuer.js';
import { mintDevToken } from '@app/cli/token.js';
import { createOrganizationFromCli } from '@app/cli/org-create.js';
import { closeSql, migrateTestDatabase, sql, testDatabaseUrl } from './support/database.js';

describe('npm run token', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'crisis-link-cli-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('mints an ES256 token that the development provider\'s key set verifies, with the contract claims', async () => {
    const token = await mintDevToken(['--role', 'responder', '--org', 'metro-crisis-team', '--sub', 'alice', '--name', 'Alice R'], { DATA_DIR: dataDir, PORT: '4123' });
    const issuer = await DevIssuer.open(dataDir, devIssuerUrl('http://localhost:4123'));
    // The issuer is the development OpenID provider at <PUBLIC_URL>/dev-idp (PUBLIC_URL defaults to localhost:PORT).
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(issuer.jwks), { issuer: 'http://localhost:4123/dev-idp', audience: DEV_AUDIENCE });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: 'alice', org: 'metro-crisis-team', roles: ['responder'], name: 'Alice R' });
    expect(payload.exp! - payload.iat!).toBe(8 * 3600);
  });

  it('refuses an unknown role and missing arguments', async () => {
    await expect(mintDevToken(['--role', 'god', '--org', 'x', '--sub', 'y'], { DATA_DIR: dataDir })).rejects.toThrow(/unknown role/);
    await expect(mintDevToken(['--role', 'admin'], { DATA_DIR: dataDir })).rejects.toThrow(/usage/);
  });

  it('cannot be switched on in production or beside an outside issuer', async () => {
    const production = {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://x@y/z',
      AUTH_ISSUER: 'https://idp.example/',
      AUTH_AUDIENCE: 'a',
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      AUDIT_SIGNING_KEY_FILE: '/k',
      DATA_ENCRYPTION_KEY_FILE: '/d',
      AUDIT_WITNESS_DIR: '/w',
    };
    await expect(mintDevToken(['--role', 'admin', '--org', 'x', '--sub', 'y'], production)).rejects.toThrow(/development issuer is off/);
    await expect(mintDevToken(['--role', 'admin', '--org', 'x', '--sub', 'y'], { DATA_DIR: dataDir, AUTH_ISSUER: 'https://idp.example/', AUTH_AUDIENCE: 'a', AUTH_JWKS_URL: 'https://idp.example/jwks' })).rejects.toThrow(
      /development issuer is off/,
    );
  });
});

describe('npm run org:create', () => {
  beforeAll(() => migrateTestDatabase());
  afterAll(() => closeSql());
  const env = () => ({ DATABASE_URL: testDatabaseUrl(), DATA_DIR: process.env.TEST_DATA_DIR, NODE_ENV: 'test', LOG_LEVEL: 'silent' });

  it('creates an organisation with no server running, and audits it', async () => {
    const key = `boot-${Date.now().toString(36)}`;
    const created = await createOrganizationFromCli(['--key', key, '--name', 'First Admins', '--kind', 'OVERSIGHT'], env());
    expect(await sql('SELECT name, kind, part2_program FROM organization WHERE key = $1', [key])).toEqual([{ name: 'First Admins', kind: 'OVERSIGHT', part2_program: false }]);
    const events = await sql<{ action: string; actor_sub: string }>(`SELECT action, actor_sub FROM audit_event WHERE $1 = ANY(subject_org_keys)`, [key]);
    expect(events).toHaveLength(1);
    expect(events[0].action).toBe('createOrganization');
    expect(events[0].actor_sub).toMatch(/^operator:/);
    expect(created.key).toBe(key);
  });

  it('refuses a taken key, a bad key and a bad kind, changing nothing', async () => {
    const key = `boot2-${Date.now().toString(36)}`;
    await createOrganizationFromCli(['--key', key, '--name', 'A', '--kind', 'TREATMENT_PROVIDER', '--part2'], env());
    await expect(createOrganizationFromCli(['--key', key, '--name', 'B', '--kind', 'OVERSIGHT'], env())).rejects.toMatchObject({ fields: ['key'], reason: 'ALREADY_EXISTS' });
    await expect(createOrganizationFromCli(['--key', 'Bad Key', '--name', 'B', '--kind', 'OVERSIGHT'], env())).rejects.toThrow(/slug/);
    await expect(createOrganizationFromCli(['--key', `${key}-x`, '--name', 'B', '--kind', 'CLINIC'], env())).rejects.toThrow(/--kind/);
    expect(await sql('SELECT name, part2_program FROM organization WHERE key LIKE $1', [`${key}%`])).toEqual([{ name: 'A', part2_program: true }]);
  });
});

describe('npm run keys:generate', () => {
  it('writes an ES256 audit key and a data key, owner-only, and never overwrites them', async () => {
    const { generateKeyFiles } = await import('@app/cli/keys-generate.js');
    const { stat, readFile } = await import('node:fs/promises');
    const dir = join(await mkdtemp(join(tmpdir(), 'crisis-link-keys-')), 'secrets');
    try {
      const [audit, data] = await generateKeyFiles(['--out', dir]);
      expect(JSON.parse(await readFile(audit, 'utf8'))).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', d: expect.any(String) });
      expect(Buffer.from(JSON.parse(await readFile(data, 'utf8')).key, 'base64')).toHaveLength(32);
      expect((await stat(audit)).mode & 0o077).toBe(0);
      await expect(generateKeyFiles(['--out', dir])).rejects.toThrow(/refusing to overwrite/);
    } finally {
      await rm(join(dir, '..'), { recursive: true, force: true });
    }
  });
});
