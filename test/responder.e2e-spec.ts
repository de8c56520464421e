// The responder lookup (C2, C5, C8-C13, C16, C17): the minimal, consented, audited answer.
import { failAuditAppendsOf, sql } from './support/database.js';
import { LOOKUP, lookupInput, nonAcknowledgementCases, openProviderDesk, person, type ProviderDesk } from './support/scenario.js';
import { codeOf, type GraphqlAnswer, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

/** An answer with its per-request parts (disclosureId, asOf) taken out, for byte comparison. */
function comparable(answer: GraphqlAnswer): string {
  const result = answer.data?.responderLookup;
  expect(result).toBeDefined();
  expect(result.disclosureId).toMatch(/^[0-9a-f-]{36}$/);
  expect(Number.isNaN(Date.parse(result.asOf))).toBe(false);
  const { disclosureId: _id, asOf: _asOf, ...rest } = result;
  return JSON.stringify({ status: answer.status, cacheControl: answer.headers['cache-control'], contentType: answer.headers['content-type'], body: { ...answer.body, data: { responderLookup: rest } } });
}

describe('responderLookup', () => {
  let t: TestApp;
  let metro: TestOrganization;
  let county: TestOrganization;
  let responder: string;
  let responderSub: string;
  let riverside: ProviderDesk;
  let harbor: ProviderDesk;

  beforeAll(async () => {
    t = await TestApp.start();
    metro = await t.organization('RESPONDER_AGENCY');
    county = await t.organization('RESPONDER_AGENCY');
    responderSub = uniqueSub();
    responder = await t.token('responder', metro, { sub: responderSub, name: 'Alice Responder' });
    riverside = await openProviderDesk(t, { part2Program: true });
    harbor = await openProviderDesk(t);
  });
  afterAll(() => t.close());

  const lookup = (who: { givenName: string; familyName: string; dateOfBirth: string }, overrides: Record<string, unknown> = {}, token = responder) =>
    t.graphql(token, LOOKUP, { input: lookupInput(who, overrides) });

  it('discloses, under an active consent naming the agency, the minimum with the notice and restriction (C2, C10, C11, C13)', async () => {
    const { who, consentId, patientId } = await riverside.consentedPatient([metro], person({ aliases: ['Dee'] }));
    const answer = await lookup(who);
    expect(answer.errors).toBeUndefined();
    const result = answer.data!.responderLookup;
    expect(result).toMatchObject({
      outcome: 'INFORMATION_AVAILABLE',
      records: [
        {
          programName: `${riverside.organization.name} program`,
          inTreatment: true,
          treatmentSince: '2025-09-02',
          careTeam: [{ name: 'Jordan Lee', role: 'Case manager', phone: '+1 555 0100 201', afterHoursPhone: '+1 555 0100 299', hours: 'Mon-Fri' }],
          engagementNotes: 'Calm, slow approach.',
          consentExpiresAt: '2030-01-01T00:00:00.000Z',
          basis: 'CONSENT',
        },
      ],
    });
    expect(result.records[0].consentScope).toContain(`for crisis response by ${metro.name}`);
    expect(result.redisclosureNotice).toMatch(/42 CFR part 2/);
    expect(result.useRestriction).toMatch(/criminal/);
    expect(answer.headers['cache-control']).toBe('no-store');
    // C16: exactly one audit event, whose id is the disclosureId, naming what was disclosed and why.
    const events = await sql<Record<string, unknown>>(
      `SELECT id, action, outcome, actor_sub, actor_org, actor_roles, actor_name, patient_ids, subject_org_keys, incident_number, purpose, basis,
         consent_ids, disclosed_categories, policy_version, policy_rule FROM audit_event WHERE id = $1`,
      [result.disclosureId],
    );
    expect(events).toEqual([
      {
        id: result.disclosureId,
        action: 'responderLookup',
        outcome: 'DISCLOSED',
        actor_sub: responderSub,
        actor_org: metro.key,
        actor_roles: ['responder'],
        actor_name: 'Alice Responder',
        patient_ids: [patientId],
        subject_org_keys: [riverside.organization.key],
        incident_number: 'INC-2026-0042',
        purpose: 'CRISIS_RESPONSE',
        basis: 'CONSENT',
        consent_ids: [consentId],
        disclosed_categories: ['CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES', 'TREATMENT_STATUS'],
        policy_version: expect.any(Number),
        policy_rule: expect.stringMatching(/^responder@\d+#\d+$/),
      },
    ]);
    expect(JSON.stringify(await sql('SELECT details FROM audit_event WHERE id = $1', [result.disclosureId]))).not.toMatch(/Dana|Rivera|1990/);
  });

  it('matches names however they are written, and aliases', async () => {
    const { who } = await riverside.consentedPatient([metro], person({ givenName: 'José-María', aliases: ['Chema'] }));
    for (const [givenName, familyName] of [
      ['jose maria', who.familyName.toUpperCase()],
      ['JOSÉ MARÍA', ` ${who.familyName} `],
      ['Chema', who.familyName],
    ]) {
      expect((await lookup({ ...who, givenName, familyName })).data!.responderLookup.outcome).toBe('INFORMATION_AVAILABLE');
    }
    expect((await lookup({ ...who, givenName: 'Josef' })).data!.responderLookup.outcome).toBe('NO_INFORMATION');
  });

  it('discloses only the categories the consent names; the rest are null, not placeholders (C10)', async () => {
    const { who } = await riverside.consentedPatient([metro], person(), { dataCategories: ['TREATMENT_STATUS'] });
    const record = (await lookup(who)).data!.responderLookup.records[0];
    expect(record).toMatchObject({ programName: expect.any(String), inTreatment: true, treatmentSince: '2025-09-02', careTeam: null, engagementNotes: null });
    const { who: other } = await riverside.consentedPatient([metro], person(), { dataCategories: ['CARE_TEAM_CONTACT'] });
    const contactOnly = (await lookup(other)).data!.responderLookup.records[0];
    expect(contactOnly).toMatchObject({ programName: null, inTreatment: null, treatmentSince: null, engagementNotes: null });
    expect(contactOnly.careTeam).toHaveLength(1);
  });

  it('answers each provider\'s record of the same person on its own consent', async () => {
    const who = person();
    await riverside.consentedPatient([metro], who);
    const harborPatient = await harbor.register(who);
    await harbor.enroll(harborPatient, { serviceType: 'MENTAL_HEALTH' });
    await harbor.consent(harborPatient, [county]);
    const records = (await lookup(who)).data!.responderLookup.records;
    expect(records.map((r: { programName: string }) => r.programName)).toEqual([`${riverside.organization.name} program`]);
    const countyAnswer = await lookup(who, {}, await t.token('responder', county));
    expect(countyAnswer.data!.responderLookup.records.map((r: { programName: string }) => r.programName)).toEqual([`${harbor.organization.name} program`]);
  });

  describe('non-acknowledgement (C9): every "no" is the same answer', () => {
    it('for no such person, not in treatment, no consent, expired, revoked, superseded, another agency, another purpose and an ambiguous match', async () => {
      const cases = nonAcknowledgementCases(riverside, metro, county);
      const answers = new Map<string, string>();
      const ids = new Set<string>();
      for (const [name, setUp] of Object.entries(cases)) {
        const answer = await lookup(await setUp());
        answers.set(name, comparable(answer));
        ids.add(answer.data!.responderLookup.disclosureId);
      }
      const reference = answers.get('no such person')!;
      expect(JSON.parse(reference).body).toEqual({ data: { responderLookup: { outcome: 'NO_INFORMATION', records: [], redisclosureNotice: null, useRestriction: null } } });
      for (const [name, answer] of answers) expect({ name, answer }).toEqual({ name, answer: reference });
      expect(ids.size).toBe(Object.keys(cases).length);
    });

    it('audits each "no" without naming who matched (C16)', async () => {
      const sub = uniqueSub();
      const token = await t.token('responder', metro, { sub });
      const { who } = await riverside.consentedPatient([county]);
      const answer = await lookup(who, {}, token);
      const events = await sql('SELECT id, outcome, patient_ids, subject_org_keys, consent_ids, disclosed_categories, incident_number FROM audit_event WHERE actor_sub = $1', [sub]);
      expect(events).toEqual([
        { id: answer.data!.responderLookup.disclosureId, outcome: 'NOT_DISCLOSED', patient_ids: [], subject_org_keys: [], consent_ids: [], disclosed_categories: [], incident_number: 'INC-2026-0042' },
      ]);
    });
  });

  it('stops disclosing the moment a consent is revoked: the next answer is the never-consented one (C5)', async () => {
    const { who, consentId } = await riverside.consentedPatient([metro]);
    expect((await lookup(who)).data!.responderLookup.outcome).toBe('INFORMATION_AVAILABLE');
    await riverside.revoke(consentId);
    const afterRevocation = comparable(await lookup(who));
    const neverConsented = comparable(await lookup(person()));
    expect(afterRevocation).toBe(neverConsented);
  });

  describe('input is validated before any matching (C8)', () => {
    it.each([
      ['givenName', { givenName: '' }],
      ['givenName', { givenName: 'x'.repeat(101) }],
      ['familyName', { familyName: '  ' }],
      ['dateOfBirth', { dateOfBirth: '1990-02-31' }],
      ['dateOfBirth', { dateOfBirth: '2999-01-01' }],
      ['dateOfBirth', { dateOfBirth: '1850-01-01' }],
      ['incidentNumber', { incidentNumber: 'ab' }],
      ['incidentNumber', { incidentNumber: 'INC 42; DROP TABLE' }],
      ['incidentNumber', { incidentNumber: undefined }],
      ['purpose', { purpose: undefined }],
      ['purpose', { purpose: 'CURIOSITY' }],
    ])('refuses a bad %s by name, without its value, disclosing nothing', async (field, change) => {
      const sub = uniqueSub();
      const token = await t.token('responder', metro, { sub });
      const input: Record<string, unknown> = { ...lookupInput(person()), ...change };
      for (const [key, value] of Object.entries(change)) if (value === undefined) delete input[key];
      const answer = await t.graphql(token, LOOKUP, { input });
      expect(codeOf(answer)).toBe('BAD_USER_INPUT');
      expect(answer.errors![0].extensions!.fields).toEqual([field]);
      expect(answer.data?.responderLookup ?? null).toBeNull();
      expect(JSON.stringify(answer.body)).not.toContain('DROP TABLE');
      // Nothing was matched or disclosed; the refusal is audited once, by field name only (C16):
      // by the refusal filter (class-validator) or, for what GraphQL refuses itself, by the plugin.
      const events = await sql<{ action: string; outcome: string; details: { fields: string[] } }>('SELECT action, outcome, details FROM audit_event WHERE actor_sub = $1', [sub]);
      expect(events).toEqual([{ action: 'responderLookup', outcome: 'REFUSED', details: { fields: [field], reason: null } }]);
    });
  });

  it('refuses roles that may not look up, and audits the refusal (C22)', async () => {
    for (const role of ['provider_staff', 'compliance_officer', 'admin'] as const) {
      const sub = uniqueSub();
      const answer = await t.graphql(await t.token(role, await t.homeOf(role), { sub }), LOOKUP, { input: lookupInput(person()) });
      expect(codeOf(answer)).toBe('FORBIDDEN');
      expect(await sql('SELECT action, outcome FROM audit_event WHERE actor_sub = $1', [sub])).toEqual([{ action: 'responderLookup', outcome: 'DENIED' }]);
    }
  });

  it('offers no list or bulk query to responders (C13)', async () => {
    expect(codeOf(await t.graphql(responder, '{ patients(first: 10) { nodes { id } } }'))).toBe('FORBIDDEN');
  });

  describe('when the audit append fails (C17)', () => {
    let failing: TestOrganization;
    let restore: () => Promise<void>;
    beforeAll(async () => {
      failing = await t.organization('RESPONDER_AGENCY');
      // A real database failure, scoped to this test's organisation so other tests run on.
      restore = await failAuditAppendsOf(failing.key);
    });
    afterAll(() => restore());

    it('gives no information at all', async () => {
      const { who } = await riverside.consentedPatient([failing]);
      const answer = await lookup(who, {}, await t.token('responder', failing));
      expect(codeOf(answer)).toBe('UNAVAILABLE');
      expect(answer.data ?? null).toBeNull();
      expect(JSON.stringify(answer.body)).not.toMatch(/Jordan|555|Calm|program/);
    });
  });
});
