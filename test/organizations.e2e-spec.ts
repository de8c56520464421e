// Admins manage organisations (README); C16: every operation is audited, refusals included;
// C22: a role without a rule is refused.
import { sql } from './support/database.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const CREATE = 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id key name kind part2Program } }';

describe('organisations', () => {
  let t: TestApp;
  let home: TestOrganization;

  beforeAll(async () => {
    t = await TestApp.start();
    home = await t.organization('OVERSIGHT');
  });
  afterAll(() => t.close());

  const freshKey = () => `org-${Math.random().toString(36).slice(2, 10)}`;

  it('lets an admin create a treatment provider and audits it', async () => {
    const sub = uniqueSub();
    const key = freshKey();
    const answer = await t.graphql(await t.token('admin', home, { sub }), CREATE, {
      input: { key, name: 'Lakeside Recovery', kind: 'TREATMENT_PROVIDER', part2Program: true },
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.createOrganization).toMatchObject({ key, name: 'Lakeside Recovery', kind: 'TREATMENT_PROVIDER', part2Program: true });
    const events = await sql(`SELECT action, outcome, subject_org_keys FROM audit_event WHERE actor_sub = $1`, [sub]);
    expect(events).toEqual([{ action: 'createOrganization', outcome: 'SUCCESS', subject_org_keys: [key] }]);
  });

  // The outside attack: any admin created an OVERSIGHT body, whose compliance officers then read
  // every organisation's log (C20). Only an oversight body's admin (or the operator) may.
  it.each(['RESPONDER_AGENCY', 'TREATMENT_PROVIDER'] as const)('refuses an oversight body created by an admin of a %s, by field, and audits it', async (kind) => {
    const sub = uniqueSub();
    const key = freshKey();
    const answer = await t.graphql(await t.token('admin', await t.organization(kind), { sub }), CREATE, { input: { key, name: 'Shadow Oversight', kind: 'OVERSIGHT' } });
    expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['kind'], reason: 'OVERSIGHT_ONLY_BY_OVERSIGHT' });
    expect(await sql('SELECT 1 FROM organization WHERE key = $1', [key])).toHaveLength(0);
    expect(await sql(`SELECT action, outcome FROM audit_event WHERE actor_sub = $1`, [sub])).toEqual([{ action: 'createOrganization', outcome: 'REFUSED' }]);
  });

  it('lets an oversight body\'s admin create another oversight body', async () => {
    const key = freshKey();
    const answer = await t.graphql(await t.token('admin', home), CREATE, { input: { key, name: 'Regional Oversight', kind: 'OVERSIGHT' } });
    expect(answer.data?.createOrganization).toMatchObject({ key, kind: 'OVERSIGHT' });
  });

  it('lists organisations for an admin, and audits the read', async () => {
    const sub = uniqueSub();
    const answer = await t.graphql(await t.token('admin', home, { sub }), '{ organizations { key kind } }');
    expect(answer.data?.organizations).toEqual(expect.arrayContaining([{ key: home.key, kind: 'OVERSIGHT' }]));
    expect(await sql(`SELECT action FROM audit_event WHERE actor_sub = $1`, [sub])).toEqual([{ action: 'organizations' }]);
  });

  it.each([
    ['key', { key: 'Not A Slug!' }],
    ['key', { key: 'x' }],
    ['name', { name: '' }],
    ['name', { name: 'n'.repeat(201) }],
    ['kind', { kind: 'HOSPITAL' }],
  ])('refuses a bad %s by name and stores nothing', async (field, change) => {
    const key = freshKey();
    const answer = await t.graphql(await t.token('admin', home), CREATE, {
      input: { key, name: 'Somewhere', kind: 'RESPONDER_AGENCY', ...change },
    });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].extensions?.fields).toEqual([field]);
    expect(await sql('SELECT 1 FROM organization WHERE key = $1', [(change as { key?: string }).key ?? key])).toHaveLength(0);
  });

  it('refuses a missing required field by name', async () => {
    const answer = await t.graphql(await t.token('admin', home), CREATE, { input: { key: freshKey(), kind: 'RESPONDER_AGENCY' } });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].extensions?.fields).toEqual(['name']);
  });

  it('refuses an unknown extra field', async () => {
    const answer = await t.graphql(await t.token('admin', home), CREATE, { input: { key: freshKey(), name: 'x', kind: 'RESPONDER_AGENCY', color: 'red' } });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].extensions?.fields).toEqual(['color']);
  });

  it('refuses a Part 2 flag on an organisation that is not a treatment provider', async () => {
    const key = freshKey();
    const answer = await t.graphql(await t.token('admin', home), CREATE, { input: { key, name: 'Metro', kind: 'RESPONDER_AGENCY', part2Program: true } });
    expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['part2Program'] });
    expect(await sql('SELECT 1 FROM organization WHERE key = $1', [key])).toHaveLength(0);
  });

  it('refuses a duplicate key and leaves the first untouched', async () => {
    const key = freshKey();
    const token = await t.token('admin', home);
    await t.graphql(token, CREATE, { input: { key, name: 'First', kind: 'RESPONDER_AGENCY' } });
    const again = await t.graphql(token, CREATE, { input: { key, name: 'Second', kind: 'OVERSIGHT' } });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['key'], reason: 'ALREADY_EXISTS' });
    expect(await sql('SELECT name FROM organization WHERE key = $1', [key])).toEqual([{ name: 'First' }]);
  });

  it.each(['responder', 'clinical_responder', 'provider_staff', 'compliance_officer'] as const)(
    'refuses %s with FORBIDDEN and audits the refusal (C22, C16)',
    async (role) => {
      const sub = uniqueSub();
      const key = freshKey();
      const answer = await t.graphql(await t.token(role, await t.homeOf(role), { sub }), CREATE, { input: { key, name: 'x', kind: 'RESPONDER_AGENCY' } });
      expect(codeOf(answer)).toBe('FORBIDDEN');
      expect(answer.data?.createOrganization ?? null).toBeNull();
      expect(await sql('SELECT 1 FROM organization WHERE key = $1', [key])).toHaveLength(0);
      expect(await sql(`SELECT action, outcome, policy_rule FROM audit_event WHERE actor_sub = $1`, [sub])).toEqual([
        { action: 'createOrganization', outcome: 'DENIED', policy_rule: null },
      ]);
    },
  );
});
