// Partnerships (issue 15, items 1 and 2): agency types that policies condition on, and the
// agreements between a treatment provider and a responder agency that gate every consent naming
// the agency and every lookup that would disclose to it. Real PostgreSQL, real tokens; whether an
// agreement is in force is decided by the database clock, so the tests move an agreement's own
// times relative to now() in SQL rather than waiting.
import { randomUUID } from 'node:crypto';
import { sql } from './support/database.js';
import { LOOKUP, EMERGENCY, lookupInput, openProviderDesk, person, type ProviderDesk } from './support/scenario.js';
import { codeOf, type GraphqlAnswer, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const PROPOSE = `mutation($input: ProposePartnershipInput!) { proposePartnership(input: $input) {
  id kind status effectiveFrom expiresAt documentReference documentSha256 signatories proposedByOrganizationKey acceptedAt endedAt
  provider { key kind agencyType } agency { key kind agencyType } } }`;
const ACCEPT = 'mutation($id: ID!) { acceptPartnership(id: $id) { id status acceptedAt } }';
const END = 'mutation($input: EndPartnershipInput!) { endPartnership(input: $input) { id status endedAt } }';
const LIST = '{ partnerships { id status kind provider { key } agency { key agencyType } } }';
const CONSENT = 'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }';
const ACCOUNTING = `query($patientId: ID!) { accountingOfDisclosures(patientId: $patientId) { disclosureId partnershipAgreementId legalBasis consentId } }`;
const EXPORT = `query($patientId: ID!, $format: AccountingFormat!) { accountingOfDisclosuresExport(patientId: $patientId, format: $format) { content } }`;
const EXPLAIN = `query($role: String!, $action: String!, $subject: String!, $field: String, $agencyType: AgencyType) {
  explainAccess(role: $role, action: $action, subject: $subject, field: $field, agencyType: $agencyType) { allowed ruleIndex reason agencyType agencyTypeMattered } }`;
const CREATE_ORGANIZATION = 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { key kind agencyType } }';

const SHA = 'ab'.repeat(32);

function proposal(counterpart: { key: string }, overrides: Record<string, unknown> = {}) {
  return {
    counterpartOrganizationKey: counterpart.key,
    kind: 'DATA_SHARING_AGREEMENT',
    effectiveFrom: new Date(Date.now() - 3_600_000).toISOString(),
    expiresAt: '2031-01-01T00:00:00Z',
    documentReference: 'DSA-2026-017',
    documentSha256: SHA,
    signatories: ['R. Director, Riverside', 'C. Chief, Metro'],
    ...overrides,
  };
}

function consentInput(patientId: string, recipientOrganizationKeys: string[]) {
  return {
    patientId,
    recipientOrganizationKeys,
    purpose: 'CRISIS_RESPONSE',
    dataCategories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES'],
    expiresAt: '2030-01-01T00:00:00Z',
    signedBy: { name: 'The Patient', relationship: 'SELF' },
    signedAt: new Date(Date.now() - 86_400_000).toISOString(),
    acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
  };
}

/** The lookup's answer without its per-request parts, for comparing "no" answers byte for byte (C9). */
function comparable(answer: GraphqlAnswer): string {
  const { disclosureId: _id, asOf: _asOf, ...rest } = answer.data!.responderLookup;
  return JSON.stringify({ status: answer.status, body: { ...answer.body, data: { responderLookup: rest } } });
}

describe('partnerships', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ LOOKUP_RATE_LIMIT_PER_HOUR: '1000' });
  });
  afterAll(() => t.close());

  /** A provider (with a desk) and an agency that are not partners, and both sides' admins. */
  async function strangers(agencyType?: 'LAW_ENFORCEMENT' | 'MOBILE_CRISIS') {
    const provider = await t.organization('TREATMENT_PROVIDER', { part2Program: true, partnerships: false });
    const agency = await t.organization('RESPONDER_AGENCY', { agencyType, partnerships: false });
    const staff = await t.token('provider_staff', provider);
    const desk = new (await import('@libs/testing/provider-desk.js')).ProviderDesk(async (tok, q, v) => (await t.graphql(tok, q, v)).body, provider, staff);
    const providerAdminSub = uniqueSub();
    const agencyAdminSub = uniqueSub();
    return {
      provider,
      agency,
      desk,
      providerAdmin: await t.token('admin', provider, { sub: providerAdminSub }),
      agencyAdmin: await t.token('admin', agency, { sub: agencyAdminSub }),
      providerAdminSub,
      agencyAdminSub,
    };
  }

  /** Proposed by the provider's admin and accepted by the agency's: in force. */
  async function agreementInForce(s: Awaited<ReturnType<typeof strangers>>): Promise<string> {
    const proposed = await t.graphql(s.providerAdmin, PROPOSE, { input: proposal(s.agency) });
    expect(proposed.errors).toBeUndefined();
    const id = proposed.data!.proposePartnership.id;
    const accepted = await t.graphql(s.agencyAdmin, ACCEPT, { id });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptPartnership.status).toBe('IN_FORCE');
    return id;
  }

  async function enrolledPatient(desk: ProviderDesk) {
    const who = person();
    const patientId = await desk.register(who);
    await desk.enroll(patientId);
    return { who, patientId };
  }

  describe('agency types', () => {
    it('under the same consent a law-enforcement agency gets strictly fewer fields than a mobile crisis team: no engagement notes (shipped policies)', async () => {
      const provider = await t.organization('TREATMENT_PROVIDER', { part2Program: true });
      const police = await t.organization('RESPONDER_AGENCY', { agencyType: 'LAW_ENFORCEMENT' });
      const crisis = await t.organization('RESPONDER_AGENCY', { agencyType: 'MOBILE_CRISIS' });
      const desk = await openProviderDesk(t, { part2Program: true });
      void provider;
      // openProviderDesk makes a provider after both agencies: partners with each (fixture).
      const { who } = await desk.consentedPatient([police, crisis]);
      const ask = async (agency: TestOrganization) => (await t.graphql(await t.token('responder', agency), LOOKUP, { input: lookupInput(who) })).data!.responderLookup;
      const [asPolice, asCrisis] = [await ask(police), await ask(crisis)];
      expect(asCrisis.outcome).toBe('INFORMATION_AVAILABLE');
      expect(asPolice.outcome).toBe('INFORMATION_AVAILABLE');
      const shown = (record: Record<string, unknown>) =>
        ['programName', 'inTreatment', 'treatmentSince', 'careTeam', 'engagementNotes'].filter((field) => record[field] !== null);
      expect(shown(asCrisis.records[0])).toEqual(['programName', 'inTreatment', 'treatmentSince', 'careTeam', 'engagementNotes']);
      expect(shown(asPolice.records[0])).toEqual(['programName', 'inTreatment', 'careTeam']);
      expect(asPolice.records[0].engagementNotes).toBeNull();
      // Strictly fewer: every field the police get, the crisis team gets too, and more.
      expect(shown(asPolice.records[0]).every((f) => shown(asCrisis.records[0]).includes(f))).toBe(true);
      // The audit event says what was disclosed to each (C16, C19): no ENGAGEMENT_NOTES to the police.
      const [policeEvent] = await sql<{ disclosed_categories: string[] }>('SELECT disclosed_categories FROM audit_event WHERE id = $1', [asPolice.disclosureId]);
      expect(policeEvent.disclosed_categories).toEqual(['CARE_TEAM_CONTACT', 'TREATMENT_STATUS']);
    });

    it('explainAccess says which rule decided and that the agency type mattered', async () => {
      const admin = await t.token('admin', await t.organization('OVERSIGHT'));
      const explain = async (agencyType: string | null) =>
        (await t.graphql(admin, EXPLAIN, { role: 'responder', action: 'lookup', subject: 'ResponderView', field: 'engagementNotes', agencyType })).data!.explainAccess;
      const police = await explain('LAW_ENFORCEMENT');
      expect(police).toMatchObject({ allowed: false, ruleIndex: null, agencyType: 'LAW_ENFORCEMENT', agencyTypeMattered: true });
      expect(police.reason).toMatch(/denied by default; the answer depends on the agency type \(explained as LAW_ENFORCEMENT\)/);
      const crisis = await explain('MOBILE_CRISIS');
      expect(crisis).toMatchObject({ allowed: true, ruleIndex: 3, agencyType: 'MOBILE_CRISIS', agencyTypeMattered: true });
      expect(crisis.reason).toMatch(/allowed by rule 3 of responder version \d+, for responder agencies of type MOBILE_CRISIS/);
      // A field every type gets: the agency type did not matter.
      const careTeam = (await t.graphql(admin, EXPLAIN, { role: 'responder', action: 'lookup', subject: 'ResponderView', field: 'careTeam', agencyType: 'LAW_ENFORCEMENT' })).data!.explainAccess;
      expect(careTeam).toMatchObject({ allowed: true, ruleIndex: 0, agencyTypeMattered: false });
      // Roles outside responder agencies have no agency type.
      const staff = (await t.graphql(admin, EXPLAIN, { role: 'provider_staff', action: 'read', subject: 'Patient', agencyType: 'LAW_ENFORCEMENT' })).data!.explainAccess;
      expect(staff).toMatchObject({ agencyType: null, agencyTypeMattered: false });
    });

    it('is set when an organisation is created: OTHER for an agency without one, refused for other kinds', async () => {
      const admin = await t.token('admin', await t.organization('OVERSIGHT'));
      const key = `police-${randomUUID().slice(0, 8)}`;
      const created = await t.graphql(admin, CREATE_ORGANIZATION, { input: { key, name: 'Police', kind: 'RESPONDER_AGENCY', agencyType: 'LAW_ENFORCEMENT' } });
      expect(created.data!.createOrganization).toEqual({ key, kind: 'RESPONDER_AGENCY', agencyType: 'LAW_ENFORCEMENT' });
      const untyped = await t.graphql(admin, CREATE_ORGANIZATION, { input: { key: `${key}-x`, name: 'Some agency', kind: 'RESPONDER_AGENCY' } });
      expect(untyped.data!.createOrganization.agencyType).toBe('OTHER');
      const provider = await t.graphql(admin, CREATE_ORGANIZATION, { input: { key: `${key}-p`, name: 'A provider', kind: 'TREATMENT_PROVIDER', agencyType: 'EMS' } });
      expect(provider.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'agencyType', rule: 'NOT_ALLOWED_VALUE', limit: null }] });
      expect(await sql('SELECT 1 FROM organization WHERE key = $1', [`${key}-p`])).toEqual([]);
    });

    it('a published rule conditioned on agency type is still held to the guard rails (it is no organisation scope)', async () => {
      const admin = await t.token('admin', await t.organization('OVERSIGHT'));
      const publish = 'mutation($input: PublishAccessPolicyInput!) { publishAccessPolicy(input: $input) { version } }';
      const refused = await t.graphql(admin, publish, {
        input: { role: 'compliance_officer', rules: [{ action: 'read', subject: 'Disclosure', when: { agencyType: 'LAW_ENFORCEMENT' } }] },
      });
      expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'GUARD_RAIL' });
      expect(JSON.stringify(refused.errors![0].extensions!.problems)).toContain('GUARD_RAIL');
      const nowhere = await t.graphql(admin, publish, {
        input: { role: 'provider_staff', rules: [{ action: 'read', subject: 'Self', when: { agencyType: 'EMS' } }] },
      });
      expect(JSON.stringify(nowhere.errors![0].extensions!.problems)).toContain('only responder agencies have a type');
    });
  });

  describe('agreements: propose, accept, end', () => {
    it("one side's admin proposes, the other side's accepts, either ends; each step audited; the proposer cannot accept", async () => {
      const s = await strangers();
      const proposed = await t.graphql(s.providerAdmin, PROPOSE, { input: proposal(s.agency, { documentSha256: SHA.toUpperCase() }) });
      expect(proposed.errors).toBeUndefined();
      const agreement = proposed.data!.proposePartnership;
      expect(agreement).toMatchObject({
        kind: 'DATA_SHARING_AGREEMENT',
        status: 'PROPOSED',
        documentReference: 'DSA-2026-017',
        documentSha256: SHA,
        signatories: ['R. Director, Riverside', 'C. Chief, Metro'],
        proposedByOrganizationKey: s.provider.key,
        acceptedAt: null,
        provider: { key: s.provider.key, kind: 'TREATMENT_PROVIDER', agencyType: null },
        agency: { key: s.agency.key, kind: 'RESPONDER_AGENCY', agencyType: 'OTHER' },
      });
      // Both sides' admins see it; nobody else's.
      for (const admin of [s.providerAdmin, s.agencyAdmin]) expect((await t.graphql(admin, LIST)).data!.partnerships.map((p: { id: string }) => p.id)).toContain(agreement.id);
      const outsider = await t.token('admin', await t.organization('TREATMENT_PROVIDER', { partnerships: false }));
      expect((await t.graphql(outsider, LIST)).data!.partnerships).toEqual([]);
      // The proposer's side cannot accept its own proposal; a stranger's admin finds nothing.
      const own = await t.graphql(s.providerAdmin, ACCEPT, { id: agreement.id });
      expect(own.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['id'], reason: 'OTHER_SIDE_ACCEPTS' });
      expect((await t.graphql(outsider, ACCEPT, { id: agreement.id })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_FOUND' });
      // Non-admins may not propose, accept or end.
      for (const [role, org] of [['provider_staff', s.provider], ['responder', s.agency], ['compliance_officer', s.provider]] as const) {
        const token = await t.token(role, org);
        expect(codeOf(await t.graphql(token, PROPOSE, { input: proposal(role === 'responder' ? s.provider : s.agency) }))).toBe('FORBIDDEN');
        expect(codeOf(await t.graphql(token, ACCEPT, { id: agreement.id }))).toBe('FORBIDDEN');
        expect(codeOf(await t.graphql(token, END, { input: { id: agreement.id } }))).toBe('FORBIDDEN');
      }
      // The other side accepts: in force.
      const accepted = await t.graphql(s.agencyAdmin, ACCEPT, { id: agreement.id });
      expect(accepted.data!.acceptPartnership).toMatchObject({ id: agreement.id, status: 'IN_FORCE', acceptedAt: expect.any(String) });
      expect((await t.graphql(s.agencyAdmin, ACCEPT, { id: agreement.id })).errors![0].extensions).toMatchObject({ reason: 'ALREADY_ACCEPTED' });
      // Either side ends it; ending twice is refused.
      const ended = await t.graphql(s.agencyAdmin, END, { input: { id: agreement.id, reason: 'TERMINATED' } });
      expect(ended.data!.endPartnership).toMatchObject({ id: agreement.id, status: 'ENDED', endedAt: expect.any(String) });
      expect((await t.graphql(s.providerAdmin, END, { input: { id: agreement.id } })).errors![0].extensions).toMatchObject({ reason: 'ALREADY_ENDED' });
      expect((await t.graphql(s.providerAdmin, ACCEPT, { id: agreement.id })).errors![0].extensions).toMatchObject({ reason: 'OTHER_SIDE_ACCEPTS' });

      const events = await sql<{ action: string; outcome: string; actor_sub: string; subject_org_keys: string[]; details: Record<string, unknown> }>(
        `SELECT action, outcome, actor_sub, subject_org_keys, details FROM audit_event WHERE actor_sub = ANY($1) ORDER BY sequence`,
        [[s.providerAdminSub, s.agencyAdminSub]],
      );
      const steps = events.map((e) => [e.action, e.outcome, e.actor_sub === s.providerAdminSub ? 'provider' : 'agency']);
      expect(steps).toEqual([
        ['proposePartnership', 'SUCCESS', 'provider'],
        ['partnerships', 'SUCCESS', 'provider'],
        ['partnerships', 'SUCCESS', 'agency'],
        ['acceptPartnership', 'REFUSED', 'provider'],
        ['acceptPartnership', 'SUCCESS', 'agency'],
        ['acceptPartnership', 'REFUSED', 'agency'],
        ['endPartnership', 'SUCCESS', 'agency'],
        ['endPartnership', 'REFUSED', 'provider'],
        ['acceptPartnership', 'REFUSED', 'provider'],
      ]);
      const proposeEvent = events[0];
      expect(proposeEvent.subject_org_keys).toEqual([s.provider.key, s.agency.key]);
      expect(proposeEvent.details).toMatchObject({ partnershipId: agreement.id, kind: 'DATA_SHARING_AGREEMENT', documentSha256: SHA, status: 'PROPOSED' });
      // Ids, codes and the digest only: never the signatories' names or the document reference (C3 by habit).
      expect(JSON.stringify(events)).not.toMatch(/Director|DSA-2026-017/);
      expect(events[6].details).toMatchObject({ reason: 'TERMINATED', statusBefore: 'IN_FORCE', status: 'ENDED' });
    });

    it('the agency side may propose too; a proposal can be declined by ending it', async () => {
      const s = await strangers();
      const proposed = await t.graphql(s.agencyAdmin, PROPOSE, { input: proposal(s.provider, { kind: 'MOU', expiresAt: null }) });
      expect(proposed.data!.proposePartnership).toMatchObject({ kind: 'MOU', expiresAt: null, provider: { key: s.provider.key }, agency: { key: s.agency.key }, proposedByOrganizationKey: s.agency.key });
      const declined = await t.graphql(s.providerAdmin, END, { input: { id: proposed.data!.proposePartnership.id, reason: 'DECLINED' } });
      expect(declined.data!.endPartnership.status).toBe('ENDED');
      expect((await t.graphql(s.providerAdmin, ACCEPT, { id: proposed.data!.proposePartnership.id })).errors![0].extensions).toMatchObject({ reason: 'ALREADY_ENDED' });
    });

    it('refuses what cannot be an agreement, by field and rule, without echoing a value; nothing is stored', async () => {
      const s = await strangers();
      const other = await t.organization('TREATMENT_PROVIDER', { partnerships: false });
      const refuse = async (input: Record<string, unknown>, token = s.providerAdmin) => {
        const answer = await t.graphql(token, PROPOSE, { input });
        expect(answer.data?.proposePartnership ?? null).toBeNull();
        expect(JSON.stringify(answer.errors)).not.toMatch(/not-hex|Nobody|no-such/);
        return answer.errors![0].extensions!;
      };
      expect(await refuse(proposal(s.agency, { documentSha256: 'not-hex' }))).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'documentSha256', rule: 'INVALID_FORMAT', limit: null }] });
      expect(await refuse(proposal(s.agency, { effectiveFrom: '2030-01-01T00:00:00Z', expiresAt: '2029-01-01T00:00:00Z' }))).toMatchObject({
        problems: [{ field: 'expiresAt', rule: 'MUST_BE_AFTER', limit: 'effectiveFrom' }],
      });
      expect(await refuse(proposal(s.agency, { effectiveFrom: '2020-01-01T00:00:00Z', expiresAt: '2021-01-01T00:00:00Z' }))).toMatchObject({ problems: [{ field: 'expiresAt', rule: 'MUST_BE_IN_FUTURE' }] });
      expect(await refuse(proposal(s.agency, { signatories: [] }))).toMatchObject({ problems: [{ field: 'signatories', rule: 'REQUIRED' }] });
      expect(await refuse(proposal(s.agency, { documentReference: ' ' }))).toMatchObject({ problems: [{ field: 'documentReference' }] });
      expect(await refuse(proposal({ key: 'no-such-organization' }))).toMatchObject({ problems: [{ field: 'counterpartOrganizationKey', rule: 'UNKNOWN_ORGANIZATION' }] });
      // Two providers (or two agencies) cannot have an agreement.
      expect(await refuse(proposal(other))).toMatchObject({ problems: [{ field: 'counterpartOrganizationKey', rule: 'NOT_ALLOWED_VALUE' }], reason: 'NOT_A_COUNTERPART' });
      // An oversight body's admin is no side of any agreement.
      const oversightAdmin = await t.token('admin', await t.organization('OVERSIGHT'));
      expect(await refuse(proposal(s.agency), oversightAdmin)).toMatchObject({ reason: 'NOT_A_COUNTERPART' });
      expect(await sql('SELECT id FROM partnership_agreement WHERE provider_org_id = $1 OR provider_org_id = $2', [s.provider.id, other.id])).toEqual([]);
    });

    it('provider staff see their agreements in force only; responders see none', async () => {
      const s = await strangers();
      const inForce = await agreementInForce(s);
      const pendingAgency = await t.organization('RESPONDER_AGENCY', { partnerships: false });
      const pending = (await t.graphql(s.providerAdmin, PROPOSE, { input: proposal(pendingAgency) })).data!.proposePartnership.id;
      const staff = await t.token('provider_staff', s.provider);
      expect((await t.graphql(staff, LIST)).data!.partnerships).toEqual([{ id: inForce, status: 'IN_FORCE', kind: 'DATA_SHARING_AGREEMENT', provider: { key: s.provider.key }, agency: { key: s.agency.key, agencyType: 'OTHER' } }]);
      expect((await t.graphql(s.providerAdmin, LIST)).data!.partnerships.map((p: { id: string }) => p.id).sort()).toEqual([inForce, pending].sort());
      // The directory a consent picks recipients from lists only agencies in force (every one of them can be named).
      const directory = (await t.graphql(staff, '{ recipientOrganizations { key } }')).data!.recipientOrganizations.map((o: { key: string }) => o.key);
      expect(directory).toEqual([s.agency.key]);
      expect(codeOf(await t.graphql(await t.token('responder', s.agency), LIST))).toBe('FORBIDDEN');
    });
  });

  describe('the gate', () => {
    it('refuses a consent naming an agency without an agreement in force, by recipient, and stores nothing (PARTNERSHIP_REQUIRED)', async () => {
      const s = await strangers();
      const partner = await t.organization('RESPONDER_AGENCY', { partnerships: false });
      // The partner agency's agreement is in force; the other agency's only proposed (does not count).
      const partnerAdmin = await t.token('admin', partner);
      const id = (await t.graphql(s.providerAdmin, PROPOSE, { input: proposal(partner) })).data!.proposePartnership.id;
      expect((await t.graphql(partnerAdmin, ACCEPT, { id })).data!.acceptPartnership.status).toBe('IN_FORCE');
      await t.graphql(s.providerAdmin, PROPOSE, { input: proposal(s.agency) });
      const { patientId } = await enrolledPatient(s.desk);
      const staffSub = uniqueSub();
      const staff = await t.token('provider_staff', s.provider, { sub: staffSub });
      const refused = await t.graphql(staff, CONSENT, { input: consentInput(patientId, [partner.key, s.agency.key]) });
      expect(refused.data?.recordConsent ?? null).toBeNull();
      expect(refused.errors![0].extensions).toEqual({
        code: 'PARTNERSHIP_REQUIRED',
        fields: ['recipientOrganizationKeys'],
        problems: [{ field: 'recipientOrganizationKeys.1', rule: 'NOT_ALLOWED_VALUE', limit: null, reason: 'PARTNERSHIP_REQUIRED' }],
        recipientOrganizationKeys: [s.agency.key],
        reason: 'PARTNERSHIP_REQUIRED',
      });
      expect(refused.errors![0].message).toBe('No partnership agreement is in force between the provider and the agency');
      expect(await sql('SELECT id FROM consent WHERE patient_id = $1', [patientId])).toEqual([]);
      expect(await sql(`SELECT action, outcome, details FROM audit_event WHERE actor_sub = $1`, [staffSub])).toEqual([
        { action: 'recordConsent', outcome: 'REFUSED', details: { fields: ['recipientOrganizationKeys'], reason: 'PARTNERSHIP_REQUIRED' } },
      ]);
      // Naming the partner alone is fine.
      expect((await t.graphql(staff, CONSENT, { input: consentInput(patientId, [partner.key]) })).errors).toBeUndefined();
    });

    it('a lookup discloses while the agreement is in force, and not one second after it ends (database clock); the "no" is the one answer (C9)', async () => {
      const s = await strangers();
      const agreementId = await agreementInForce(s);
      const { who } = await s.desk.consentedPatient([s.agency]);
      const responder = await t.token('responder', s.agency);
      const lookup = (identity = who) => t.graphql(responder, LOOKUP, { input: lookupInput(identity) });
      expect((await lookup()).data!.responderLookup.outcome).toBe('INFORMATION_AVAILABLE');
      const never = comparable(await lookup(person()));

      // Decided at read time: ending in two seconds still discloses now, and not after.
      await sql(`UPDATE partnership_agreement SET ended_at = clock_timestamp() + interval '2 seconds', ended_by = 'test' WHERE id = $1`, [agreementId]);
      expect((await lookup()).data!.responderLookup.outcome).toBe('INFORMATION_AVAILABLE');
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(comparable(await lookup())).toBe(never);
      // One second after the end is as good as a year.
      await sql(`UPDATE partnership_agreement SET ended_at = clock_timestamp() - interval '1 second' WHERE id = $1`, [agreementId]);
      expect(comparable(await lookup())).toBe(never);
    });

    it('ending an agreement through the API stops disclosure at once', async () => {
      const s = await strangers();
      const agreementId = await agreementInForce(s);
      const { who } = await s.desk.consentedPatient([s.agency]);
      const responder = await t.token('responder', s.agency);
      const lookup = (identity = who) => t.graphql(responder, LOOKUP, { input: lookupInput(identity) });
      expect((await lookup()).data!.responderLookup.outcome).toBe('INFORMATION_AVAILABLE');
      expect((await t.graphql(s.providerAdmin, END, { input: { id: agreementId } })).data!.endPartnership.status).toBe('ENDED');
      expect(comparable(await lookup())).toBe(comparable(await lookup(person())));
      // And no new consent may name the agency.
      const { patientId } = await enrolledPatient(s.desk);
      expect(codeOf(await t.graphql(s.desk.staffToken, CONSENT, { input: consentInput(patientId, [s.agency.key]) }))).toBe('PARTNERSHIP_REQUIRED');
    });

    it('an agreement past its expiresAt no longer counts, and shows EXPIRED', async () => {
      const s = await strangers();
      const agreementId = await agreementInForce(s);
      const { who } = await s.desk.consentedPatient([s.agency]);
      const responder = await t.token('responder', s.agency);
      await sql(`UPDATE partnership_agreement SET expires_at = clock_timestamp() - interval '1 second' WHERE id = $1`, [agreementId]);
      expect(comparable(await t.graphql(responder, LOOKUP, { input: lookupInput(who) }))).toBe(comparable(await t.graphql(responder, LOOKUP, { input: lookupInput(person()) })));
      expect((await t.graphql(s.providerAdmin, LIST)).data!.partnerships).toEqual([expect.objectContaining({ id: agreementId, status: 'EXPIRED' })]);
      expect((await t.graphql(s.agencyAdmin, END, { input: { id: agreementId } })).errors![0].extensions).toMatchObject({ reason: 'ALREADY_EXPIRED' });
    });

    it('the medical-emergency path (42 CFR 2.51) is not gated by partnerships', async () => {
      const s = await strangers();
      const { who } = await enrolledPatient(s.desk);
      const medic = await t.token('clinical_responder', s.agency, { name: 'Casey Medic, RN' });
      const answer = await t.graphql(medic, EMERGENCY, { input: { givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth, incidentNumber: 'INC-2026-0099', natureOfEmergency: 'Unresponsive, suspected overdose' } });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.emergencyAccess).toMatchObject({ outcome: 'INFORMATION_AVAILABLE', records: [{ inTreatment: true, basis: 'MEDICAL_EMERGENCY', engagementNotes: null }] });
    });

    it('the accounting of disclosures names the agreement in force at each disclosure (GraphQL, CSV, FHIR)', async () => {
      const s = await strangers();
      const agreementId = await agreementInForce(s);
      const { who, patientId, consentId } = await s.desk.consentedPatient([s.agency]);
      const lookup = await t.graphql(await t.token('responder', s.agency), LOOKUP, { input: lookupInput(who) });
      const disclosureId = lookup.data!.responderLookup.disclosureId;
      const entries = (await t.graphql(s.desk.staffToken, ACCOUNTING, { patientId })).data!.accountingOfDisclosures;
      expect(entries).toEqual([{ disclosureId, partnershipAgreementId: agreementId, consentId, legalBasis: expect.stringContaining(`under partnership agreement ${agreementId}`) }]);
      const csv: string = (await t.graphql(s.desk.staffToken, EXPORT, { patientId, format: 'CSV' })).data!.accountingOfDisclosuresExport.content;
      const [, header, row] = csv.trim().split('\r\n');
      const cells = (line: string) => line.match(/"(?:[^"]|"")*"/g)!;
      const column = cells(header).indexOf('"partnership_agreement_id"');
      expect(column).toBeGreaterThan(-1);
      expect(cells(row)[column]).toBe(`"${agreementId}"`);
      const bundle = JSON.parse((await t.graphql(s.desk.staffToken, EXPORT, { patientId, format: 'FHIR_BUNDLE' })).data!.accountingOfDisclosuresExport.content);
      expect(JSON.stringify(bundle.entry[0].resource.entity)).toContain(agreementId);
    });
  });
});
