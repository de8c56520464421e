// C23: no free text that can hold a person's name or treatment is stored in plain text. A unique
// marker goes into every free-text field of every input that carries patient data — registerPatient,
// recordEnrollment, recordConsent, revokeConsent, responderLookup, emergencyAccess, … — and then
// every column of every table (cast to text: arrays and the audit log's jsonb details too) is
// searched for it. The test also fails when an input gains a string field nobody classified here.
import { randomBytes, randomInt } from 'node:crypto';
import { sql } from './support/database.js';
import { agreementInForce } from './support/partnerships.js';
import { EMERGENCY, LOOKUP, openProviderDesk, type ProviderDesk } from './support/scenario.js';
import { TestApp, type TestOrganization } from './support/test-app.js';

/**
 * String fields of inputs that are not free text about a person, and why. Every other string
 * field (String, or a scalar read as a string) must be in COVERED below.
 */
const NOT_FREE_TEXT: Record<string, string> = {
  // Identifiers of rows, and organisations by key: checked against the database, never stored as given text.
  'RecordConsentInput.patientId': 'id',
  'RecordConsentInput.supersedesConsentId': 'id',
  'RecordConsentInput.recipientOrganizationKeys': 'organisation keys, each must name a known organisation',
  'RevokeConsentInput.consentId': 'id',
  // Partnership agreements: between organisations, about documents; no patient's data (issue 15).
  'ProposePartnershipInput.counterpartOrganizationKey': 'organisation key, must name a known organisation',
  'ProposePartnershipInput.documentReference': "where the signed agreement is kept: an organisations' document, never a patient's",
  'ProposePartnershipInput.documentSha256': 'hexadecimal digest (format checked)',
  'ProposePartnershipInput.signatories': "the organisations' signatories, not patients",
  'EndPartnershipInput.id': 'id',
  'RevokeConsentInput.recipientOrganizationKeys': 'organisation keys, each must name a known organisation',
  'RecordEnrollmentInput.patientId': 'id',
  'EndEnrollmentInput.enrollmentId': 'id',
  // Dates: the date of birth is encrypted (patients.e2e-spec); the others are facts of a record, not identity.
  'RegisterPatientInput.dateOfBirth': 'date, encrypted (patients.e2e-spec)',
  'LookupInput.dateOfBirth': 'date, only hashed into the match key',
  'EmergencyAccessInput.dateOfBirth': 'date, only hashed into the match key',
  'RecordEnrollmentInput.startedOn': 'date',
  'EndEnrollmentInput.endedOn': 'date',
  'UpdatePatientInput.patientId': 'id',
  'UpdatePatientInput.dateOfBirth': 'date, encrypted as at registration',
  'MergePatientsInput.survivorId': 'id',
  'MergePatientsInput.mergedId': 'id',
  'UpdateEnrollmentInput.enrollmentId': 'id',
  // The dispatch system's incident number: 3-40 letters, digits and hyphens (no spaces, so no
  // sentence about a person), kept in clear because investigators search the audit log by it (C8, C19).
  'LookupInput.incidentNumber': 'incident number, constrained format, searchable in the audit log',
  'EmergencyAccessInput.incidentNumber': 'incident number, constrained format, §2.51(c) record',
  // Organisations and access policies are not patient data (admin only).
  'CreateOrganizationInput.key': 'organisation directory',
  'CreateOrganizationInput.name': 'organisation directory',
  'RenameOrganizationInput.organizationKey': 'organisation key',
  'RenameOrganizationInput.name': 'organisation directory',
  'ChangeAgencyTypeInput.organizationKey': 'organisation key',
  'DeactivateOrganizationInput.organizationKey': 'organisation key',
  'PublishAccessPolicyInput.role': 'role name',
  'PublishAccessPolicyInput.rules': 'policy document',
  'ActivateAccessPolicyInput.role': 'role name',
  // Where a program's notifications go: organisation settings, no patient data. The secret is a
  // credential, stored encrypted (program-webhooks.e2e-spec checks it is nowhere in clear).
  'SetProgramWebhookInput.organizationKey': 'organisation key',
  'SetProgramWebhookInput.url': "a program's endpoint",
  'SetProgramWebhookInput.secret': 'credential, encrypted (program-webhooks.e2e-spec)',
  // Referrals (docs/partnerships.md): the provider by key, ids, dates of facts; the incident number as for a lookup.
  'CreateReferralInput.providerOrganizationKey': 'organisation key, must name a partner provider',
  'CreateReferralInput.incidentNumber': 'incident number, constrained format, searchable in the audit log',
  'AcceptReferralInput.referralId': 'id',
  'AcceptReferralInput.patientId': 'id',
  'DeclineReferralInput.referralId': 'id',
  'RecordReferralOutcomeInput.referralId': 'id',
  'RecordReferralOutcomeInput.occurredOn': 'date of the outcome',
};

const NON_STRING_SCALARS = new Set(['Boolean', 'Int', 'Float', 'DateTime']);

type TypeRef = { kind: string; name: string | null; ofType: TypeRef | null };
const named = (type: TypeRef): TypeRef => (type.ofType ? named(type.ofType) : type);

describe('free text that can hold PHI is encrypted at rest (C23)', () => {
  let t: TestApp;
  let desk: ProviderDesk;
  let agency: TestOrganization;
  const marker = `Mk${randomBytes(6).toString('hex')}`;
  // Phone numbers take digits only: a random run of 11 digits cannot turn up by chance.
  const digits = String(randomInt(10 ** 9, 10 ** 10 - 1)) + String(randomInt(10, 99));
  const covered = new Set<string>();
  const text = (field: string, words = '') => {
    covered.add(field);
    return `${words}${marker} ${field}`.slice(0, 100);
  };

  beforeAll(async () => {
    t = await TestApp.start();
    desk = await openProviderDesk(t, { part2Program: true });
    agency = await t.organization('RESPONDER_AGENCY');
  });
  afterAll(() => t.close());

  it('stores no marker anywhere after every free-text input carried one, and gives every value back decrypted', async () => {
    const who = {
      givenName: text('RegisterPatientInput.givenName'),
      familyName: text('RegisterPatientInput.familyName'),
      dateOfBirth: '1990-04-12',
      aliases: [text('RegisterPatientInput.aliases')],
    };
    const patientId = await desk.register(who);
    const programName = text('RecordEnrollmentInput.programName', 'Methadone maintenance for ');
    const careTeam = [
      {
        name: text('CareTeamContactInput.name'),
        role: text('CareTeamContactInput.role'),
        phone: (covered.add('CareTeamContactInput.phone'), `+${digits}`),
        afterHoursPhone: (covered.add('CareTeamContactInput.afterHoursPhone'), `+${digits}`),
        hours: text('CareTeamContactInput.hours'),
      },
    ];
    const enrollmentId = await desk.enroll(patientId, { programName, careTeam, engagementNotes: text('RecordEnrollmentInput.engagementNotes') });
    // A consent may name an agency, and a referral go to a provider, only under an agreement in force.
    await agreementInForce(desk.organization, agency);
    const expirationEvent = text('RecordConsentInput.expirationEvent', 'when this person is discharged from methadone maintenance ');
    const consentId = await desk.consent(patientId, [agency], {
      expirationEvent,
      signedBy: { name: text('ConsentSignerInput.name'), relationship: 'SELF' },
    });

    // The responder asks by the marked name and is told the program's name, decrypted (C10 unchanged).
    const identity = { givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth };
    covered.add('LookupInput.givenName').add('LookupInput.familyName');
    const lookup = await t.graphql(await t.token('responder', agency), LOOKUP, { input: { ...identity, incidentNumber: 'INC-PHI-1', purpose: 'CRISIS_RESPONSE' } });
    expect(lookup.errors).toBeUndefined();
    expect(lookup.data!.responderLookup.records).toEqual([expect.objectContaining({ programName, engagementNotes: expect.stringContaining(marker) })]);

    covered.add('EmergencyAccessInput.givenName').add('EmergencyAccessInput.familyName');
    const natureOfEmergency = text('EmergencyAccessInput.natureOfEmergency', 'Unresponsive, suspected overdose; ');
    const emergency = await t.graphql(await t.token('clinical_responder', agency), EMERGENCY, { input: { ...identity, incidentNumber: 'INC-PHI-2', natureOfEmergency } });
    expect(emergency.errors).toBeUndefined();
    expect(emergency.data!.emergencyAccess.records[0].programName).toBe(programName);

    const consent = await desk.call('query($id: ID!) { consent(id: $id) { expirationEvent signedBy { name } } }', { id: consentId });
    expect(consent.consent.expirationEvent).toBe(expirationEvent);
    const patient = await desk.call('query($id: ID!) { patient(id: $id) { enrollments { id programName } } }', { id: patientId });
    expect(patient.patient.enrollments).toEqual([{ id: enrollmentId, programName }]);
    // Corrections carry free text too: a corrected name (the old one stops matching) and a changed care team.
    const corrected = await desk.call('mutation($input: UpdatePatientInput!) { updatePatient(input: $input) { givenName familyName aliases } }', {
      input: { patientId, givenName: text('UpdatePatientInput.givenName'), familyName: text('UpdatePatientInput.familyName'), aliases: [text('UpdatePatientInput.aliases')] },
    });
    expect(corrected.updatePatient.givenName).toContain(marker);
    const notes = text('UpdateEnrollmentInput.engagementNotes');
    const program = text('UpdateEnrollmentInput.programName', 'Methadone clinic ');
    const updated = await desk.call('mutation($input: UpdateEnrollmentInput!) { updateEnrollment(input: $input) { programName engagementNotes } }', {
      input: { enrollmentId, programName: program, engagementNotes: notes },
    });
    expect(updated.updateEnrollment).toEqual({ programName: program, engagementNotes: notes });
    // A referral carries the person's name, date of birth, callback phone and a note: all ciphertext.
    covered.add('CreateReferralInput.dateOfBirth').add('CreateReferralInput.callbackPhone');
    const referral = await t.graphql(await t.token('responder', agency), 'mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }', {
      input: {
        providerOrganizationKey: desk.organization.key,
        reason: 'SUBSTANCE_USE',
        urgency: 'URGENT',
        givenName: text('CreateReferralInput.givenName'),
        familyName: text('CreateReferralInput.familyName'),
        dateOfBirth: '1990-04-12',
        callbackPhone: `+${digits}`,
        incidentNumber: 'INC-PHI-3',
        note: text('CreateReferralInput.note', 'Wants methadone; call '),
        personAgreed: true,
      },
    });
    expect(referral.errors).toBeUndefined();
    const queue = await desk.call('{ referrals(first: 100) { nodes { id givenName callbackPhone note } } }', {});
    expect(queue.referrals.nodes.find((n: { id: string }) => n.id === referral.data!.createReferral.id)).toMatchObject({ callbackPhone: `+${digits}`, note: expect.stringContaining(marker) });
    await desk.revoke(consentId);
    await desk.endEnrollment(enrollmentId, new Date().toISOString().slice(0, 10));

    const tables = await sql<{ schema: string; table: string }>(
      `SELECT n.nspname AS schema, c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
    );
    expect(tables.map((r) => r.table)).toEqual(expect.arrayContaining(['patient', 'enrollment', 'consent', 'emergency_access', 'audit_event', 'referral']));
    const columns = await sql<{ table_schema: string; table_name: string; column_name: string }>(
      `SELECT table_schema, table_name, column_name FROM information_schema.columns
       WHERE (table_schema, table_name) IN (SELECT s, t FROM unnest($1::text[], $2::text[]) AS x(s, t))`,
      [tables.map((r) => r.schema), tables.map((r) => r.table)],
    );
    const found: string[] = [];
    for (const { table_schema, table_name, column_name } of columns) {
      const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
      const hits = await sql<{ n: string }>(
        `SELECT count(*) AS n FROM ${q(table_schema)}.${q(table_name)} WHERE strpos(${q(column_name)}::text, $1) > 0 OR strpos(${q(column_name)}::text, $2) > 0`,
        [marker, digits],
      );
      if (Number(hits[0].n) > 0) found.push(`${table_name}.${column_name}`);
    }
    expect(found).toEqual([]);
  });

  it('leaves no string field of any mutation or lookup input unclassified', async () => {
    const schema = await t.graphql(
      await t.token('admin', agency),
      `{ __schema { mutationType { fields { name args { name type { ...T } } } } queryType { fields { name args { name type { ...T } } } }
         types { name kind inputFields { name type { ...T } } } } }
       fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`,
    );
    expect(schema.errors).toBeUndefined();
    const types = new Map<string, { name: string; type: TypeRef }[]>();
    for (const type of schema.data!.__schema.types) if (type.kind === 'INPUT_OBJECT') types.set(type.name, type.inputFields);
    const stringFields = new Set<string>();
    const walk = (typeName: string, seen: Set<string>) => {
      if (seen.has(typeName)) return;
      seen.add(typeName);
      for (const field of types.get(typeName) ?? []) {
        const leaf = named(field.type);
        if (leaf.kind === 'INPUT_OBJECT') walk(leaf.name!, seen);
        else if (leaf.kind === 'SCALAR' && !NON_STRING_SCALARS.has(leaf.name!)) stringFields.add(`${typeName}.${field.name}`);
      }
    };
    const operations = [...schema.data!.__schema.mutationType.fields, ...schema.data!.__schema.queryType.fields.filter((f: { name: string }) => f.name === 'responderLookup')];
    for (const operation of operations) {
      for (const arg of operation.args) {
        const leaf = named(arg.type);
        if (leaf.kind === 'INPUT_OBJECT') walk(leaf.name!, new Set());
      }
    }
    expect(stringFields.size).toBeGreaterThan(20);
    const unclassified = [...stringFields].filter((f) => !(f in NOT_FREE_TEXT) && !covered.has(f)).sort();
    expect(unclassified).toEqual([]);
  });
});
