// The newcomer's path (`npm install && npm start`): no variables at all gives an embedded
// PostgreSQL under DATA_DIR, migrated, with default policies and demo data; production mode
// turns every development convenience off.
import { exportJWK, generateKeyPair } from 'jose';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { buildApp } from '@app/bootstrap.js';
import { DemoDataSeeder } from '@app/demo/demo-data.seeder.js';
import { migrateDatabase } from '@libs/database/migrate.js';
import { MIGRATIONS } from '@migrations/index.js';
import { mintDevToken } from '@app/cli/token.js';
import { testDatabaseUrl } from './support/database.js';
import { LocalIdentityProvider } from '@libs/testing/local-identity-provider.js';

describe('first run on a fresh machine', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'crisis-link-newcomer-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('starts an embedded PostgreSQL, seeds demo data once, serves a demo token, and stops the database on close', async () => {
    const env = { NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' };
    const built = await buildApp(env);
    let url: string;
    try {
      url = built.databaseUrl;
      expect(url).toMatch(/^postgres:\/\/postgres:.+@127\.0\.0\.1:\d+\/crisis_link$/);
      expect(await built.app.get(DemoDataSeeder).seedIfEmpty()).toBe(true);
      expect(await built.app.get(DemoDataSeeder).seedIfEmpty()).toBe(false);
      const token = await mintDevToken(['--role', 'provider_staff', '--org', 'riverside-recovery', '--sub', 'pat'], env);
      const answer = await request(built.app.getHttpServer())
        .post('/graphql')
        .set('Authorization', `Bearer ${token}`)
        .send({ query: '{ patients(first: 10) { nodes { givenName enrollments { programName } } } }' });
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.patients.nodes.map((n: { givenName: string }) => n.givenName).sort()).toEqual(['Alex', 'Dana']);
      const dana = await request(built.app.getHttpServer())
        .post('/graphql')
        .set('Authorization', `Bearer ${token}`)
        .send({ query: '{ patients(first: 10) { nodes { id givenName } } }' });
      const danaId = dana.body.data.patients.nodes.find((n: { givenName: string }) => n.givenName === 'Dana').id;
      const consents = await request(built.app.getHttpServer())
        .post('/graphql')
        .set('Authorization', `Bearer ${token}`)
        .send({ query: 'query($id: ID!) { consents(patientId: $id) { status recipients { organization { key } } } }', variables: { id: danaId } });
      expect(consents.body.data.consents).toEqual([
        { status: 'ACTIVE', recipients: expect.arrayContaining([{ organization: { key: 'metro-crisis-team' } }, { organization: { key: 'county-mobile-crisis' } }]) },
      ]);
      // The demo's agreements are in force: Alice (Metro Crisis Team, co-responder) gets Dana's
      // record with the engagement notes; an officer of Metro Police (law enforcement) the hand-off only.
      const lookup = async (args: string[]) =>
        (
          await request(built.app.getHttpServer())
            .post('/graphql')
            .set('Authorization', `Bearer ${await mintDevToken(args, env)}`)
            .send({
              query: '{ responderLookup(input: {givenName: "Dana", familyName: "Rivera", dateOfBirth: "1990-04-12", incidentNumber: "INC-1", purpose: CRISIS_RESPONSE}) { outcome records { careTeam { name } treatmentSince engagementNotes } } }',
            })
        ).body.data.responderLookup;
      const alice = await lookup(['--role', 'responder', '--org', 'metro-crisis-team', '--sub', 'alice', '--name', 'Alice Responder']);
      expect(alice.outcome).toBe('INFORMATION_AVAILABLE');
      expect(alice.records[0].engagementNotes).toEqual(expect.any(String));
      const officer = await lookup(['--role', 'responder', '--org', 'metro-police', '--sub', 'officer', '--name', 'Officer Demo']);
      expect(officer.outcome).toBe('INFORMATION_AVAILABLE');
      expect(officer.records[0]).toMatchObject({ careTeam: expect.any(Array), treatmentSince: null, engagementNotes: null });
      // The demo's referrals show the feedback loop: Alice's team sees what became of the one
      // Harbor closed (its person's REFERRAL_OUTCOME consent names the team), never the person;
      // Pat has one in Riverside's queue to accept or decline.
      const referrals = async (args: string[]) =>
        (
          await request(built.app.getHttpServer())
            .post('/graphql')
            .set('Authorization', `Bearer ${await mintDevToken(args, env)}`)
            .send({ query: '{ referrals(first: 10) { nodes { status outcome givenName provider { key } } } }' })
        ).body.data.referrals.nodes;
      expect(await referrals(['--role', 'responder', '--org', 'metro-crisis-team', '--sub', 'alice', '--name', 'Alice Responder'])).toEqual(
        expect.arrayContaining([
          { status: 'CLOSED', outcome: 'ENGAGED', givenName: null, provider: { key: 'harbor-mental-health' } },
          { status: 'RECEIVED', outcome: null, givenName: null, provider: { key: 'riverside-recovery' } },
        ]),
      );
      expect(await referrals(['--role', 'provider_staff', '--org', 'riverside-recovery', '--sub', 'pat'])).toEqual([
        { status: 'RECEIVED', outcome: null, givenName: 'Morgan', provider: { key: 'riverside-recovery' } },
      ]);
      const jwks = await request(built.app.getHttpServer()).get('/.well-known/jwks.json');
      expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
      expect(jwks.body.keys[0].d).toBeUndefined();
    } finally {
      await built.close();
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
  }, 60_000);
});

describe('production mode', () => {
  it('has no GraphiQL, no introspection, no development key set and no demo data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crisis-link-prod-'));
    const idp = await LocalIdentityProvider.start();
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    await writeFile(join(dir, 'audit.jwk'), JSON.stringify(await exportJWK(privateKey)));
    await writeFile(join(dir, 'data.json'), JSON.stringify({ kid: 'prod-test', key: randomBytes(32).toString('base64') }));
    const built = await buildApp({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      // Its own signing key: it must not seal the shared test ledger.
      AUDIT_SEAL_INTERVAL_MS: '0',
      DATABASE_URL: testDatabaseUrl(),
      AUTH_ISSUER: idp.issuer,
      AUTH_AUDIENCE: idp.audience,
      AUTH_JWKS_URL: idp.jwksUrl,
      AUDIT_SIGNING_KEY_FILE: join(dir, 'audit.jwk'),
      DATA_ENCRYPTION_KEY_FILE: join(dir, 'data.json'),
      // Production requires a witness of the audit ledger outside the database (C18).
      AUDIT_WITNESS_DIR: join(dir, 'audit-witness'),
    });
    try {
      const http = built.app.getHttpServer();
      expect((await request(http).get('/graphql').set('Accept', 'text/html')).status).toBe(405);
      expect((await request(http).get('/.well-known/jwks.json')).status).toBe(404);
      const org = `prod-${randomBytes(4).toString('hex')}`;
      const client = new pg.Client({ connectionString: testDatabaseUrl() });
      await client.connect();
      await client.query(`INSERT INTO organization (key, name, kind, created_by) VALUES ($1, 'P', 'OVERSIGHT', 'test')`, [org]);
      await client.end();
      // Production asks every role for multi-factor (AUTH_MFA_ROLES defaults to all).
      const token = await idp.mint({ org, roles: ['admin'], claims: { amr: ['pwd', 'mfa'] } });
      const introspection = await request(http).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query: '{ __schema { types { name } } }' });
      expect(introspection.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(introspection.body.data).toBeUndefined();
    } finally {
      await built.close();
      await idp.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('migrations', () => {
  it('run once when two instances start together (advisory lock)', async () => {
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    const name = `crisis_link_race_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(testDatabaseUrl());
      url.pathname = `/${name}`;
      const [first, second] = await Promise.all([migrateDatabase(url.toString(), MIGRATIONS), migrateDatabase(url.toString(), MIGRATIONS)]);
      expect([...first, ...second]).toEqual(MIGRATIONS.map((m) => new m().name));
      const check = new pg.Client({ connectionString: url.toString() });
      await check.connect();
      const rows = await check.query('SELECT name FROM schema_migration');
      await check.end();
      expect(rows.rows).toHaveLength(MIGRATIONS.length);
    } finally {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
