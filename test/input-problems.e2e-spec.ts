// Errors that say what to fix (issue 14, DESIGN.md Wave 2): BAD_USER_INPUT lists every problem at
// once as `extensions.problems: [{ field, rule, limit }]`, `rule` one fixed code, `limit` where one
// applies, and never a value of the input (C3). Malformed scalars name their field, whether they
// come in a variable or are written in the query. Every rule code appears here.
import { INPUT_RULES, type InputRule } from '@libs/graphql/errors.js';
import { earliestBirthDate } from '@libs/graphql/validators.js';
import { openProviderDesk, type ProviderDesk } from './support/scenario.js';
import { codeOf, type GraphqlAnswer, TestApp, type TestOrganization } from './support/test-app.js';

const REGISTER = 'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id } }';
const ENROLL = 'mutation($input: RecordEnrollmentInput!) { recordEnrollment(input: $input) { id } }';
const END = 'mutation($input: EndEnrollmentInput!) { endEnrollment(input: $input) { id } }';
const CONSENT = 'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }';

type Problem = { field: string; rule: InputRule; limit: number | string | null };

const person = (overrides: Record<string, unknown> = {}) => ({ givenName: 'Noor', familyName: `Haddad${Math.random().toString(36).slice(2, 8)}`, dateOfBirth: '1988-02-14', ...overrides });
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000);

describe('BAD_USER_INPUT says what to fix (extensions.problems)', () => {
  let t: TestApp;
  let desk: ProviderDesk;
  let agency: TestOrganization;
  let patientId: string;
  const seen = new Set<InputRule>();

  /** The problems of a refusal, checked for the shape every refusal has, and remembered for the coverage check. */
  const problemsOf = (answer: GraphqlAnswer, ...values: string[]): Problem[] => {
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    const extensions = answer.errors![0].extensions!;
    const problems = extensions.problems as Problem[];
    expect(Array.isArray(problems)).toBe(true);
    // extensions.fields stays, and names the same fields.
    expect([...new Set(problems.map((p) => p.field.split('.')[0]))].sort()).toEqual([...new Set((extensions.fields as string[]).map((f) => f.split('.')[0]))].sort());
    for (const problem of problems) {
      expect(Object.keys(problem).sort()).toEqual(['field', 'limit', 'rule']);
      expect(INPUT_RULES).toContain(problem.rule);
      seen.add(problem.rule);
    }
    // C3: the refused value is never echoed.
    for (const value of values) expect(JSON.stringify(answer.body)).not.toContain(value);
    return problems;
  };

  const consentInput = (overrides: Record<string, unknown> = {}) => ({
    patientId,
    recipientOrganizationKeys: [agency.key],
    purpose: 'CRISIS_RESPONSE',
    dataCategories: ['TREATMENT_STATUS'],
    expiresAt: daysFromNow(365).toISOString(),
    signedBy: { name: 'The Patient', relationship: 'SELF' },
    signedAt: daysFromNow(-1).toISOString(),
    acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
    ...overrides,
  });

  beforeAll(async () => {
    t = await TestApp.start();
    desk = await openProviderDesk(t);
    agency = await t.organization('RESPONDER_AGENCY');
    patientId = await desk.register({ ...person(), aliases: [] });
  });
  afterAll(() => t.close());

  it('lists every problem of one input at once, with the limits that apply', async () => {
    const long = 'Q'.repeat(101);
    const answer = await t.graphql(desk.staffToken, REGISTER, {
      input: person({ givenName: '   ', familyName: long, aliases: Array.from({ length: 11 }, (_, i) => `Alias${i}`) }),
    });
    expect(problemsOf(answer, long, 'Alias3')).toEqual(
      expect.arrayContaining([
        { field: 'givenName', rule: 'REQUIRED', limit: null },
        { field: 'familyName', rule: 'TOO_LONG', limit: 100 },
        { field: 'aliases', rule: 'TOO_MANY', limit: 10 },
      ]),
    );
    expect(answer.errors![0].extensions!.fields).toEqual(['aliases', 'familyName', 'givenName']);
  });

  it.each([
    ['an empty name is missing, not short', { givenName: '' }, { field: 'givenName', rule: 'REQUIRED', limit: null }],
    ['a date of birth in the future', { dateOfBirth: daysFromNow(3).toISOString().slice(0, 10) }, { field: 'dateOfBirth', rule: 'MUST_NOT_BE_IN_FUTURE', limit: null }],
    ['a date of birth more than 120 years ago', { dateOfBirth: '1880-01-01' }, { field: 'dateOfBirth', rule: 'MUST_BE_AFTER', limit: earliestBirthDate() }],
    ['a name that is not text', { familyName: 42 }, { field: 'familyName', rule: 'INVALID_FORMAT', limit: null }],
  ])('registerPatient: %s', async (_case, change, problem) => {
    const answer = await t.graphql(desk.staffToken, REGISTER, { input: person(change) });
    expect(problemsOf(answer)).toContainEqual(problem);
  });

  it('names a malformed date in a variable by its field (INVALID_DATE), never echoing it', async () => {
    const answer = await t.graphql(desk.staffToken, REGISTER, { input: person({ dateOfBirth: '1985-13-03' }) });
    expect(problemsOf(answer, '1985-13-03')).toEqual([{ field: 'dateOfBirth', rule: 'INVALID_DATE', limit: null }]);
    expect(answer.errors![0].extensions!.fields).toEqual(['dateOfBirth']);
  });

  it('names a malformed date written in the query by its field too', async () => {
    const answer = await t.graphql(desk.staffToken, 'mutation { registerPatient(input: { givenName: "Noor", familyName: "Haddad", dateOfBirth: "1985-13-03" }) { id } }');
    expect(problemsOf(answer, '1985-13-03', 'Haddad')).toEqual([{ field: 'dateOfBirth', rule: 'INVALID_DATE', limit: null }]);
    expect(answer.errors![0].extensions!.fields).toEqual(['dateOfBirth']);
  });

  it('names a missing field of a nested object written in the query with its path (REQUIRED)', async () => {
    const answer = await t.graphql(
      desk.staffToken,
      `mutation { recordConsent(input: { patientId: "${patientId}", recipientOrganizationKeys: ["${agency.key}"], purpose: CRISIS_RESPONSE,
        dataCategories: [TREATMENT_STATUS], expiresAt: "2040-01-01T00:00:00Z", signedBy: { relationship: SELF }, signedAt: "2026-01-01T00:00:00Z",
        acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true } }) { id } }`,
    );
    expect(problemsOf(answer)).toEqual([{ field: 'signedBy.name', rule: 'REQUIRED', limit: null }]);
  });

  it('names a malformed top-level argument by the argument (a DateTime variable)', async () => {
    const answer = await t.graphql(desk.staffToken, 'query($p: ID!, $from: DateTime) { accountingOfDisclosures(patientId: $p, from: $from) { disclosureId } }', { p: patientId, from: '2026-02-30T00:00:00Z' });
    expect(problemsOf(answer, '2026-02-30')).toEqual([{ field: 'from', rule: 'INVALID_DATE', limit: null }]);
  });

  it('names the bound a period\'s end must come after', async () => {
    const answer = await t.graphql(desk.staffToken, 'query($p: ID!, $from: DateTime, $to: DateTime) { accountingOfDisclosures(patientId: $p, from: $from, to: $to) { disclosureId } }', {
      p: patientId,
      from: '2026-03-01T00:00:00Z',
      to: '2026-02-01T00:00:00Z',
    });
    expect(problemsOf(answer)).toEqual([{ field: 'to', rule: 'MUST_BE_AFTER', limit: 'from' }]);
  });

  it('refuses a value outside an enum as NOT_ALLOWED_VALUE', async () => {
    const answer = await t.graphql(desk.staffToken, CONSENT, { input: consentInput({ purpose: 'CURIOSITY' }) });
    expect(problemsOf(answer, 'CURIOSITY')).toEqual([{ field: 'purpose', rule: 'NOT_ALLOWED_VALUE', limit: null }]);
  });

  it('recordConsent: every element it can name at once', async () => {
    const answer = await t.graphql(desk.staffToken, CONSENT, {
      input: consentInput({
        dataCategories: [],
        expirationEvent: 'ab',
        acknowledgements: { rightToRevoke: false, treatmentNotConditioned: true, redisclosureRestricted: true },
      }),
    });
    expect(problemsOf(answer)).toEqual(
      expect.arrayContaining([
        { field: 'dataCategories', rule: 'REQUIRED', limit: null },
        { field: 'expirationEvent', rule: 'TOO_SHORT', limit: 3 },
        { field: 'acknowledgements.rightToRevoke', rule: 'NOT_ALLOWED_VALUE', limit: null },
      ]),
    );
  });

  it('recordConsent: an expiry that has passed must be in the future; one before the start must come after it', async () => {
    const past = await t.graphql(desk.staffToken, CONSENT, { input: consentInput({ expiresAt: daysFromNow(-2).toISOString(), signedAt: daysFromNow(-3).toISOString() }) });
    expect(problemsOf(past)).toEqual([{ field: 'expiresAt', rule: 'MUST_BE_IN_FUTURE', limit: null }]);
    const beforeStart = await t.graphql(desk.staffToken, CONSENT, { input: consentInput({ effectiveFrom: daysFromNow(30).toISOString(), expiresAt: daysFromNow(20).toISOString() }) });
    expect(problemsOf(beforeStart)).toEqual([{ field: 'expiresAt', rule: 'MUST_BE_AFTER', limit: 'effectiveFrom' }]);
    const signedLater = await t.graphql(desk.staffToken, CONSENT, { input: consentInput({ signedAt: daysFromNow(2).toISOString() }) });
    expect(problemsOf(signedLater)).toEqual([{ field: 'signedAt', rule: 'MUST_NOT_BE_IN_FUTURE', limit: null }]);
  });

  it('recordConsent: a recipient that does not exist is UNKNOWN_ORGANIZATION', async () => {
    const answer = await t.graphql(desk.staffToken, CONSENT, { input: consentInput({ recipientOrganizationKeys: ['no-such-agency-anywhere'] }) });
    expect(problemsOf(answer)).toEqual([{ field: 'recipientOrganizationKeys', rule: 'UNKNOWN_ORGANIZATION', limit: null }]);
    expect(answer.errors![0].extensions!.reason).toBe('UNKNOWN_ORGANIZATION');
  });

  it('recordEnrollment: a malformed phone number (INVALID_FORMAT) and an empty care team (REQUIRED), with their paths', async () => {
    const enrollment = {
      patientId,
      programName: 'Outpatient program',
      serviceType: 'MENTAL_HEALTH',
      startedOn: '2025-01-06',
      careTeam: [{ name: 'Jordan Lee', role: 'Case manager', phone: 'call the front desk' }],
    };
    const phone = await t.graphql(desk.staffToken, ENROLL, { input: enrollment });
    expect(problemsOf(phone, 'front desk')).toEqual([{ field: 'careTeam.0.phone', rule: 'INVALID_FORMAT', limit: null }]);
    expect(phone.errors![0].extensions!.fields).toEqual(['careTeam.0.phone']);
    const empty = await t.graphql(desk.staffToken, ENROLL, { input: { ...enrollment, careTeam: [] } });
    expect(problemsOf(empty)).toEqual([{ field: 'careTeam', rule: 'REQUIRED', limit: null }]);
  });

  it('endEnrollment: an end before the start must come after it (MUST_BE_AFTER), an unknown id is not an allowed value', async () => {
    const enrollmentId = await desk.enroll(patientId, { startedOn: '2025-03-01' });
    const early = await t.graphql(desk.staffToken, END, { input: { enrollmentId, endedOn: '2025-02-01' } });
    expect(problemsOf(early)).toEqual([{ field: 'endedOn', rule: 'MUST_BE_AFTER', limit: null }]);
    const unknown = await t.graphql(desk.staffToken, END, { input: { enrollmentId: '00000000-0000-4000-8000-000000000000', endedOn: '2025-04-01' } });
    expect(problemsOf(unknown)).toEqual([{ field: 'enrollmentId', rule: 'NOT_ALLOWED_VALUE', limit: null }]);
    expect(unknown.errors![0].extensions!.reason).toBe('NOT_FOUND');
  });

  it('refusals before Apollo carry the same keys, with nothing to name', async () => {
    const answer = await t.graphql(desk.staffToken, '{ patients(first: 1) { nodes { id } }');
    expect(answer.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [], problems: [] });
  });

  it('has shown every rule code', () => {
    expect([...seen].sort()).toEqual([...INPUT_RULES].sort());
  });
});
