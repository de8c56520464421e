// Patient identity a provider can keep right (issue 14). Registering the same person twice was
// silently accepted, and the duplicate then hid a consented person from every responder lookup
// (two matches answer "no", C9). Now: a possible duplicate is refused unless confirmed; a
// correction rewrites matching at once; a merge makes the duplicate answer as the survivor, with
// enrollments, consents and the accounting following it; enrollments can be corrected.
import { randomUUID } from 'node:crypto';
import { sql } from './support/database.js';
import { LOOKUP, lookupInput, openProviderDesk, person, type ProviderDesk } from './support/scenario.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const REGISTER = 'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id givenName familyName dateOfBirth aliases } }';
const UPDATE = 'mutation($input: UpdatePatientInput!) { updatePatient(input: $input) { id givenName familyName dateOfBirth aliases } }';
const MERGE = 'mutation($input: MergePatientsInput!) { mergePatients(input: $input) { id givenName familyName } }';
const UPDATE_ENROLLMENT = `mutation($input: UpdateEnrollmentInput!) { updateEnrollment(input: $input) {
  id programName engagementNotes careTeam { name role phone afterHoursPhone hours } serviceType status } }`;
const ACCOUNTING = 'query($patientId: ID!) { accountingOfDisclosures(patientId: $patientId) { disclosureId incidentNumber consentId } }';

type Who = ReturnType<typeof person>;

describe('patient identity', () => {
  let t: TestApp;
  let desk: ProviderDesk;
  let otherDesk: ProviderDesk;
  let agency: TestOrganization;
  let responder: string;

  beforeAll(async () => {
    t = await TestApp.start();
    desk = await openProviderDesk(t, { part2Program: true });
    otherDesk = await openProviderDesk(t);
    agency = await t.organization('RESPONDER_AGENCY');
    responder = await t.token('responder', agency);
  });
  afterAll(() => t.close());

  const lookup = async (who: Pick<Who, 'givenName' | 'familyName' | 'dateOfBirth'>, incidentNumber = 'INC-ID-1') => {
    const answer = await t.graphql(responder, LOOKUP, { input: lookupInput(who, { incidentNumber }) });
    expect(answer.errors).toBeUndefined();
    return answer.data!.responderLookup as { outcome: string; disclosureId: string; records: Array<Record<string, any>> };
  };
  const eventsOf = (sub: string) =>
    sql<{ action: string; outcome: string; patient_ids: string[]; details: Record<string, unknown> }>('SELECT action, outcome, patient_ids, details FROM audit_event WHERE actor_sub = $1 ORDER BY sequence', [sub]);
  const countPatients = async () => (await sql<{ n: number }>('SELECT count(*)::int AS n FROM patient WHERE organization_id = $1', [desk.organization.id]))[0].n;

  describe('registerPatient refuses a possible duplicate (POSSIBLE_DUPLICATE)', () => {
    it.each([
      ['the same person typed differently', (who: Who) => ({ ...who, givenName: ` ${who.givenName.toUpperCase()} `, familyName: who.familyName.toLowerCase(), aliases: [] })],
      ['a given name that is the other\'s alias', (who: Who) => ({ ...who, givenName: 'Dee', aliases: [] })],
      ['an alias that is the other\'s given name', (who: Who) => ({ ...who, givenName: 'Danielle', aliases: [who.givenName] })],
    ])('refuses %s, naming the existing record and storing nothing; audited', async (_case, twin) => {
      const who = person({ aliases: ['Dee'] });
      const existing = await desk.register(who);
      const before = await countPatients();
      const sub = uniqueSub();
      const answer = await t.graphql(await t.token('provider_staff', desk.organization, { sub }), REGISTER, { input: twin(who) });
      expect(codeOf(answer)).toBe('POSSIBLE_DUPLICATE');
      expect(answer.errors![0].extensions).toEqual({ code: 'POSSIBLE_DUPLICATE', existingPatientId: existing });
      expect(answer.errors![0].message).toBe('A patient who may be the same person is already registered');
      expect(JSON.stringify(answer.body)).not.toContain(who.familyName);
      expect(await countPatients()).toBe(before);
      expect(await eventsOf(sub)).toEqual([
        { action: 'registerPatient', outcome: 'REFUSED', patient_ids: [existing], details: { fields: ['confirmDistinctPerson'], reason: 'POSSIBLE_DUPLICATE' } },
      ]);
    });

    it('accepts the second record when the input says it is another person, and records that it was confirmed', async () => {
      const who = person();
      const existing = await desk.register(who);
      const sub = uniqueSub();
      const answer = await t.graphql(await t.token('provider_staff', desk.organization, { sub }), REGISTER, { input: { ...who, confirmDistinctPerson: true } });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.registerPatient.id).not.toBe(existing);
      expect(await eventsOf(sub)).toEqual([
        { action: 'registerPatient', outcome: 'SUCCESS', patient_ids: [answer.data!.registerPatient.id], details: { confirmedDistinctPerson: true, possibleDuplicateOf: existing } },
      ]);
    });

    it('is not a duplicate with another date of birth, another family name, or at another provider (which it never learns of)', async () => {
      const who = person();
      await desk.register(who);
      for (const other of [{ ...who, dateOfBirth: '1990-04-13' }, { ...who, familyName: `${who.familyName}x` }]) {
        expect((await t.graphql(desk.staffToken, REGISTER, { input: other })).errors).toBeUndefined();
      }
      expect((await t.graphql(otherDesk.staffToken, REGISTER, { input: who })).errors).toBeUndefined();
    });
  });

  describe('updatePatient', () => {
    it('rewrites matching in the same transaction: the old name stops matching, the new one matches', async () => {
      const { who, patientId } = await desk.consentedPatient([agency]);
      expect((await lookup(who)).outcome).toBe('INFORMATION_AVAILABLE');
      const newFamilyName = `Okoro-${randomUUID().slice(0, 8)}`;
      const sub = uniqueSub();
      const answer = await t.graphql(await t.token('provider_staff', desk.organization, { sub }), UPDATE, { input: { patientId, familyName: newFamilyName } });
      expect(answer.errors).toBeUndefined();
      // Absent fields unchanged.
      expect(answer.data!.updatePatient).toEqual({ id: patientId, givenName: who.givenName, familyName: newFamilyName, dateOfBirth: who.dateOfBirth, aliases: who.aliases });
      expect((await lookup(who)).outcome).toBe('NO_INFORMATION');
      const found = await lookup({ ...who, familyName: newFamilyName });
      expect(found.outcome).toBe('INFORMATION_AVAILABLE');
      expect(found.records).toHaveLength(1);
      expect(await eventsOf(sub)).toEqual([{ action: 'updatePatient', outcome: 'SUCCESS', patient_ids: [patientId], details: { changed: ['familyName'] } }]);
      // Stored encrypted like at registration (C23).
      expect(JSON.stringify(await sql('SELECT * FROM patient WHERE id = $1', [patientId]))).not.toContain(newFamilyName);
    });

    it('replaces the aliases and the date of birth, each matching from then on', async () => {
      const who = person({ aliases: ['Dee'] });
      const patientId = await desk.register(who);
      await desk.enroll(patientId);
      await desk.consent(patientId, [agency]);
      const answer = await t.graphql(desk.staffToken, UPDATE, { input: { patientId, dateOfBirth: '1990-05-12', aliases: ['Dani'] } });
      expect(answer.data!.updatePatient).toMatchObject({ dateOfBirth: '1990-05-12', aliases: ['Dani'] });
      expect((await lookup({ ...who, givenName: 'Dee', dateOfBirth: '1990-05-12' })).outcome).toBe('NO_INFORMATION');
      expect((await lookup({ ...who, givenName: 'Dani', dateOfBirth: '1990-05-12' })).outcome).toBe('INFORMATION_AVAILABLE');
      expect((await lookup(who)).outcome).toBe('NO_INFORMATION');
    });

    it('refuses a correction that makes the record a possible duplicate of another, unless confirmed', async () => {
      const a = person();
      const first = await desk.register(a);
      const second = await desk.register(person());
      const refused = await t.graphql(desk.staffToken, UPDATE, { input: { patientId: second, familyName: a.familyName } });
      expect(refused.errors![0].extensions).toEqual({ code: 'POSSIBLE_DUPLICATE', existingPatientId: first });
      expect((await t.graphql(desk.staffToken, UPDATE, { input: { patientId: second, familyName: a.familyName, confirmDistinctPerson: true } })).errors).toBeUndefined();
    });

    it('answers another provider\'s patient exactly like an unknown id, and refuses bad input by field and rule', async () => {
      const theirs = await otherDesk.register(person());
      const foreign = await t.graphql(desk.staffToken, UPDATE, { input: { patientId: theirs, givenName: 'Mallory' } });
      const unknown = await t.graphql(desk.staffToken, UPDATE, { input: { patientId: randomUUID(), givenName: 'Mallory' } });
      expect(foreign.body).toEqual(unknown.body);
      expect(foreign.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['patientId'], reason: 'NOT_FOUND', problems: [{ field: 'patientId', rule: 'NOT_ALLOWED_VALUE', limit: null }] });
      const mine = await desk.register(person());
      const bad = await t.graphql(desk.staffToken, UPDATE, { input: { patientId: mine, givenName: '', dateOfBirth: '2999-01-01', aliases: Array.from({ length: 11 }, (_, i) => `A${i}`) } });
      expect(bad.errors![0].extensions!.problems).toEqual(
        expect.arrayContaining([
          { field: 'givenName', rule: 'REQUIRED', limit: null },
          { field: 'dateOfBirth', rule: 'MUST_NOT_BE_IN_FUTURE', limit: null },
          { field: 'aliases', rule: 'TOO_MANY', limit: 10 },
        ]),
      );
    });
  });

  describe('mergePatients', () => {
    it('keeps the lookup answering and the accounting whole: the duplicate that hid a consented person answers as one record', async () => {
      // The consented record, disclosed once.
      const { who, patientId: consented, consentId } = await desk.consentedPatient([agency]);
      const first = await lookup(who, 'INC-MERGE-1');
      expect(first.outcome).toBe('INFORMATION_AVAILABLE');
      // A second record of the same person (confirmed at the desk by mistake): now two match, and the lookup says "no" (C9).
      const duplicate = await desk.register({ ...who, aliases: [], confirmDistinctPerson: true });
      expect((await lookup(who, 'INC-MERGE-2')).outcome).toBe('NO_INFORMATION');

      // Merged into the duplicate, so everything must follow the survivor.
      const sub = uniqueSub();
      const merged = await t.graphql(await t.token('provider_staff', desk.organization, { sub }), MERGE, { input: { survivorId: duplicate, mergedId: consented } });
      expect(merged.errors).toBeUndefined();
      expect(merged.data!.mergePatients.id).toBe(duplicate);
      const [event] = await eventsOf(sub);
      expect(event).toMatchObject({ action: 'mergePatients', outcome: 'SUCCESS', patient_ids: [duplicate, consented], details: { survivorId: duplicate, mergedId: consented, consentIds: [consentId] } });

      // The lookup answers again, under the consent that followed the survivor.
      const after = await lookup(who, 'INC-MERGE-3');
      expect(after.outcome).toBe('INFORMATION_AVAILABLE');
      expect(after.records).toHaveLength(1);
      const [disclosed] = await sql<{ patient_ids: string[]; consent_ids: string[] }>('SELECT patient_ids, consent_ids FROM audit_event WHERE id = $1', [after.disclosureId]);
      expect(disclosed).toEqual({ patient_ids: [duplicate], consent_ids: [consentId] });

      // The accounting is whole: the disclosure made under the merged record and the one after, through either id.
      const accounting = (await desk.call(ACCOUNTING, { patientId: duplicate })).accountingOfDisclosures;
      expect(accounting.map((e: { disclosureId: string }) => e.disclosureId)).toEqual([first.disclosureId, after.disclosureId]);
      expect(accounting.map((e: { consentId: string }) => e.consentId)).toEqual([consentId, consentId]);
      expect((await desk.call(ACCOUNTING, { patientId: consented })).accountingOfDisclosures).toEqual(accounting);

      // The merged id keeps answering as the survivor; lists show the survivor only.
      const viaMerged = await desk.call('query($id: ID!) { patient(id: $id) { id enrollments { id } } }', { id: consented });
      expect(viaMerged.patient.id).toBe(duplicate);
      expect(viaMerged.patient.enrollments).toHaveLength(1);
      const consents = await desk.call('query($id: ID!) { consents(patientId: $id) { id patientId fhir } }', { id: consented });
      expect(consents.consents).toEqual([expect.objectContaining({ id: consentId, patientId: duplicate })]);
      expect(consents.consents[0].fhir.patient).toEqual({ reference: `Patient/${duplicate}` });
      const listed = (await desk.call('{ patients(first: 100) { nodes { id } } }', {})).patients.nodes.map((n: { id: string }) => n.id);
      expect(listed).toContain(duplicate);
      expect(listed).not.toContain(consented);

      // Audit rows are never rewritten: the first disclosure still names the merged record, and a
      // compliance officer filtering by either id finds both disclosures.
      const [original] = await sql<{ patient_ids: string[] }>('SELECT patient_ids FROM audit_event WHERE id = $1', [first.disclosureId]);
      expect(original.patient_ids).toEqual([consented]);
      const officer = await t.token('compliance_officer', desk.organization);
      for (const patientId of [duplicate, consented]) {
        const ids = (await t.graphql(officer, 'query($f: AuditEventFilter) { auditEvents(filter: $f, first: 100) { nodes { id } } }', { f: { patientId, action: 'responderLookup' } })).data!.auditEvents.nodes.map(
          (n: { id: string }) => n.id,
        );
        expect(ids).toEqual(expect.arrayContaining([first.disclosureId, after.disclosureId]));
      }
      // A compliance officer looking the person up finds the survivor, with the record merged into it.
      const review = await t.graphql(officer, 'query($input: FindPatientsForReviewInput!) { findPatientsForReview(input: $input) { id mergedPatientIds } }', {
        input: { givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth },
      });
      expect(review.data!.findPatientsForReview).toEqual([{ id: duplicate, mergedPatientIds: [consented] }]);

      // Registering the person again finds the survivor, not the merged record.
      const again = await t.graphql(desk.staffToken, REGISTER, { input: who });
      expect(again.errors![0].extensions).toEqual({ code: 'POSSIBLE_DUPLICATE', existingPatientId: duplicate });
      // The consent's content is still never changed in place (C7).
      await expect(sql(`UPDATE consent SET purpose = 'CARE_COORDINATION' WHERE id = $1`, [consentId])).rejects.toThrow(/immutable/);
      await expect(sql(`UPDATE consent SET patient_id = $2 WHERE id = $1`, [consentId, consented])).rejects.toThrow(/immutable/);
    });

    it('follows merges of merges: an id merged twice still answers as the last survivor', async () => {
      const who = person();
      const a = await desk.register(who);
      const b = await desk.register({ ...who, confirmDistinctPerson: true });
      const c = await desk.register({ ...who, confirmDistinctPerson: true });
      await desk.call(MERGE, { input: { survivorId: b, mergedId: a } });
      await desk.call(MERGE, { input: { survivorId: c, mergedId: b } });
      expect((await desk.call('query($id: ID!) { patient(id: $id) { id } }', { id: a })).patient.id).toBe(c);
      const officer = await t.token('compliance_officer', desk.organization);
      const review = await t.graphql(officer, 'query($input: FindPatientsForReviewInput!) { findPatientsForReview(input: $input) { id mergedPatientIds } }', {
        input: { givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth },
      });
      expect(review.data!.findPatientsForReview).toEqual([{ id: c, mergedPatientIds: expect.arrayContaining([a, b]) }]);
    });

    it('refuses the same record twice, and answers another provider\'s record exactly like an unknown one', async () => {
      const mine = await desk.register(person());
      const other = await desk.register(person());
      const same = await t.graphql(desk.staffToken, MERGE, { input: { survivorId: mine, mergedId: mine } });
      expect(same.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['mergedId'], reason: 'SAME_PATIENT' });
      await desk.call(MERGE, { input: { survivorId: mine, mergedId: other } });
      const already = await t.graphql(desk.staffToken, MERGE, { input: { survivorId: mine, mergedId: other } });
      expect(already.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SAME_PATIENT' });
      const theirs = await otherDesk.register(person());
      const foreign = await t.graphql(desk.staffToken, MERGE, { input: { survivorId: mine, mergedId: theirs } });
      const unknown = await t.graphql(desk.staffToken, MERGE, { input: { survivorId: mine, mergedId: randomUUID() } });
      expect(foreign.body).toEqual(unknown.body);
      expect(foreign.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['mergedId'], reason: 'NOT_FOUND' });
      // Nothing was recorded for the refused merges.
      expect(await sql('SELECT 1 FROM patient_merge WHERE merged_id = $1', [theirs])).toHaveLength(0);
    });
  });

  describe('updateEnrollment', () => {
    it('corrects the care team, hours, notes and program name; a responder is told the new ones at once', async () => {
      const { who, patientId } = await desk.consentedPatient([agency]);
      const enrollmentId = (await desk.call('query($id: ID!) { patient(id: $id) { enrollments { id } } }', { id: patientId })).patient.enrollments[0].id;
      const sub = uniqueSub();
      const careTeam = [{ name: 'Jordan Lee', role: 'Case manager', phone: '+1 555 0100 777', afterHoursPhone: '+1 555 0100 778', hours: 'Mon-Sat 8:00-20:00' }];
      const answer = await t.graphql(await t.token('provider_staff', desk.organization, { sub }), UPDATE_ENROLLMENT, { input: { enrollmentId, careTeam, engagementNotes: 'Speak slowly; offer a seat.' } });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.updateEnrollment).toMatchObject({ id: enrollmentId, careTeam, engagementNotes: 'Speak slowly; offer a seat.', programName: `${desk.organization.name} program`, serviceType: 'OPIOID_TREATMENT', status: 'ACTIVE' });
      const told = await lookup(who);
      expect(told.records[0]).toMatchObject({ careTeam, engagementNotes: 'Speak slowly; offer a seat.' });
      expect(await eventsOf(sub)).toEqual([{ action: 'updateEnrollment', outcome: 'SUCCESS', patient_ids: [patientId], details: { enrollmentId, changed: ['careTeam', 'engagementNotes'] } }]);

      const renamed = await desk.call(UPDATE_ENROLLMENT, { input: { enrollmentId, programName: 'Riverside Outpatient', engagementNotes: null } });
      expect(renamed.updateEnrollment).toMatchObject({ programName: 'Riverside Outpatient', engagementNotes: null, careTeam });
      expect(JSON.stringify(await sql('SELECT * FROM enrollment WHERE id = $1', [enrollmentId]))).not.toMatch(/Riverside Outpatient|0100 777/);
    });

    it('answers another provider\'s enrollment exactly like an unknown one, and refuses bad input by field and rule', async () => {
      const theirs = await otherDesk.enroll(await otherDesk.register(person()));
      const foreign = await t.graphql(desk.staffToken, UPDATE_ENROLLMENT, { input: { enrollmentId: theirs, programName: 'Taken over' } });
      const unknown = await t.graphql(desk.staffToken, UPDATE_ENROLLMENT, { input: { enrollmentId: randomUUID(), programName: 'Taken over' } });
      expect(foreign.body).toEqual(unknown.body);
      expect(foreign.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['enrollmentId'], reason: 'NOT_FOUND' });
      const mine = await desk.enroll(await desk.register(person()));
      const bad = await t.graphql(desk.staffToken, UPDATE_ENROLLMENT, { input: { enrollmentId: mine, careTeam: [{ name: 'A', role: 'B', phone: 'ring the bell' }], programName: '   ' } });
      expect(bad.errors![0].extensions!.problems).toEqual(
        expect.arrayContaining([
          { field: 'careTeam.0.phone', rule: 'INVALID_FORMAT', limit: null },
          { field: 'programName', rule: 'REQUIRED', limit: null },
        ]),
      );
      expect(JSON.stringify(bad.body)).not.toContain('ring the bell');
      expect((await t.graphql(desk.staffToken, UPDATE_ENROLLMENT, { input: { enrollmentId: mine, careTeam: [] } })).errors![0].extensions!.problems).toEqual([{ field: 'careTeam', rule: 'REQUIRED', limit: null }]);
    });
  });
});
