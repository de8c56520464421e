// Admins manage organisations (README); C16: every operation is audited, refusals included;
// C22: a role without a rule is refused.
import { sql } from './support/database.js';
import { LOOKUP, lookupInput, openProviderDesk, person } from './support/scenario.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const CREATE = 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id key name kind part2Program } }';
const RENAME = 'mutation($input: RenameOrganizationInput!) { renameOrganization(input: $input) { key name active } }';
const DEACTIVATE = 'mutation($input: DeactivateOrganizationInput!) { deactivateOrganization(input: $input) { key active deactivatedAt } }';
const CHANGE_TYPE = 'mutation($input: ChangeAgencyTypeInput!) { changeAgencyType(input: $input) { key kind agencyType active } }';

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

  // docs/partnerships.md, "Changing an agency's type": the type decides what its responders
  // receive, so a change is an admin's audited act, never a silent database edit.
  describe("changing an agency's type", () => {
    it('changes what the agency\'s next lookup discloses, and audits the previous type with the agency and its partners as subjects', async () => {
      const police = await t.organization('RESPONDER_AGENCY', { agencyType: 'LAW_ENFORCEMENT' });
      const desk = await openProviderDesk(t, { part2Program: true });
      const { who } = await desk.consentedPatient([police]);
      const responder = await t.token('responder', police);
      const shown = async () => {
        const record = (await t.graphql(responder, LOOKUP, { input: lookupInput(who) })).data!.responderLookup.records[0] as Record<string, unknown>;
        return ['programName', 'inTreatment', 'treatmentSince', 'careTeam', 'engagementNotes'].filter((field) => record[field] !== null);
      };
      expect(await shown()).toEqual(['programName', 'inTreatment', 'careTeam']);

      const sub = uniqueSub();
      const answer = await t.graphql(await t.token('admin', home, { sub }), CHANGE_TYPE, { input: { organizationKey: police.key, agencyType: 'MOBILE_CRISIS' } });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.changeAgencyType).toEqual({ key: police.key, kind: 'RESPONDER_AGENCY', agencyType: 'MOBILE_CRISIS', active: true });
      expect(
        await sql(`SELECT action, outcome, subject_org_keys, details->>'previousAgencyType' AS previous, details->>'agencyType' AS type FROM audit_event WHERE actor_sub = $1`, [sub]),
      ).toEqual([
        { action: 'changeAgencyType', outcome: 'SUCCESS', subject_org_keys: expect.arrayContaining([police.key, desk.organization.key]), previous: 'LAW_ENFORCEMENT', type: 'MOBILE_CRISIS' },
      ]);
      // The same token, the next request: the directory on this instance was told at once.
      expect(await shown()).toEqual(['programName', 'inTreatment', 'treatmentSince', 'careTeam', 'engagementNotes']);
    });

    it.each([
      ['a treatment provider', 'TREATMENT_PROVIDER', 'ONLY_RESPONDER_AGENCIES'],
      ['an oversight body', 'OVERSIGHT', 'ONLY_RESPONDER_AGENCIES'],
    ] as const)('refuses a type for %s by field, changes nothing and audits the refusal', async (_, kind, reason) => {
      const other = await t.organization(kind);
      const sub = uniqueSub();
      const answer = await t.graphql(await t.token('admin', home, { sub }), CHANGE_TYPE, { input: { organizationKey: other.key, agencyType: 'FIRE' } });
      expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['organizationKey'], reason });
      expect(await sql('SELECT agency_type FROM organization WHERE key = $1', [other.key])).toEqual([{ agency_type: null }]);
      expect(await sql(`SELECT action, outcome FROM audit_event WHERE actor_sub = $1`, [sub])).toEqual([{ action: 'changeAgencyType', outcome: 'REFUSED' }]);
    });

    it("refuses an agency's admin reclassifying their own agency (it would widen what its responders receive)", async () => {
      const police = await t.organization('RESPONDER_AGENCY', { agencyType: 'LAW_ENFORCEMENT' });
      const answer = await t.graphql(await t.token('admin', police), CHANGE_TYPE, { input: { organizationKey: police.key, agencyType: 'OTHER' } });
      expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['organizationKey'], reason: 'OWN_ORGANIZATION' });
      expect(await sql('SELECT agency_type FROM organization WHERE key = $1', [police.key])).toEqual([{ agency_type: 'LAW_ENFORCEMENT' }]);
    });

    it('refuses an unknown type, an unknown agency and a deactivated one by field, without echoing the input', async () => {
      const agency = await t.organization('RESPONDER_AGENCY', { agencyType: 'EMS' });
      const admin = await t.token('admin', home);
      const badType = await t.graphql(admin, CHANGE_TYPE, { input: { organizationKey: agency.key, agencyType: 'SECRET_POLICE' } });
      expect(codeOf(badType)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(badType.body)).not.toContain('SECRET_POLICE');
      const unknown = await t.graphql(admin, CHANGE_TYPE, { input: { organizationKey: 'no-such-organization', agencyType: 'FIRE' } });
      expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['organizationKey'], reason: 'UNKNOWN_ORGANIZATION' });
      expect((await t.graphql(admin, DEACTIVATE, { input: { organizationKey: agency.key } })).errors).toBeUndefined();
      const deactivated = await t.graphql(admin, CHANGE_TYPE, { input: { organizationKey: agency.key, agencyType: 'FIRE' } });
      expect(deactivated.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['organizationKey'], reason: 'DEACTIVATED' });
      expect(await sql('SELECT agency_type FROM organization WHERE key = $1', [agency.key])).toEqual([{ agency_type: 'EMS' }]);
    });
  });

  describe('renaming and deactivating (issue 14)', () => {
    it('renames an organisation, keeping its key, and audits the old and the new name', async () => {
      const agency = await t.organization('RESPONDER_AGENCY');
      const sub = uniqueSub();
      const answer = await t.graphql(await t.token('admin', home, { sub }), RENAME, { input: { organizationKey: agency.key, name: 'Metro Mobile Crisis' } });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.renameOrganization).toEqual({ key: agency.key, name: 'Metro Mobile Crisis', active: true });
      expect(await sql(`SELECT action, outcome, subject_org_keys, details->>'previousName' AS previous FROM audit_event WHERE actor_sub = $1`, [sub])).toEqual([
        { action: 'renameOrganization', outcome: 'SUCCESS', subject_org_keys: [agency.key], previous: agency.name },
      ]);
    });

    it.each([
      ['an empty name', { name: '' }, 'name', 'REQUIRED'],
      ['a name too long', { name: 'n'.repeat(201) }, 'name', 'TOO_LONG'],
      ['a key that is not a key', { organizationKey: 'Not A Key!' }, 'organizationKey', 'INVALID_FORMAT'],
    ])('refuses %s by field and rule, and audits the refusal', async (_, change, field, rule) => {
      const agency = await t.organization('RESPONDER_AGENCY');
      const sub = uniqueSub();
      const answer = await t.graphql(await t.token('admin', home, { sub }), RENAME, { input: { organizationKey: agency.key, name: 'Fine', ...change } });
      expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [field], problems: [expect.objectContaining({ field, rule })] });
      expect(JSON.stringify(answer.errors)).not.toContain('Not A Key!');
      expect(await sql('SELECT name FROM organization WHERE key = $1', [agency.key])).toEqual([{ name: agency.name }]);
      expect(await sql(`SELECT action, outcome FROM audit_event WHERE actor_sub = $1`, [sub])).toEqual([{ action: 'renameOrganization', outcome: 'REFUSED' }]);
    });

    it('refuses an unknown organisation by field, for renaming and deactivating alike', async () => {
      const token = await t.token('admin', home);
      for (const [document, input] of [
        [RENAME, { organizationKey: 'no-such-organization', name: 'x' }],
        [DEACTIVATE, { organizationKey: 'no-such-organization' }],
      ] as const) {
        const answer = await t.graphql(token, document, { input });
        expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['organizationKey'], reason: 'UNKNOWN_ORGANIZATION', problems: [{ field: 'organizationKey', rule: 'UNKNOWN_ORGANIZATION', limit: null }] });
      }
    });

    it("refuses an agency's admin changing an oversight body (C20), and leaves it as it was", async () => {
      const oversight = await t.organization('OVERSIGHT');
      const agencyAdmin = await t.token('admin', await t.organization('RESPONDER_AGENCY'));
      for (const [document, input] of [
        [RENAME, { organizationKey: oversight.key, name: 'Taken over' }],
        [DEACTIVATE, { organizationKey: oversight.key }],
      ] as const) {
        const answer = await t.graphql(agencyAdmin, document, { input });
        expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['organizationKey'], reason: 'OVERSIGHT_ONLY_BY_OVERSIGHT' });
      }
      expect(await sql('SELECT name, deactivated_at FROM organization WHERE key = $1', [oversight.key])).toEqual([{ name: oversight.name, deactivated_at: null }]);
    });

    it("refuses deactivating the admin's own organisation (nobody would be left to act for it)", async () => {
      const own = await t.organization('TREATMENT_PROVIDER');
      const answer = await t.graphql(await t.token('admin', own), DEACTIVATE, { input: { organizationKey: own.key } });
      expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['organizationKey'], reason: 'OWN_ORGANIZATION' });
      expect(await sql('SELECT deactivated_at FROM organization WHERE key = $1', [own.key])).toEqual([{ deactivated_at: null }]);
    });

    it("deactivates an agency: its tokens are refused at once, no new consent may name it, it leaves the recipients' directory; its consents stay as recorded", async () => {
      const agency = await t.organization('RESPONDER_AGENCY');
      const desk = await openProviderDesk(t);
      const { consentId } = await desk.consentedPatient([agency]);
      const responder = await t.token('responder', agency);
      // Used once before, so the organisation is in the authentication cache.
      expect((await t.graphql(responder, '{ me { sub } }')).errors).toBeUndefined();

      const sub = uniqueSub();
      const admin = await t.token('admin', home, { sub });
      const answer = await t.graphql(admin, DEACTIVATE, { input: { organizationKey: agency.key } });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.deactivateOrganization).toMatchObject({ key: agency.key, active: false, deactivatedAt: expect.any(String) });
      expect(await sql(`SELECT action, outcome, subject_org_keys FROM audit_event WHERE actor_sub = $1`, [sub])).toEqual([
        // Its agreements end with it: each partner is a subject too (docs/partnerships.md, "A deactivated organisation is no one's partner").
        { action: 'deactivateOrganization', outcome: 'SUCCESS', subject_org_keys: expect.arrayContaining([agency.key, desk.organization.key]) },
      ]);

      const refused = await t.graphql(responder, '{ me { sub } }');
      expect(refused.status).toBe(401);
      expect(codeOf(refused)).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.graphql(await t.token('responder', agency), '{ me { sub } }'))).toBe('UNAUTHENTICATED');

      const directory = (await t.graphql(desk.staffToken, '{ recipientOrganizations { key } }')).data!.recipientOrganizations as Array<{ key: string }>;
      expect(directory.map((o) => o.key)).not.toContain(agency.key);
      const patientId = await desk.register(person());
      const consent = await t.graphql(desk.staffToken, 'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }', {
        input: {
          patientId,
          recipientOrganizationKeys: [agency.key],
          purpose: 'CRISIS_RESPONSE',
          dataCategories: ['TREATMENT_STATUS'],
          expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
          signedBy: { name: 'Dana Rivera', relationship: 'SELF' },
          signedAt: new Date(Date.now() - 60_000).toISOString(),
          acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
        },
      });
      expect(consent.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['recipientOrganizationKeys'], reason: 'ORGANIZATION_DEACTIVATED' });
      // The consent that names it is not edited (C7): it stays as recorded, with the organisation named.
      expect(await sql('SELECT count(*)::int AS n FROM consent_recipient r JOIN organization o ON o.id = r.organization_id WHERE o.key = $1', [agency.key])).toEqual([{ n: 1 }]);
      expect(consentId).toBeTruthy();

      // Final: neither renamed nor deactivated again.
      for (const [document, input] of [
        [RENAME, { organizationKey: agency.key, name: 'Back again' }],
        [DEACTIVATE, { organizationKey: agency.key }],
      ] as const) {
        const again = await t.graphql(admin, document, { input });
        expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['organizationKey'], reason: 'DEACTIVATED' });
      }
      const listed = (await t.graphql(admin, '{ organizations { key active } }')).data!.organizations as Array<{ key: string; active: boolean }>;
      expect(listed.find((o) => o.key === agency.key)).toEqual({ key: agency.key, active: false });
    });
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
