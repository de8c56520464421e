// Issue 15 review: holes found in referrals and the feedback loop, each test failing before its
// fix (docs/threat-model.md, "Issue 15").
import { jest } from '@jest/globals';
import { sql } from './support/database.js';
import { agreementInForce } from './support/partnerships.js';
import { openProviderDesk, person, type ProviderDesk } from './support/scenario.js';
import { TestApp, type TestOrganization } from './support/test-app.js';

const CREATE = 'mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }';
const ACCEPT = 'mutation($input: AcceptReferralInput!) { acceptReferral(input: $input) { id } }';
const OUTCOME = 'mutation($input: RecordReferralOutcomeInput!) { recordReferralOutcome(input: $input) { id } }';
const LIST = '{ referrals(first: 100) { nodes { id status outcome } } }';
const ACCOUNTING = `query($patientId: ID!) { accountingOfDisclosures(patientId: $patientId) { categories partnershipAgreementId legalBasis } }`;

const today = () => new Date().toISOString().slice(0, 10);

describe('referrals: review findings', () => {
  let t: TestApp;
  let desk: ProviderDesk;
  let provider: TestOrganization;
  let agency: TestOrganization;
  let agreementId: string;
  let responder: string;

  beforeAll(async () => {
    t = await TestApp.start();
    desk = await openProviderDesk(t, { part2Program: true });
    provider = desk.organization as TestOrganization;
    agency = await t.organization('RESPONDER_AGENCY', { partnerships: false });
    agreementId = await agreementInForce(provider, agency);
    responder = await t.token('responder', agency, { name: 'Riley Officer' });
  });
  afterAll(() => t.close());

  async function closedWithConsent() {
    const who = person();
    const made = await t.graphql(responder, CREATE, {
      input: { providerOrganizationKey: provider.key, reason: 'CRISIS', urgency: 'URGENT', givenName: who.givenName, familyName: who.familyName, incidentNumber: 'INC-2026-0777', personAgreed: true },
    });
    expect(made.errors).toBeUndefined();
    const referralId = made.data!.createReferral.id;
    const patientId = await desk.register(who);
    expect((await t.graphql(desk.staffToken, ACCEPT, { input: { referralId, patientId } })).errors).toBeUndefined();
    expect((await t.graphql(desk.staffToken, OUTCOME, { input: { referralId, outcome: 'ENGAGED', occurredOn: today() } })).errors).toBeUndefined();
    await desk.consent(patientId, [agency], { purpose: 'CARE_COORDINATION', dataCategories: ['REFERRAL_OUTCOME'] });
    return { referralId, patientId };
  }

  it('an outcome shown to the referring agency names, in its audit event and the accounting, the agreement in force (C19, issue 15 item 2)', async () => {
    const { referralId, patientId } = await closedWithConsent();
    const list = await t.graphql(responder, LIST);
    expect(list.data!.referrals.nodes.find((n: { id: string }) => n.id === referralId)).toMatchObject({ outcome: 'ENGAGED' });
    const [event] = await sql<{ details: { disclosures: Array<{ partnershipAgreementId?: string }> } }>(
      `SELECT details FROM audit_event WHERE action = 'referralOutcomeDisclosure' AND details->>'referralId' = $1`,
      [referralId],
    );
    expect(event.details.disclosures[0].partnershipAgreementId).toBe(agreementId);
    const accounting = await t.graphql(desk.staffToken, ACCOUNTING, { patientId });
    const entry = accounting.data!.accountingOfDisclosures.find((e: { categories: string[] }) => e.categories.includes('REFERRAL_OUTCOME'));
    expect(entry).toMatchObject({ partnershipAgreementId: agreementId, legalBasis: expect.stringContaining(`under partnership agreement ${agreementId}`) });
  });
});

describe('the agency report: settled months (temporal differencing)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const REPORT = `query($from: Date!, $to: Date!) { agencyReport(from: $from, to: $to) { months { month referralsMade { value suppressed }
    referralsAccepted { value suppressed } referralsEngaged { value suppressed } } } }`;

  it("counts a settled month's accepted and engaged as of its cut-off, so what happens later changes no published count", async () => {
    const desk = await openProviderDesk(t, { part2Program: true });
    const provider = desk.organization as TestOrganization;
    const agency = await t.organization('RESPONDER_AGENCY', { partnerships: false });
    await agreementInForce(provider, agency, { effectiveFrom: new Date('2025-01-01T00:00:00Z') });
    const patientId = await desk.register(person());
    // 40 referrals made in March 2025: 20 accepted in April (before the cut-off, 1 May), 5 more in June.
    await sql(
      `INSERT INTO referral (agency_org_id, provider_org_id, reason, urgency, incident_number, given_name_enc, family_name_enc, person_agreed, created_at, created_by, status, patient_id, accepted_at, accepted_by)
       SELECT $1, $2, 'CRISIS', 'ROUTINE', 'INC-2025-0001', 'x', 'x', true, '2025-03-10T12:00:00Z', 'test-fixture',
              CASE WHEN i <= 25 THEN 'ACCEPTED' ELSE 'RECEIVED' END, CASE WHEN i <= 25 THEN $3::uuid END,
              CASE WHEN i <= 20 THEN timestamptz '2025-04-10T12:00:00Z' WHEN i <= 25 THEN timestamptz '2025-06-10T12:00:00Z' END,
              CASE WHEN i <= 25 THEN 'test-fixture' END
         FROM generate_series(1, 40) i`,
      [agency.id, provider.id, patientId],
    );
    const answer = await t.graphql(await t.token('responder', agency), REPORT, { from: '2025-03-01', to: '2025-03-31' });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.agencyReport.months).toEqual([
      { month: '2025-03', referralsMade: { value: 40, suppressed: false }, referralsAccepted: { value: 20, suppressed: false }, referralsEngaged: { value: 0, suppressed: false } },
    ]);
  });
});

describe("the referring agency's list: the same work whether or not a referral was accepted (C9)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('reads the outcome facts for every page of the agency, linked to a patient or not, so timing does not say which were accepted', async () => {
    const { ReferralsRepository } = await import('@app/modules/referrals/referrals.repository.js');
    const desk = await openProviderDesk(t, { part2Program: true });
    const provider = desk.organization as TestOrganization;
    const agency = await t.organization('RESPONDER_AGENCY', { partnerships: false });
    await agreementInForce(provider, agency);
    const responder = await t.token('responder', agency);
    const made = await t.graphql(responder, CREATE, {
      input: { providerOrganizationKey: provider.key, reason: 'CRISIS', urgency: 'URGENT', givenName: 'Ana', familyName: 'Vale', incidentNumber: 'INC-2026-0778', personAgreed: true },
    });
    expect(made.errors).toBeUndefined();
    const spy = jest.spyOn(t.app.get(ReferralsRepository), 'outcomeFacts');
    try {
      const before = await t.graphql(responder, LIST);
      expect(before.data!.referrals.nodes).toEqual([{ id: made.data!.createReferral.id, status: 'RECEIVED', outcome: null }]);
      const notAccepted = spy.mock.calls.length;
      const patientId = await desk.register(person());
      expect((await t.graphql(desk.staffToken, ACCEPT, { input: { referralId: made.data!.createReferral.id, patientId } })).errors).toBeUndefined();
      spy.mockClear();
      const after = await t.graphql(responder, LIST);
      expect(after.data!.referrals.nodes).toEqual(before.data!.referrals.nodes);
      expect({ notAccepted, accepted: spy.mock.calls.length }).toEqual({ notAccepted: 1, accepted: 1 });
    } finally {
      spy.mockRestore();
    }
  });
});
