// Referrals (deflection) and the feedback loop (issue 15, items 3-5; docs/partnerships.md): a
// responder refers a person to a partner provider, the provider works its queue, and what became
// of it goes back to the referring agency only under the patient's REFERRAL_OUTCOME consent —
// each time shown, a disclosure audited with the read and listed in the accounting (C2, C16,
// C17, C19). The agency report counts, never names, and suppresses small cells.
import { failAuditAppendsOf, sql } from './support/database.js';
import { fhirValidator } from './support/fhir.js';
import { agreementInForce, endAgreement } from './support/partnerships.js';
import { LOOKUP, lookupInput, openProviderDesk, person, type ProviderDesk } from './support/scenario.js';
import { codeOf, TestApp, type TestOrganization } from './support/test-app.js';

const FIELDS = `id status reason urgency incidentNumber createdAt agency { key name } provider { key name }
  givenName familyName dateOfBirth callbackPhone note patientId declineReason outcome outcomeOccurredOn outcomeRecordedAt`;
const CREATE = `mutation($input: CreateReferralInput!) { createReferral(input: $input) { ${FIELDS} } }`;
const LIST = `query($status: ReferralStatus, $first: Int, $after: String) { referrals(status: $status, first: $first, after: $after) {
  nodes { ${FIELDS} } pageInfo { endCursor hasNextPage } } }`;
const ACCEPT = `mutation($input: AcceptReferralInput!) { acceptReferral(input: $input) { ${FIELDS} } }`;
const DECLINE = `mutation($input: DeclineReferralInput!) { declineReferral(input: $input) { ${FIELDS} } }`;
const OUTCOME = `mutation($input: RecordReferralOutcomeInput!) { recordReferralOutcome(input: $input) { ${FIELDS} } }`;
const REPORT = `query($from: Date!, $to: Date!) { agencyReport(from: $from, to: $to) { organizationKey from to months {
  month referralsMade { value suppressed } referralsAccepted { value suppressed } outcomesShared { value suppressed }
  referralsEngaged { value suppressed } lookupsMade { value suppressed } lookupsWithInformation { value suppressed } } } }`;
const ACCOUNTING = `query($patientId: ID!) { accountingOfDisclosures(patientId: $patientId) { disclosureId recipient { organizationKey personName } categories description basis consentId } }`;

const today = () => new Date().toISOString().slice(0, 10);

describe('referrals and the feedback loop', () => {
  let t: TestApp;
  let desk: ProviderDesk;
  let provider: TestOrganization;
  let agency: TestOrganization;
  let responder: string;

  beforeAll(async () => {
    t = await TestApp.start();
    desk = await openProviderDesk(t, { part2Program: true });
    provider = desk.organization as TestOrganization;
    agency = await t.organization('RESPONDER_AGENCY', { partnerships: false });
    await agreementInForce(provider, agency);
    responder = await t.token('responder', agency, { name: 'Riley Officer' });
  });
  afterAll(() => t.close());

  const referralInput = (who = person(), overrides: Record<string, unknown> = {}) => ({
    providerOrganizationKey: provider.key,
    reason: 'SUBSTANCE_USE',
    urgency: 'URGENT',
    givenName: who.givenName,
    familyName: who.familyName,
    dateOfBirth: who.dateOfBirth,
    callbackPhone: '+1 555 0100 777',
    incidentNumber: 'INC-2026-0501',
    note: 'Asked for a call after 5pm.',
    personAgreed: true,
    ...overrides,
  });

  async function refer(token = responder, input = referralInput()) {
    const answer = await t.graphql(token, CREATE, { input });
    expect(answer.errors).toBeUndefined();
    return answer.data!.createReferral;
  }

  async function acceptAsNewPatient(referralId: string, who = person()) {
    const patientId = await desk.register(who);
    const answer = await t.graphql(desk.staffToken, ACCEPT, { input: { referralId, patientId } });
    expect(answer.errors).toBeUndefined();
    return { patientId, referral: answer.data!.acceptReferral };
  }

  const eventsOf = (referralId: string) =>
    sql<{ action: string; outcome: string; actor_org: string }>(
      `SELECT action, outcome, actor_org FROM audit_event WHERE details->>'referralId' = $1 OR details->'referralIds' ? $1 ORDER BY sequence`,
      [referralId],
    );

  const agencyView = async (referralId: string, token = responder) => {
    const answer = await t.graphql(token, LIST, { first: 100 });
    expect(answer.errors).toBeUndefined();
    return answer.data!.referrals.nodes.find((n: { id: string }) => n.id === referralId);
  };

  describe('making a referral', () => {
    it('refers a person to a partner provider; the responder sees no more of the person than the list needs, the provider sees the details', async () => {
      const who = person();
      const made = await refer(responder, referralInput(who));
      expect(made).toMatchObject({ status: 'RECEIVED', reason: 'SUBSTANCE_USE', urgency: 'URGENT', incidentNumber: 'INC-2026-0501', outcome: null, outcomeRecordedAt: null });
      expect(made).toMatchObject({ givenName: null, familyName: null, dateOfBirth: null, callbackPhone: null, note: null, patientId: null, agency: { key: agency.key }, provider: { key: provider.key } });

      const queue = await t.graphql(desk.staffToken, LIST, { status: 'RECEIVED', first: 100 });
      const mine = queue.data!.referrals.nodes.find((n: { id: string }) => n.id === made.id);
      expect(mine).toMatchObject({ givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth, callbackPhone: '+1 555 0100 777', note: 'Asked for a call after 5pm.' });
      expect(await eventsOf(made.id)).toEqual(expect.arrayContaining([
        { action: 'createReferral', outcome: 'SUCCESS', actor_org: agency.key },
        { action: 'referrals', outcome: 'SUCCESS', actor_org: provider.key },
      ]));
    });

    it('lists the partner providers the agency may refer to', async () => {
      const answer = await t.graphql(responder, '{ referralPartners { key name } }');
      expect(answer.data!.referralPartners).toEqual([{ key: provider.key, name: provider.name }]);
      expect(codeOf(await t.graphql(desk.staffToken, '{ referralPartners { key } }'))).toBe('FORBIDDEN');
    });

    it('needs a partnership agreement in force with the provider (PARTNERSHIP_REQUIRED): none, or one that ended', async () => {
      const stranger = await t.organization('RESPONDER_AGENCY', { partnerships: false });
      const token = await t.token('responder', stranger);
      const none = await t.graphql(token, CREATE, { input: referralInput() });
      expect(none.errors![0].extensions).toMatchObject({ code: 'PARTNERSHIP_REQUIRED', fields: ['providerOrganizationKey'] });
      const agreement = await agreementInForce(provider, stranger);
      await refer(token);
      await endAgreement(agreement);
      const ended = await t.graphql(token, CREATE, { input: referralInput() });
      expect(codeOf(ended)).toBe('PARTNERSHIP_REQUIRED');
      // Nothing written but the refusals, which are audited.
      const stored = await sql('SELECT r.id FROM referral r JOIN organization o ON o.id = r.agency_org_id WHERE o.key = $1', [stranger.key]);
      expect(stored).toHaveLength(1);
      const refusals = await sql(`SELECT details FROM audit_event WHERE actor_org = $1 AND action = 'createReferral' AND outcome = 'REFUSED'`, [stranger.key]);
      expect(refusals.map((r) => (r.details as { reason: string }).reason)).toEqual(['PARTNERSHIP_REQUIRED', 'PARTNERSHIP_REQUIRED']);
    });

    it('refuses an unknown provider, or an organisation that is not a provider, by field', async () => {
      for (const key of ['no-such-provider', agency.key]) {
        const answer = await t.graphql(responder, CREATE, { input: referralInput(person(), { providerOrganizationKey: key }) });
        expect(answer.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'providerOrganizationKey', rule: 'UNKNOWN_ORGANIZATION', limit: null }] });
      }
    });

    it('names every problem of the input at once and never echoes a value (C3)', async () => {
      const answer = await t.graphql(responder, CREATE, {
        input: referralInput(person({ givenName: 'Zebulon' }), { personAgreed: false, note: 'x'.repeat(501), callbackPhone: 'call Zebulon', incidentNumber: 'no spaces allowed', familyName: '' }),
      });
      const problems = answer.errors![0].extensions!.problems as Array<{ field: string }>;
      expect([...problems].sort((a, b) => a.field.localeCompare(b.field))).toEqual([
        { field: 'callbackPhone', rule: 'INVALID_FORMAT', limit: null },
        { field: 'familyName', rule: 'REQUIRED', limit: null },
        { field: 'incidentNumber', rule: 'INVALID_FORMAT', limit: null },
        { field: 'note', rule: 'TOO_LONG', limit: 500 },
        { field: 'personAgreed', rule: 'NOT_ALLOWED_VALUE', limit: null },
      ]);
      expect(JSON.stringify(answer.body)).not.toMatch(/Zebulon|xxxxxxxx/);
    });

    it('is for responders: provider staff, compliance officers and admins are refused (C22)', async () => {
      for (const token of [desk.staffToken, await t.token('compliance_officer', agency), await t.token('admin', agency)]) {
        expect(codeOf(await t.graphql(token, CREATE, { input: referralInput() }))).toBe('FORBIDDEN');
      }
      // A clinical responder may refer as well.
      await refer(await t.token('clinical_responder', agency, { name: 'Casey Medic' }));
    });
  });

  describe("the provider's steps", () => {
    it('accepts, linking a patient of its own, then records each outcome, closing the referral; every step audited', async () => {
      for (const outcome of ['CONTACTED', 'ENGAGED', 'DECLINED', 'UNABLE_TO_REACH', 'NOT_ELIGIBLE']) {
        const made = await refer();
        const { patientId, referral } = await acceptAsNewPatient(made.id);
        expect(referral).toMatchObject({ status: 'ACCEPTED', patientId });
        const closed = await t.graphql(desk.staffToken, OUTCOME, { input: { referralId: made.id, outcome, occurredOn: today() } });
        expect(closed.data!.recordReferralOutcome).toMatchObject({ status: 'CLOSED', outcome, outcomeOccurredOn: today(), patientId });
        expect(closed.data!.recordReferralOutcome.outcomeRecordedAt).not.toBeNull();
        const events = await eventsOf(made.id);
        expect(events.filter((e) => e.outcome === 'SUCCESS').map((e) => e.action)).toEqual(['createReferral', 'acceptReferral', 'recordReferralOutcome']);
      }
    });

    it('declines a received referral with a reason; the agency sees it closed, without the reason', async () => {
      const made = await refer();
      const declined = await t.graphql(desk.staffToken, DECLINE, { input: { referralId: made.id, reason: 'OUT_OF_AREA' } });
      expect(declined.data!.declineReferral).toMatchObject({ status: 'DECLINED', declineReason: 'OUT_OF_AREA' });
      expect(await agencyView(made.id)).toMatchObject({ status: 'CLOSED', declineReason: null, outcome: null });
      expect((await eventsOf(made.id)).map((e) => e.action)).toContain('declineReferral');
    });

    it('refuses a step in the wrong status with REFERRAL_STATUS_CONFLICT and changes nothing', async () => {
      const made = await refer();
      const early = await t.graphql(desk.staffToken, OUTCOME, { input: { referralId: made.id, outcome: 'ENGAGED', occurredOn: today() } });
      expect(early.errors![0].extensions).toMatchObject({ code: 'REFERRAL_STATUS_CONFLICT', status: 'RECEIVED' });
      const { patientId } = await acceptAsNewPatient(made.id);
      const other = await desk.register(person());
      for (const [query, input] of [
        [ACCEPT, { referralId: made.id, patientId: other }],
        [DECLINE, { referralId: made.id, reason: 'OTHER' }],
      ] as const) {
        const answer = await t.graphql(desk.staffToken, query, { input });
        expect(answer.errors![0].extensions).toMatchObject({ code: 'REFERRAL_STATUS_CONFLICT', status: 'ACCEPTED' });
      }
      const [row] = await sql('SELECT status, patient_id, decline_reason FROM referral WHERE id = $1', [made.id]);
      expect(row).toEqual({ status: 'ACCEPTED', patient_id: patientId, decline_reason: null });
      const refusals = await sql(`SELECT details->>'reason' AS reason FROM audit_event WHERE actor_org = $1 AND outcome = 'REFUSED' AND action IN ('acceptReferral', 'declineReferral', 'recordReferralOutcome') AND occurred_at > now() - interval '1 minute'`, [provider.key]);
      expect(refusals.map((r) => r.reason)).toEqual(expect.arrayContaining(['REFERRAL_STATUS_CONFLICT']));
    });

    it("refuses another provider's referral and another provider's patient as NOT_FOUND, as an unknown id (C9)", async () => {
      const made = await refer();
      const otherDesk = await openProviderDesk(t);
      const theirPatient = await otherDesk.register(person());
      const asOther = await t.graphql(otherDesk.staffToken, ACCEPT, { input: { referralId: made.id, patientId: theirPatient } });
      const unknown = await t.graphql(otherDesk.staffToken, ACCEPT, { input: { referralId: '00000000-0000-4000-8000-000000000000', patientId: theirPatient } });
      expect(asOther.errors![0].extensions).toEqual(unknown.errors![0].extensions);
      expect(asOther.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['referralId'], reason: 'NOT_FOUND' });
      const wrongPatient = await t.graphql(desk.staffToken, ACCEPT, { input: { referralId: made.id, patientId: theirPatient } });
      expect(wrongPatient.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['patientId'], reason: 'NOT_FOUND' });
      // Nor does the other provider see it in a queue.
      const queue = await t.graphql(otherDesk.staffToken, LIST, { first: 100 });
      expect(queue.data!.referrals.nodes.map((n: { id: string }) => n.id)).not.toContain(made.id);
    });

    it('refuses an outcome dated before the referral or in the future', async () => {
      const made = await refer();
      await acceptAsNewPatient(made.id);
      const before = await t.graphql(desk.staffToken, OUTCOME, { input: { referralId: made.id, outcome: 'ENGAGED', occurredOn: '2020-01-01' } });
      expect(before.errors![0].extensions!.problems).toEqual([{ field: 'occurredOn', rule: 'MUST_BE_AFTER', limit: made.createdAt.slice(0, 10) }]);
      const future = await t.graphql(desk.staffToken, OUTCOME, { input: { referralId: made.id, outcome: 'ENGAGED', occurredOn: '2999-01-01' } });
      expect(future.errors![0].extensions!.problems).toEqual([{ field: 'occurredOn', rule: 'MUST_NOT_BE_IN_FUTURE', limit: null }]);
    });

    it('pages the queue newest first with a keyset cursor', async () => {
      const otherDesk = await openProviderDesk(t);
      const [org] = await sql<{ id: string }>('SELECT id FROM organization WHERE key = $1', [otherDesk.organization.key]);
      await agreementInForce({ id: org.id }, agency);
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) ids.push((await refer(responder, referralInput(person(), { providerOrganizationKey: otherDesk.organization.key }))).id);
      const first = await t.graphql(otherDesk.staffToken, LIST, { first: 2 });
      const second = await t.graphql(otherDesk.staffToken, LIST, { first: 2, after: first.data!.referrals.pageInfo.endCursor });
      expect([...first.data!.referrals.nodes, ...second.data!.referrals.nodes].map((n: { id: string }) => n.id)).toEqual([...ids].reverse());
      expect([first.data!.referrals.pageInfo.hasNextPage, second.data!.referrals.pageInfo.hasNextPage]).toEqual([true, false]);
      expect(codeOf(await t.graphql(otherDesk.staffToken, LIST, { first: 2, after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('the outcome back to the referring agency', () => {
    const outcomeConsent = (patientId: string, recipients: TestOrganization[], overrides: Record<string, unknown> = {}) =>
      desk.consent(patientId, recipients, { purpose: 'CARE_COORDINATION', dataCategories: ['REFERRAL_OUTCOME'], ...overrides });

    async function closedReferral(outcome = 'ENGAGED') {
      const made = await refer();
      const { patientId } = await acceptAsNewPatient(made.id);
      await t.graphql(desk.staffToken, OUTCOME, { input: { referralId: made.id, outcome, occurredOn: today() } });
      return { referralId: made.id, patientId };
    }

    it('reaches the referring responder with a REFERRAL_OUTCOME consent naming the agency, as an audited disclosure in the accounting (C2, C19)', async () => {
      const made = await refer();
      const { patientId } = await acceptAsNewPatient(made.id);
      const consentId = await outcomeConsent(patientId, [agency]);
      // Accepted, under consent: the agency may see that.
      expect(await agencyView(made.id)).toMatchObject({ status: 'ACCEPTED', outcome: null });
      await t.graphql(desk.staffToken, OUTCOME, { input: { referralId: made.id, outcome: 'ENGAGED', occurredOn: today() } });
      const seen = await agencyView(made.id);
      expect(seen).toMatchObject({ status: 'CLOSED', outcome: 'ENGAGED', outcomeOccurredOn: today(), givenName: null, patientId: null });
      expect(seen.outcomeRecordedAt).not.toBeNull();

      const [disclosure] = await sql<Record<string, unknown>>(
        `SELECT actor_org, outcome, basis, purpose, disclosed_categories, consent_ids::text[] AS consent_ids, patient_ids::text[] AS patient_ids, subject_org_keys
           FROM audit_event WHERE action = 'referralOutcomeDisclosure' AND details->>'referralId' = $1 ORDER BY sequence DESC LIMIT 1`,
        [made.id],
      );
      expect(disclosure).toEqual({
        actor_org: agency.key, outcome: 'DISCLOSED', basis: 'CONSENT', purpose: 'CARE_COORDINATION', disclosed_categories: ['REFERRAL_OUTCOME'],
        consent_ids: [consentId], patient_ids: [patientId], subject_org_keys: [provider.key],
      });
      const accounting = await t.graphql(desk.staffToken, ACCOUNTING, { patientId });
      expect(accounting.errors).toBeUndefined();
      const entries = accounting.data!.accountingOfDisclosures.filter((e: { categories: string[] }) => e.categories.includes('REFERRAL_OUTCOME'));
      expect(entries.length).toBeGreaterThanOrEqual(2);
      expect(entries[0]).toMatchObject({ recipient: { organizationKey: agency.key, personName: "Riley Officer" }, basis: 'CONSENT', consentId, description: expect.stringMatching(/^What became of a referral/) });
    });

    it('is a consent category of its own: in plain words on the receipt, and a valid FHIR R4 Consent class (C4, C24)', async () => {
      const who = person({ givenName: 'Dana' });
      const patientId = await desk.register(who);
      const consentId = await outcomeConsent(patientId, [agency]);
      const { consent } = await desk.call('query($id: ID!) { consent(id: $id) { dataCategories receipt fhir } }', { id: consentId });
      expect(consent.dataCategories).toEqual(['REFERRAL_OUTCOME']);
      expect(consent.receipt).toContain(`What is shared: what became of a referral of Dana to ${provider.name} made by the recipient`);
      expect(consent.fhir.provision.class).toEqual([expect.objectContaining({ code: 'REFERRAL_OUTCOME' })]);
      (await fhirValidator())(consent.fhir);
    });

    it('never reaches it without one — no consent, another agency named, another category, revoked, or the agreement ended — in the same answer shape', async () => {
      const shapeOf = (node: Record<string, unknown>) => Object.fromEntries(Object.entries(node).map(([k, v]) => [k, v === null ? null : typeof v]));
      const withConsent = await closedReferral();
      await outcomeConsent(withConsent.patientId, [agency]);
      const shown = await agencyView(withConsent.referralId);
      expect(shown.outcome).toBe('ENGAGED');

      const otherAgency = await t.organization('RESPONDER_AGENCY', { partnerships: false });
      // A partner too, so a consent may name it (PARTNERSHIP_REQUIRED otherwise): only the agency named differs.
      await agreementInForce(provider, otherAgency);
      const cases: Array<[string, (c: { referralId: string; patientId: string }) => Promise<unknown>]> = [
        ['no consent', async () => undefined],
        ['another agency named', (c) => outcomeConsent(c.patientId, [otherAgency])],
        ['no REFERRAL_OUTCOME category', (c) => outcomeConsent(c.patientId, [agency], { dataCategories: ['TREATMENT_STATUS'] })],
        ['revoked', async (c) => desk.revoke(await outcomeConsent(c.patientId, [agency]))],
      ];
      for (const [name, arrange] of cases) {
        const closed = await closedReferral();
        await arrange(closed);
        const hidden = await agencyView(closed.referralId);
        expect({ name, status: hidden.status, outcome: hidden.outcome, outcomeOccurredOn: hidden.outcomeOccurredOn, outcomeRecordedAt: hidden.outcomeRecordedAt }).toEqual({
          name, status: 'CLOSED', outcome: null, outcomeOccurredOn: null, outcomeRecordedAt: null,
        });
        expect(Object.keys(hidden)).toEqual(Object.keys(shown));
        const disclosures = await sql(`SELECT 1 FROM audit_event WHERE action = 'referralOutcomeDisclosure' AND details->>'referralId' = $1`, [closed.referralId]);
        expect({ name, disclosures: disclosures.length }).toEqual({ name, disclosures: 0 });
      }
      // Accepted but not consented: the agency sees only "received".
      const open = await refer();
      await acceptAsNewPatient(open.id);
      expect(await agencyView(open.id)).toMatchObject({ status: 'RECEIVED', outcome: null });
      // The agency's "accepted" filter is the same as "received": it cannot tell the two apart.
      const [received, accepted] = await Promise.all(['RECEIVED', 'ACCEPTED'].map((status) => t.graphql(responder, LIST, { status, first: 100 })));
      expect(accepted.data!.referrals.nodes.map((n: { id: string }) => n.id)).toEqual(received.data!.referrals.nodes.map((n: { id: string }) => n.id));
      expect(shapeOf(shown).outcome).toBe('string');

      // An agreement that ends stops the outcome at once, like a lookup.
      const separate = await t.organization('RESPONDER_AGENCY', { partnerships: false });
      const agreement = await agreementInForce(provider, separate);
      const token = await t.token('responder', separate);
      const theirs = await refer(token);
      const { patientId } = await acceptAsNewPatient(theirs.id);
      await outcomeConsent(patientId, [separate]);
      await t.graphql(desk.staffToken, OUTCOME, { input: { referralId: theirs.id, outcome: 'CONTACTED', occurredOn: today() } });
      expect((await agencyView(theirs.id, token)).outcome).toBe('CONTACTED');
      await endAgreement(agreement);
      expect(await agencyView(theirs.id, token)).toMatchObject({ status: 'CLOSED', outcome: null });
    });

    it('is not shown when its disclosure cannot be audited: the read fails closed (C17)', async () => {
      const closed = await closedReferral();
      await outcomeConsent(closed.patientId, [agency]);
      const restore = await failAuditAppendsOf(agency.key);
      try {
        const answer = await t.graphql(responder, LIST, { first: 100 });
        expect(codeOf(answer)).toBe('UNAVAILABLE');
        expect(answer.data?.referrals ?? null).toBeNull();
        expect(JSON.stringify(answer.body)).not.toContain('ENGAGED');
      } finally {
        await restore();
      }
    });
  });

  describe('the agency report', () => {
    it('counts per month, shows 0 and 11 or more, and suppresses 1 to 10; audited; never a person', async () => {
      const reporting = await t.organization('RESPONDER_AGENCY', { partnerships: false });
      await agreementInForce(provider, reporting);
      const token = await t.token('responder', reporting);
      const ids: string[] = [];
      for (let i = 0; i < 11; i += 1) ids.push((await refer(token, referralInput())).id);
      for (const id of ids.slice(0, 3)) await acceptAsNewPatient(id);
      const who = person();
      const patientId = await desk.register(who);
      await desk.enroll(patientId);
      await desk.consent(patientId, [reporting]);
      await t.graphql(token, LOOKUP, { input: lookupInput(who) });
      await t.graphql(token, LOOKUP, { input: lookupInput(person()) });

      const month = today().slice(0, 7);
      const previous = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 15)).toISOString().slice(0, 10);
      const answer = await t.graphql(await t.token('clinical_responder', reporting), REPORT, { from: previous, to: today() });
      expect(answer.errors).toBeUndefined();
      const report = answer.data!.agencyReport;
      expect(report.organizationKey).toBe(reporting.key);
      expect(report.months.map((m: { month: string }) => m.month)).toEqual([previous.slice(0, 7), month]);
      const zero = { value: 0, suppressed: false };
      const hidden = { value: null, suppressed: true };
      expect(report.months[0]).toEqual({ month: previous.slice(0, 7), referralsMade: zero, referralsAccepted: zero, outcomesShared: zero, referralsEngaged: zero, lookupsMade: zero, lookupsWithInformation: zero });
      expect(report.months[1]).toEqual({
        // Accepted and engaged of this month are not settled yet (the end of next month): not shown, whatever they are.
        month, referralsMade: { value: 11, suppressed: false }, referralsAccepted: hidden, outcomesShared: zero, referralsEngaged: hidden, lookupsMade: hidden, lookupsWithInformation: hidden,
      });
      expect(JSON.stringify(report)).not.toMatch(new RegExp(`${who.familyName}|INC-`));
      const [event] = await sql(`SELECT outcome, details FROM audit_event WHERE actor_org = $1 AND action = 'agencyReport'`, [reporting.key]);
      expect(event).toMatchObject({ outcome: 'SUCCESS', details: { months: 2 } });
      // Another agency's report counts none of these.
      const other = await t.graphql(responder, REPORT, { from: today(), to: today() });
      expect(other.data!.agencyReport.organizationKey).toBe(agency.key);
    });

    it('is for members of an agency only, and refuses a period backwards or longer than 24 months', async () => {
      expect(codeOf(await t.graphql(desk.staffToken, REPORT, { from: today(), to: today() }))).toBe('FORBIDDEN');
      const officer = await t.graphql(await t.token('compliance_officer', agency), REPORT, { from: today(), to: today() });
      expect(officer.errors).toBeUndefined();
      const backwards = await t.graphql(responder, REPORT, { from: '2026-03-01', to: '2026-01-01' });
      expect(backwards.errors![0].extensions!.problems).toEqual([{ field: 'to', rule: 'MUST_BE_AFTER', limit: 'from' }]);
      const long = await t.graphql(responder, REPORT, { from: '2020-01-01', to: '2026-01-01' });
      expect(long.errors![0].extensions!.problems).toEqual([{ field: 'to', rule: 'TOO_MANY', limit: 24 }]);
    });
  });
});
