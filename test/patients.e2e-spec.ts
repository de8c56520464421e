// Treatment providers register their patients and record enrollments (schema.gql); a provider
// never sees another provider's patients, and asking for one answers exactly like asking for one
// that does not exist. Bad input is refused by field name and stores nothing.
import { randomUUID } from 'node:crypto';
import { sql } from './support/database.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const REGISTER = 'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id givenName familyName dateOfBirth aliases } }';
const PATIENT = 'query($id: ID!) { patient(id: $id) { id givenName familyName dateOfBirth enrollments { programName } } }';
const RECORD = `mutation($input: RecordEnrollmentInput!) { recordEnrollment(input: $input) {
  id patientId programName serviceType status startedOn endedOn engagementNotes sensitivityLabels confidentiality
  careTeam { name role phone afterHoursPhone hours } } }`;
const END = 'mutation($input: EndEnrollmentInput!) { endEnrollment(input: $input) { id status endedOn } }';

// A family name of its own per registration: the same person twice at one provider is a possible duplicate.
const person = (overrides: Record<string, unknown> = {}) => ({ givenName: 'Dana', familyName: `Rivera-${randomUUID().slice(0, 8)}`, dateOfBirth: '1990-04-12', aliases: ['Dee'], ...overrides });
const enrollment = (patientId: string, overrides: Record<string, unknown> = {}) => ({
  patientId,
  programName: 'Opioid Treatment Program',
  serviceType: 'OPIOID_TREATMENT',
  startedOn: '2025-09-02',
  careTeam: [{ name: 'Jordan Lee', role: 'Case manager', phone: '+1 555 0100 201', afterHoursPhone: '+1 555 0100 299', hours: 'Mon-Fri' }],
  engagementNotes: 'Calm approach.',
  ...overrides,
});

function isoDaysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('patients and enrollments', () => {
  let t: TestApp;
  let riverside: TestOrganization;
  let harbor: TestOrganization;
  let staff: string;
  let otherStaff: string;

  beforeAll(async () => {
    t = await TestApp.start();
    riverside = await t.organization('TREATMENT_PROVIDER', { part2Program: true });
    harbor = await t.organization('TREATMENT_PROVIDER');
    staff = await t.token('provider_staff', riverside);
    otherStaff = await t.token('provider_staff', harbor);
  });
  afterAll(() => t.close());

  const countPatients = async (org: TestOrganization) => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM patient WHERE organization_id = $1', [org.id]))[0].n);

  it('registers a patient, storing identifiers encrypted and matchable only by blind index (C23)', async () => {
    const sub = uniqueSub();
    const answer = await t.graphql(await t.token('provider_staff', riverside, { sub }), REGISTER, { input: person({ givenName: 'Zora', familyName: "O'Neil-Brandt", aliases: ['Deedee-Lou'] }) });
    expect(answer.errors).toBeUndefined();
    const patient = answer.data!.registerPatient;
    expect(patient).toMatchObject({ givenName: 'Zora', familyName: "O'Neil-Brandt", dateOfBirth: '1990-04-12', aliases: ['Deedee-Lou'] });
    const stored = await sql<Record<string, string>>('SELECT * FROM patient WHERE id = $1', [patient.id]);
    // Long, distinctive values: a short one could turn up by chance inside base64 ciphertext.
    expect(JSON.stringify(stored)).not.toMatch(/Zora|O'Neil-Brandt|1990-04-12|Deedee-Lou/);
    const keys = await sql('SELECT match_key FROM patient_match_key WHERE patient_id = $1', [patient.id]);
    expect(keys).toHaveLength(2); // given name and one alias
    const events = await sql('SELECT action, outcome, patient_ids, subject_org_keys, details FROM audit_event WHERE actor_sub = $1', [sub]);
    expect(events).toEqual([{ action: 'registerPatient', outcome: 'SUCCESS', patient_ids: [patient.id], subject_org_keys: [riverside.key], details: {} }]);
    expect(JSON.stringify(events)).not.toMatch(/Zora|O'Neil-Brandt/);
  });

  it.each([
    ['givenName', { givenName: '' }],
    ['givenName', { givenName: '   ' }],
    ['givenName', { givenName: 'x'.repeat(101) }],
    ['givenName', { givenName: "'-'" }],
    ['familyName', { familyName: undefined }],
    ['familyName', { familyName: 7 }],
    ['dateOfBirth', { dateOfBirth: '1990-02-30' }],
    ['dateOfBirth', { dateOfBirth: '12/04/1990' }],
    ['dateOfBirth', { dateOfBirth: isoDaysFromToday(2) }],
    ['dateOfBirth', { dateOfBirth: '1890-01-01' }],
    ['aliases', { aliases: Array.from({ length: 11 }, (_, i) => `A${i}`) }],
    ['aliases', { aliases: [''] }],
  ])('refuses a bad %s by name, without its value, storing nothing', async (field, change) => {
    const before = await countPatients(riverside);
    const answer = await t.graphql(staff, REGISTER, { input: person(change) });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    const fields: string[] = answer.errors![0].extensions!.fields;
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.every((f) => f === field || f.startsWith(`${field}.`))).toBe(true);
    const value = Object.values(change)[0];
    if (typeof value === 'string' && value.trim().length > 2) expect(JSON.stringify(answer.body)).not.toContain(value);
    expect(await countPatients(riverside)).toBe(before);
  });

  it('refuses registration by a responder or an admin (FORBIDDEN)', async () => {
    const agency = await t.organization('RESPONDER_AGENCY');
    for (const role of ['responder', 'clinical_responder', 'admin', 'compliance_officer'] as const) {
      const answer = await t.graphql(await t.token(role, agency), REGISTER, { input: person() });
      expect(codeOf(answer)).toBe('FORBIDDEN');
    }
  });

  it('refuses provider_staff of an organisation that is not a treatment provider at the door, and audits it', async () => {
    const agency = await t.organization('RESPONDER_AGENCY');
    const sub = uniqueSub();
    const answer = await t.graphql(await t.token('provider_staff', agency, { sub }), REGISTER, { input: person() });
    expect(answer.status).toBe(401);
    expect(codeOf(answer)).toBe('UNAUTHENTICATED');
    expect(await countPatients(agency)).toBe(0);
    expect(await sql('SELECT action, outcome FROM audit_event WHERE actor_sub = $1', [sub])).toEqual([{ action: 'authenticate', outcome: 'DENIED' }]);
  });

  it('answers another provider\'s patient exactly like an unknown id', async () => {
    const mine = (await t.graphql(staff, REGISTER, { input: person() })).data!.registerPatient;
    const own = await t.graphql(staff, PATIENT, { id: mine.id });
    expect(own.data?.patient).toMatchObject({ id: mine.id, givenName: 'Dana' });
    const theirs = await t.graphql(otherStaff, PATIENT, { id: mine.id });
    const unknown = await t.graphql(otherStaff, PATIENT, { id: randomUUID() });
    const malformed = await t.graphql(otherStaff, PATIENT, { id: 'not-a-uuid' });
    expect(theirs.body).toEqual({ data: { patient: null } });
    expect(unknown.body).toEqual(theirs.body);
    expect(malformed.body).toEqual(theirs.body);
    expect(theirs.status).toBe(unknown.status);
  });

  it('lists only the caller\'s own patients, page by page', async () => {
    const provider = await t.organization('TREATMENT_PROVIDER');
    const token = await t.token('provider_staff', provider);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await t.graphql(token, REGISTER, { input: person({ givenName: `P${i}` }) })).data!.registerPatient.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await t.graphql(token, 'query($after: String) { patients(first: 2, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } }', { after });
      expect(page.errors).toBeUndefined();
      seen.push(...page.data.patients.nodes.map((n: { id: string }) => n.id));
      if (!page.data.patients.pageInfo.hasNextPage) break;
      after = page.data.patients.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids);
    const other = await t.graphql(otherStaff, '{ patients(first: 100) { nodes { id } } }');
    expect(other.data!.patients.nodes.map((n: { id: string }) => n.id)).not.toEqual(expect.arrayContaining([ids[0]]));
  });

  it('audits a refusal by field name only, with nothing of the value (C16)', async () => {
    const sub = uniqueSub();
    await t.graphql(await t.token('provider_staff', riverside, { sub }), REGISTER, { input: person({ givenName: "'-'" }) });
    expect(await sql('SELECT action, outcome, details FROM audit_event WHERE actor_sub = $1', [sub])).toEqual([
      { action: 'registerPatient', outcome: 'REFUSED', details: { fields: ['givenName'], reason: null } },
    ]);
  });

  it('refuses bad paging arguments by name', async () => {
    expect((await t.graphql(staff, '{ patients(first: 0) { nodes { id } } }')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['first'] });
    expect((await t.graphql(staff, '{ patients(first: 101) { nodes { id } } }')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['first'] });
    expect((await t.graphql(staff, '{ patients(after: "garbage") { nodes { id } } }')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['after'] });
  });

  describe('enrollments', () => {
    let patientId: string;
    beforeAll(async () => {
      patientId = (await t.graphql(staff, REGISTER, { input: person() })).data!.registerPatient.id;
    });
    const countEnrollments = async () => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM enrollment WHERE patient_id = $1', [patientId]))[0].n);

    it('records an enrollment with its care team and Part 2 labels (C1), encrypted at rest (C23)', async () => {
      const answer = await t.graphql(staff, RECORD, { input: enrollment(patientId) });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.recordEnrollment).toMatchObject({
        patientId,
        status: 'ACTIVE',
        startedOn: '2025-09-02',
        endedOn: null,
        sensitivityLabels: ['42CFRPart2', 'SUD'],
        confidentiality: 'V',
        careTeam: [{ name: 'Jordan Lee', role: 'Case manager', phone: '+1 555 0100 201', afterHoursPhone: '+1 555 0100 299', hours: 'Mon-Fri' }],
      });
      const stored = await sql('SELECT * FROM enrollment WHERE id = $1', [answer.data!.recordEnrollment.id]);
      expect(JSON.stringify(stored)).not.toMatch(/Jordan|0100|Calm approach/);
      const readerSub = uniqueSub();
      const read = await t.graphql(await t.token('provider_staff', riverside, { sub: readerSub }), PATIENT, { id: patientId });
      expect(read.data!.patient.enrollments).toEqual(expect.arrayContaining([{ programName: 'Opioid Treatment Program' }]));
      // Reading the care team is audited too, apart from the patient read (C16).
      expect((await sql<{ action: string }>('SELECT action FROM audit_event WHERE actor_sub = $1 ORDER BY sequence', [readerSub])).map((e) => e.action)).toEqual(['patient', 'patientEnrollments']);
    });

    it('labels a mental-health provider\'s records MH, restricted', async () => {
      const mhPatient = (await t.graphql(otherStaff, REGISTER, { input: person() })).data!.registerPatient.id;
      const answer = await t.graphql(otherStaff, RECORD, { input: enrollment(mhPatient, { serviceType: 'MENTAL_HEALTH', engagementNotes: null }) });
      expect(answer.data!.recordEnrollment).toMatchObject({ sensitivityLabels: ['MH'], confidentiality: 'R', engagementNotes: null });
    });

    it.each([
      ['programName', { programName: '' }],
      ['serviceType', { serviceType: 'SURGERY' }],
      ['startedOn', { startedOn: isoDaysFromToday(3) }],
      ['startedOn', { startedOn: '2025-13-01' }],
      ['careTeam', { careTeam: [] }],
      ['careTeam.0.phone', { careTeam: [{ name: 'A', role: 'B', phone: 'call me maybe' }] }],
      ['careTeam.0.name', { careTeam: [{ name: '', role: 'B', phone: '+1 555 0100 201' }] }],
      ['careTeam.0.afterHoursPhone', { careTeam: [{ name: 'A', role: 'B', phone: '+1 555 0100 201', afterHoursPhone: '12' }] }],
      ['engagementNotes', { engagementNotes: 'n'.repeat(2001) }],
    ])('refuses a bad %s by name and stores nothing', async (field, change) => {
      const before = await countEnrollments();
      const answer = await t.graphql(staff, RECORD, { input: enrollment(patientId, change) });
      expect(codeOf(answer)).toBe('BAD_USER_INPUT');
      expect(answer.errors![0].extensions!.fields).toEqual([field]);
      expect(JSON.stringify(answer.body)).not.toContain('call me maybe');
      expect(await countEnrollments()).toBe(before);
    });

    it('refuses another provider\'s patient exactly like an unknown one', async () => {
      const theirs = await t.graphql(otherStaff, RECORD, { input: enrollment(patientId) });
      const unknown = await t.graphql(otherStaff, RECORD, { input: enrollment(randomUUID()) });
      expect(theirs.body).toEqual(unknown.body);
      expect(theirs.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['patientId'], reason: 'NOT_FOUND' });
    });

    it('ends an enrollment once, not before it started, not by another provider', async () => {
      const id = (await t.graphql(staff, RECORD, { input: enrollment(patientId, { startedOn: '2025-01-10' }) })).data!.recordEnrollment.id;
      const early = await t.graphql(staff, END, { input: { enrollmentId: id, endedOn: '2025-01-09' } });
      expect(early.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['endedOn'], reason: 'BEFORE_START' });
      const foreign = await t.graphql(otherStaff, END, { input: { enrollmentId: id, endedOn: '2025-02-01' } });
      expect(foreign.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['enrollmentId'], reason: 'NOT_FOUND' });
      const future = await t.graphql(staff, END, { input: { enrollmentId: id, endedOn: isoDaysFromToday(5) } });
      expect(future.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['endedOn'] });
      const ended = await t.graphql(staff, END, { input: { enrollmentId: id, endedOn: '2025-02-01' } });
      expect(ended.data!.endEnrollment).toEqual({ id, status: 'ENDED', endedOn: '2025-02-01' });
      const again = await t.graphql(staff, END, { input: { enrollmentId: id, endedOn: '2025-02-02' } });
      expect(again.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['enrollmentId'], reason: 'ALREADY_ENDED' });
      expect(await sql('SELECT status, to_char(ended_on, \'YYYY-MM-DD\') AS ended_on FROM enrollment WHERE id = $1', [id])).toEqual([{ status: 'ENDED', ended_on: '2025-02-01' }]);
    });
  });
});
