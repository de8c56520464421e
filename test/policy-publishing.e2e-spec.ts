// Access policies as versioned, audited data (issue: publish, guard rails, live reload, why).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '@libs/config/project-root.js';
import { PARTNERSHIP_IN_FORCE_SQL } from '@libs/testing/partnership-fixture.js';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { sql, testDatabaseUrl } from './support/database.js';
import { LOOKUP, lookupInput, openProviderDesk } from './support/scenario.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const PUBLISH = 'mutation($input: PublishAccessPolicyInput!) { publishAccessPolicy(input: $input) { role version active source rules } }';
const ACTIVATE = 'mutation($input: ActivateAccessPolicyInput!) { activateAccessPolicy(input: $input) { role version active } }';
const EXPLAIN = 'query($role: String!, $action: String!, $subject: String!, $field: String) { explainAccess(role: $role, action: $action, subject: $subject, field: $field) { allowed role version ruleIndex rule reason } }';

describe('publishing access policies: validation and guard rails (shared database, nothing published)', () => {
  let t: TestApp;
  let home: TestOrganization;
  let admin: string;
  beforeAll(async () => {
    t = await TestApp.start();
    home = await t.organization('OVERSIGHT');
    admin = await t.token('admin', home);
  });
  afterAll(() => t.close());

  it.each([
    [[{ action: 'read', subject: 'Patient' }], 'rules.0', 'GUARD_RAIL', /admin never reads/, 'admin'],
    [[{ action: 'create', subject: 'Organization' }, { action: 'manage', subject: 'all' }], 'rules.1', 'INVALID_POLICY', /everything/, 'admin'],
    [[{ action: 'fly', subject: 'Organization' }], 'rules.0', 'INVALID_POLICY', /does not apply/, 'admin'],
    [[{ action: 'read', subject: 'AuditEvent' }], 'rules.0', 'GUARD_RAIL', /only compliance_officer/, 'provider_staff'],
    [[{ action: 'emergency-access', subject: 'ResponderView' }], 'rules.0', 'GUARD_RAIL', /only clinical_responder/, 'responder'],
    // An unknown placeholder is outside the vocabulary, and so no scope: both are named.
    [[{ action: 'read', subject: 'Patient', conditions: { organizationKey: '${principal.email}' } }], 'rules.0', 'GUARD_RAIL', /placeholder/, 'provider_staff'],
    [[{ action: 'read', subject: 'Organization', conditions: { kind: { $regex: '.*' } } }], 'rules.0', 'INVALID_POLICY', /not allowed/, 'admin'],
    // C20: the outside attack: a condition that looks like a scope and widens it to everyone else.
    [[{ action: ['read', 'verify'], subject: 'AuditEvent', conditions: { actorOrganizationKey: { $ne: '${principal.org}' } } }], 'rules.0', 'GUARD_RAIL', /audit log only with/, 'compliance_officer'],
    [[{ action: 'read', subject: 'AuditEvent', conditions: { subjectOrganizationKeys: { $nin: [] } } }], 'rules.0', 'GUARD_RAIL', /audit log only with/, 'compliance_officer'],
    [[{ action: 'read', subject: 'Disclosure', conditions: { $or: [{ organizationKey: '${principal.org}' }, { organizationKey: { $ne: '${principal.org}' } }] } }], 'rules.0', 'GUARD_RAIL', /unknown condition field/, 'compliance_officer'],
  ] as const)('refuses %j for %s by rule index and reason, storing nothing', async (rules, field, reason, why, role) => {
    const before = await sql('SELECT count(*)::int AS n FROM access_policy');
    const answer = await t.graphql(admin, PUBLISH, { input: { role, rules } });
    expect(answer.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [field], reason });
    expect(answer.errors![0].extensions!.problems[0].reason).toMatch(why);
    expect(await sql('SELECT count(*)::int AS n FROM access_policy')).toEqual(before);
  });

  it('refuses an unknown role by name', async () => {
    expect((await t.graphql(admin, PUBLISH, { input: { role: 'superuser', rules: [] } })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['role'] });
  });

  it('is for admins only', async () => {
    for (const role of ['responder', 'provider_staff', 'compliance_officer'] as const) {
      expect(codeOf(await t.graphql(await t.token(role, await t.homeOf(role)), PUBLISH, { input: { role: 'admin', rules: [] } }))).toBe('FORBIDDEN');
    }
  });

  it('explains a decision: allowed or not, by which rule of which version', async () => {
    const allowed = (await t.graphql(admin, EXPLAIN, { role: 'responder', action: 'lookup', subject: 'ResponderView', field: 'careTeam' })).data!.explainAccess;
    expect(allowed).toMatchObject({ allowed: true, role: 'responder', ruleIndex: 0, rule: { action: 'lookup', subject: 'ResponderView' } });
    expect(allowed.version).toBeGreaterThan(0);
    const denied = (await t.graphql(await t.token('compliance_officer', home), EXPLAIN, { role: 'admin', action: 'read', subject: 'Patient' })).data!.explainAccess;
    expect(denied).toMatchObject({ allowed: false, ruleIndex: null, reason: expect.stringMatching(/denied by default/) });
    expect((await t.graphql(admin, EXPLAIN, { role: 'nobody', action: 'read', subject: 'Patient' })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['role'] });
    expect((await t.graphql(admin, EXPLAIN, { role: 'admin', action: 'read; drop', subject: 'x'.repeat(300) })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['action', 'subject'] });
  });
});

describe('publishing, live reload and rollback (own database: policies are global)', () => {
  let database: string;
  let url: string;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    database = `crisis_link_policies_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const parsed = new URL(testDatabaseUrl());
    parsed.pathname = `/${database}`;
    url = parsed.toString();
    // The test polls instance B until it runs the new version: lift the lookup rate limit.
    a = await TestApp.start({ DATABASE_URL: url, LOOKUP_RATE_LIMIT_PER_HOUR: '1000' });
    b = await TestApp.start({ DATABASE_URL: url, LOOKUP_RATE_LIMIT_PER_HOUR: '1000' }, a.idp);
  });
  afterAll(async () => {
    await b.built.close();
    await a.built.close();
    await a.idp.stop();
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    await admin.end();
  });

  const query = async <T>(text: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const organization = async (kind: string, part2 = false) => {
    const key = `${kind.toLowerCase().replace(/_/g, '-')}-${randomBytes(4).toString('hex')}`;
    const [row] = await query<{ id: string }>(`INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, $3, $4, 'test') RETURNING id`, [key, `Org ${key}`, kind, part2]);
    return { id: row.id, key, name: `Org ${key}`, kind } as TestOrganization;
  };

  it('a narrower responder policy published on one instance runs on the other without restart, shows in the answer and the audit event, and rolls back', async () => {
    const oversight = await organization('OVERSIGHT');
    const agency = await organization('RESPONDER_AGENCY');
    const provider = await organization('TREATMENT_PROVIDER', true);
    // Issue 15: the consent below may name the agency only under an agreement in force.
    await query(PARTNERSHIP_IN_FORCE_SQL, [provider.id, agency.id, 'test']);
    const adminSub = uniqueSub();
    const admin = await a.token('admin', oversight, { sub: adminSub });
    const deskToken = await a.token('provider_staff', provider);
    const { ProviderDesk } = await import('@libs/testing/provider-desk.js');
    const desk = new ProviderDesk(async (tok, q, v) => (await a.graphql(tok, q, v)).body, provider, deskToken);
    const { who } = await desk.consentedPatient([agency]);
    const responderSub = uniqueSub();
    const responder = await b.token('responder', agency, { sub: responderSub });
    const ask = async () => {
      const result = await b.graphql(responder, LOOKUP, { input: lookupInput(who) });
      if (!result.data) throw new Error(JSON.stringify(result.errors));
      return result.data.responderLookup;
    };

    expect((await ask()).records[0].engagementNotes).toBe('Calm, slow approach.');
    const before = (await query<{ version: number }>(`SELECT version FROM access_policy WHERE role = 'responder' AND active`))[0].version;

    const published = await a.graphql(admin, PUBLISH, {
      input: {
        role: 'responder',
        // The shipped rules, the lookup rules (by agency type) replaced by one narrower rule; the referral rules stay.
        rules: [
          { action: 'lookup', subject: 'ResponderView', fields: ['programName', 'inTreatment', 'treatmentSince', 'careTeam'] },
          ...(JSON.parse(readFileSync(join(projectRoot(), 'policies', 'responder.json'), 'utf8')).rules as Array<{ subject: string }>).filter((rule) => rule.subject !== 'ResponderView'),
        ],
      },
    });
    expect(published.errors).toBeUndefined();
    expect(published.data!.publishAccessPolicy).toMatchObject({ role: 'responder', version: before + 1, active: true, source: 'PUBLISHED' });
    const [event] = await query<{ details: any }>(`SELECT details FROM audit_event WHERE actor_sub = $1 AND action = 'publishAccessPolicy'`, [adminSub]);
    expect(event.details).toMatchObject({ role: 'responder', version: before + 1, previousVersion: before });
    // The shipped lookup rules went (by agency type, docs/policies.md); one came.
    const shipped = JSON.parse(await readFile(join(projectRoot(), 'policies', 'responder.json'), 'utf8')).rules as Array<{ subject: string }>;
    expect(event.details.difference.removed).toEqual(shipped.filter((r) => r.subject === 'ResponderView'));
    expect(event.details.difference.added).toHaveLength(1);
    expect(event.details.difference.added[0].fields).not.toContain('engagementNotes');

    // Instance B picks the new version up within its refresh interval, with no restart.
    let answer = await ask();
    for (let i = 0; i < 40 && answer.records[0].engagementNotes !== null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await ask();
    }
    expect(answer.records[0]).toMatchObject({ engagementNotes: null, careTeam: expect.any(Array) });
    const [lookupEvent] = await query<{ policy_version: number; policy_rule: string; disclosed_categories: string[] }>(
      'SELECT policy_version, policy_rule, disclosed_categories FROM audit_event WHERE id = $1',
      [answer.disclosureId],
    );
    expect(lookupEvent).toEqual({ policy_version: before + 1, policy_rule: `responder@${before + 1}#0`, disclosed_categories: ['CARE_TEAM_CONTACT', 'TREATMENT_STATUS'] });

    const rolledBack = await a.graphql(admin, ACTIVATE, { input: { role: 'responder', version: before } });
    expect(rolledBack.data!.activateAccessPolicy).toEqual({ role: 'responder', version: before, active: true });
    let restored = await ask();
    for (let i = 0; i < 40 && restored.records[0].engagementNotes === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      restored = await ask();
    }
    expect(restored.records[0].engagementNotes).toBe('Calm, slow approach.');
    const activations = await query(`SELECT details->>'version' AS version FROM audit_event WHERE actor_sub = $1 AND action = 'activateAccessPolicy'`, [adminSub]);
    expect(activations).toEqual([{ version: String(before) }]);
    expect((await a.graphql(admin, ACTIVATE, { input: { role: 'responder', version: 999 } })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['version'], reason: 'NOT_FOUND' });
  });

  it('refuses to start while a version in force breaks a guard rail', async () => {
    await query(
      `INSERT INTO access_policy (role, version, rules, content_hash, source, published_by, active)
       SELECT 'admin', max(version) + 1, '[{"action":"read","subject":"Patient"}]', 'x', 'PUBLISHED', 'mallory', false FROM access_policy WHERE role = 'admin'`,
    );
    await query(`UPDATE access_policy SET active = (version = (SELECT max(version) FROM access_policy WHERE role = 'admin')) WHERE role = 'admin'`);
    await expect(TestApp.start({ DATABASE_URL: url }, a.idp)).rejects.toThrow(/breaks a guard rail/);
    await query(`DELETE FROM access_policy WHERE role = 'admin' AND published_by = 'mallory'`);
    await query(`UPDATE access_policy SET active = (version = (SELECT max(version) FROM access_policy WHERE role = 'admin')) WHERE role = 'admin'`);
  });
});
