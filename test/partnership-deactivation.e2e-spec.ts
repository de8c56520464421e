// A deactivated organisation is no one's partner (issue 15 review; docs/partnerships.md, "An
// organisation deactivated"). A deactivated provider's program is closed: its care-team numbers
// are stale, and a responder in crisis who calls them loses minutes; a deactivated agency's people
// cannot sign in, so nothing should still flow to it. Every reader asks the one definition of "in
// force" (partnership_agreement_in_force), so deactivation ends every agreement of the
// organisation at that instant, by the database clock, for the lookup, referrals, outcomes and
// the agreements' status alike (C6: decided at read time).
import { sql } from './support/database.js';
import { agreementInForce } from './support/partnerships.js';
import { EMERGENCY, LOOKUP, lookupInput, openProviderDesk, person } from './support/scenario.js';
import { codeOf, TestApp, type TestOrganization } from './support/test-app.js';

const PROPOSE = 'mutation($input: ProposePartnershipInput!) { proposePartnership(input: $input) { id status } }';
const ACCEPT = 'mutation($id: ID!) { acceptPartnership(id: $id) { id status } }';
const LIST = '{ partnerships { id status } }';
const PARTNERS = '{ referralPartners { key } }';
const CREATE = 'mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }';

const deactivate = (organization: { id: string }) =>
  sql(`UPDATE organization SET deactivated_at = clock_timestamp(), deactivated_by = 'test-fixture' WHERE id = $1`, [organization.id]);

function proposal(counterpart: { key: string }) {
  return {
    counterpartOrganizationKey: counterpart.key,
    kind: 'MOU',
    effectiveFrom: new Date(Date.now() - 3_600_000).toISOString(),
    expiresAt: '2031-01-01T00:00:00Z',
    documentReference: 'MOU-2026-044',
    documentSha256: 'cd'.repeat(32),
    signatories: ['R. Director', 'C. Chief'],
  };
}

describe('a deactivated organisation is no partner', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ LOOKUP_RATE_LIMIT_PER_HOUR: '1000' });
  });
  afterAll(() => t.close());

  it("a deactivated provider's records are disclosed no more, it takes no referral, it is no referral partner, its agreements show ENDED", async () => {
    const desk = await openProviderDesk(t, { part2Program: true });
    const provider = desk.organization as TestOrganization;
    const agency = await t.organization('RESPONDER_AGENCY', { partnerships: false });
    const agreementId = await agreementInForce(provider, agency);
    const { who } = await desk.consentedPatient([agency]);
    const responder = await t.token('responder', agency, { name: 'Riley Officer' });
    const agencyAdmin = await t.token('admin', agency);

    const before = await t.graphql(responder, LOOKUP, { input: lookupInput(who) });
    expect(before.data?.responderLookup.outcome).toBe('INFORMATION_AVAILABLE');

    await deactivate(provider);

    const after = await t.graphql(responder, LOOKUP, { input: lookupInput(who) });
    const never = await t.graphql(responder, LOOKUP, { input: lookupInput(person()) });
    expect(after.data?.responderLookup.outcome).toBe(never.data?.responderLookup.outcome);
    expect(after.data?.responderLookup.records).toEqual([]);

    const partners = await t.graphql(responder, PARTNERS);
    expect(partners.errors).toBeUndefined();
    expect(partners.data!.referralPartners.map((p: { key: string }) => p.key)).not.toContain(provider.key);

    const referral = await t.graphql(responder, CREATE, {
      input: { providerOrganizationKey: provider.key, reason: 'CRISIS', urgency: 'URGENT', givenName: 'Ana', familyName: 'Vale', incidentNumber: 'INC-2026-0900', personAgreed: true },
    });
    expect(codeOf(referral)).toBe('PARTNERSHIP_REQUIRED');

    const listed = await t.graphql(agencyAdmin, LIST);
    expect(listed.data!.partnerships.find((a: { id: string }) => a.id === agreementId)).toEqual({ id: agreementId, status: 'ENDED' });
  });

  it('a deactivated agency receives nothing: its agreements end, no proposal names it, and a proposal from a deactivated side cannot be accepted', async () => {
    const provider = await t.organization('TREATMENT_PROVIDER', { part2Program: true, partnerships: false });
    const agency = await t.organization('RESPONDER_AGENCY', { partnerships: false });
    const providerAdmin = await t.token('admin', provider);
    const agreementId = await agreementInForce(provider, agency);
    await deactivate(agency);
    const [{ in_force }] = await sql<{ in_force: boolean }>('SELECT partnership_in_force($1, $2, clock_timestamp()) AS in_force', [provider.id, agency.id]);
    expect(in_force).toBe(false);
    expect((await t.graphql(providerAdmin, LIST)).data!.partnerships.find((a: { id: string }) => a.id === agreementId)).toEqual({ id: agreementId, status: 'ENDED' });

    const proposed = await t.graphql(providerAdmin, PROPOSE, { input: proposal(agency) });
    expect(proposed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ORGANIZATION_DEACTIVATED', problems: [{ field: 'counterpartOrganizationKey', rule: 'NOT_ALLOWED_VALUE' }] });
    expect(JSON.stringify(proposed.body)).not.toContain(agency.key);

    // A proposal made while the other side was active, then that side deactivated: nothing to accept.
    const other = await t.organization('TREATMENT_PROVIDER', { part2Program: true, partnerships: false });
    const otherAgency = await t.organization('RESPONDER_AGENCY', { partnerships: false });
    const pending = await t.graphql(await t.token('admin', otherAgency), PROPOSE, { input: proposal(other) });
    expect(pending.errors).toBeUndefined();
    await deactivate(otherAgency);
    const accepted = await t.graphql(await t.token('admin', other), ACCEPT, { id: pending.data!.proposePartnership.id });
    expect(accepted.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ALREADY_ENDED' });
    const [{ accepted_at }] = await sql<{ accepted_at: Date | null }>('SELECT accepted_at FROM partnership_agreement WHERE id = $1', [pending.data!.proposePartnership.id]);
    expect(accepted_at).toBeNull();
  });

  it("deactivating an organisation says, in its audit event, which agreements it ended, with each partner as a subject, so the partner's compliance officers see why sharing stopped (C16)", async () => {
    const oversight = await t.organization('OVERSIGHT');
    const provider = await t.organization('TREATMENT_PROVIDER', { part2Program: true, partnerships: false });
    const agency = await t.organization('RESPONDER_AGENCY', { partnerships: false });
    const bystander = await t.organization('RESPONDER_AGENCY', { partnerships: false });
    const inForce = await agreementInForce(provider, agency);
    await agreementInForce(provider, bystander, { endedAt: new Date(Date.now() - 60_000) });
    const answer = await t.graphql(await t.token('admin', oversight), 'mutation($input: DeactivateOrganizationInput!) { deactivateOrganization(input: $input) { key } }', {
      input: { organizationKey: provider.key },
    });
    expect(answer.errors).toBeUndefined();
    const [event] = await sql<{ subject_org_keys: string[]; details: { partnershipsEnded?: string[] } }>(
      `SELECT subject_org_keys, details FROM audit_event WHERE action = 'deactivateOrganization' AND $1 = ANY(subject_org_keys)`,
      [provider.key],
    );
    expect(event.subject_org_keys).toEqual([provider.key, agency.key]);
    expect(event.details.partnershipsEnded).toEqual([inForce]);
  });

  // §2.51 is not gated by an agreement, so the function above does not reach it: the lookup's one
  // statement (CANDIDATES_SQL) reads only the enrollments of a program not deactivated at its own
  // clock, so a closed program's stale care team is disclosed to no one, in an emergency either,
  // with the same round trips (C9).
  it("an emergency request (§2.51) discloses nothing of a deactivated provider's program: its care team is stale", async () => {
    const desk = await openProviderDesk(t, { part2Program: true });
    const provider = desk.organization as TestOrganization;
    const agency = await t.organization('RESPONDER_AGENCY', { partnerships: false });
    // Enrolled, no consent: §2.51 needs none.
    const who = person();
    await desk.enroll(await desk.register(who));
    const medic = await t.token('clinical_responder', agency, { name: 'Casey Medic, RN' });
    const { purpose: _purpose, ...identity } = lookupInput(who);
    const input = { ...identity, natureOfEmergency: 'Unresponsive, suspected overdose' };

    const before = await t.graphql(medic, EMERGENCY, { input });
    expect(before.errors).toBeUndefined();
    expect(before.data!.emergencyAccess.records).toHaveLength(1);

    await deactivate(provider);

    const after = await t.graphql(medic, EMERGENCY, { input });
    const { purpose: _unused, ...stranger } = lookupInput(person());
    const never = await t.graphql(medic, EMERGENCY, { input: { ...stranger, natureOfEmergency: input.natureOfEmergency } });
    expect(after.errors).toBeUndefined();
    expect(after.data!.emergencyAccess.records).toEqual([]);
    expect(after.data!.emergencyAccess.outcome).toBe(never.data!.emergencyAccess.outcome);
  });
});
