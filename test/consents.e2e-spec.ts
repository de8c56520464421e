// Consents under 42 CFR Part 2 (C4-C7, C24), through GraphQL as a provider would.
import { randomUUID } from 'node:crypto';
import { sql } from './support/database.js';
import { fhirValidator } from './support/fhir.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const CONSENT_FIELDS = `id version patientId status asOf purpose dataCategories effectiveFrom expiresAt expirationEvent
  disclosingOrganization { key name } recipients { organization { key name } revokedAt }
  signedBy { name relationship } signedAt acknowledgements { rightToRevoke treatmentNotConditioned redisclosureRestricted }
  scopeDescription receipt supersedesConsentId supersededByConsentId
  revocations { whole recipientOrganizationKeys method receivedAt recordedAt } fhir`;
const RECORD = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { ${CONSENT_FIELDS} versions { id version status } } }`;
const REVOKE = `mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { ${CONSENT_FIELDS} } }`;
const CONSENT = `query($id: ID!) { consent(id: $id) { ${CONSENT_FIELDS} versions { id version status supersededByConsentId } } }`;
const CONSENTS = 'query($patientId: ID!) { consents(patientId: $patientId) { id version status } }';
const REGISTER = 'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id } }';
const ENROLL = 'mutation($input: RecordEnrollmentInput!) { recordEnrollment(input: $input) { id } }';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('consents (C4-C7)', () => {
  let t: TestApp;
  let provider: TestOrganization;
  let otherProvider: TestOrganization;
  let metro: TestOrganization;
  let county: TestOrganization;
  let staff: string;
  let staffSub: string;
  let patientId: string;
  let validate: (resource: Record<string, unknown>) => void;

  const consentInput = (overrides: Record<string, unknown> = {}) => ({
    patientId,
    recipientOrganizationKeys: [metro.key],
    purpose: 'CRISIS_RESPONSE',
    dataCategories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT'],
    expiresAt: '2030-05-01T00:00:00Z',
    signedBy: { name: 'Dana Rivera', relationship: 'SELF' },
    signedAt: inDays(-1),
    acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
    ...overrides,
  });

  beforeAll(async () => {
    t = await TestApp.start();
    validate = await fhirValidator();
    provider = await t.organization('TREATMENT_PROVIDER', { part2Program: true });
    otherProvider = await t.organization('TREATMENT_PROVIDER');
    metro = await t.organization('RESPONDER_AGENCY');
    county = await t.organization('RESPONDER_AGENCY');
    staffSub = uniqueSub();
    staff = await t.token('provider_staff', provider, { sub: staffSub });
    patientId = (await t.graphql(staff, REGISTER, { input: { givenName: 'Dana', familyName: 'Rivera', dateOfBirth: '1990-04-12' } })).data!.registerPatient.id;
    await t.graphql(staff, ENROLL, {
      input: { patientId, programName: 'Opioid Treatment', serviceType: 'OPIOID_TREATMENT', startedOn: '2025-01-02', careTeam: [{ name: 'Jo', role: 'Case manager', phone: '+1 555 0100 201' }] },
    });
  });
  afterAll(() => t.close());

  const countConsents = async () => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM consent WHERE patient_id = $1', [patientId]))[0].n);
  const record = async (overrides: Record<string, unknown> = {}) => {
    const answer = await t.graphql(staff, RECORD, { input: consentInput(overrides) });
    expect(answer.errors).toBeUndefined();
    return answer.data!.recordConsent;
  };

  describe('every §2.31(a) element is required (C4): refused by name, nothing stored', () => {
    const without = (field: string) => {
      const input: Record<string, unknown> = consentInput();
      delete input[field];
      return input;
    };
    it.each([
      ['patientId', () => without('patientId'), ['patientId']],
      ['what information (dataCategories missing)', () => without('dataCategories'), ['dataCategories']],
      ['what information (dataCategories empty)', () => consentInput({ dataCategories: [] }), ['dataCategories']],
      ['what information (unknown category)', () => consentInput({ dataCategories: ['DIAGNOSES'] }), ['dataCategories.0']],
      ['recipients missing', () => without('recipientOrganizationKeys'), ['recipientOrganizationKeys']],
      ['recipients empty', () => consentInput({ recipientOrganizationKeys: [] }), ['recipientOrganizationKeys']],
      ['recipients unknown', () => consentInput({ recipientOrganizationKeys: ['no-such-agency'] }), ['recipientOrganizationKeys']],
      ['purpose missing', () => without('purpose'), ['purpose']],
      ['purpose unknown', () => consentInput({ purpose: 'RESEARCH' }), ['purpose']],
      ['right to revoke', () => consentInput({ acknowledgements: { rightToRevoke: false, treatmentNotConditioned: true, redisclosureRestricted: true } }), ['acknowledgements.rightToRevoke']],
      ['treatment not conditioned', () => consentInput({ acknowledgements: { rightToRevoke: true, treatmentNotConditioned: false, redisclosureRestricted: true } }), ['acknowledgements.treatmentNotConditioned']],
      ['redisclosure restricted', () => consentInput({ acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: false } }), ['acknowledgements.redisclosureRestricted']],
      ['acknowledgement missing', () => consentInput({ acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true } }), ['acknowledgements.redisclosureRestricted']],
      ['expiry missing', () => without('expiresAt'), ['expiresAt']],
      ['expiry in the past', () => consentInput({ expiresAt: inDays(-2) }), ['expiresAt']],
      ['expiry before the start', () => consentInput({ effectiveFrom: inDays(30), expiresAt: inDays(20) }), ['expiresAt']],
      ['expiry not a date', () => consentInput({ expiresAt: 'end of treatment' }), ['expiresAt']],
      ['expiry event meaning never', () => consentInput({ expirationEvent: 'none' }), ['expirationEvent']],
      ['signer missing', () => without('signedBy'), ['signedBy']],
      ['signer name blank', () => consentInput({ signedBy: { name: ' ', relationship: 'SELF' } }), ['signedBy.name']],
      ['signer relationship', () => consentInput({ signedBy: { name: 'Pat', relationship: 'FRIEND' } }), ['signedBy.relationship']],
      ['date signed missing', () => without('signedAt'), ['signedAt']],
      ['date signed in the future', () => consentInput({ signedAt: inDays(2) }), ['signedAt']],
    ])('%s', async (_label, input, fields) => {
      const before = await countConsents();
      const answer = await t.graphql(staff, RECORD, { input: input() });
      expect(codeOf(answer)).toBe('BAD_USER_INPUT');
      expect(answer.errors![0].extensions!.fields).toEqual(fields);
      expect(JSON.stringify(answer.body)).not.toContain('Dana');
      expect(await countConsents()).toBe(before);
    });

    it('refuses the disclosing program as its own recipient', async () => {
      const answer = await t.graphql(staff, RECORD, { input: consentInput({ recipientOrganizationKeys: [provider.key] }) });
      expect(answer.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['recipientOrganizationKeys'], reason: 'DISCLOSER_AS_RECIPIENT' });
    });
  });

  it('records a consent with its scope in plain words, a receipt and an audit event', async () => {
    const consent = await record({ expirationEvent: 'discharge from the program' });
    expect(consent).toMatchObject({
      version: 1,
      status: 'ACTIVE',
      disclosingOrganization: { key: provider.key, name: provider.name },
      recipients: [{ organization: { key: metro.key, name: metro.name }, revokedAt: null }],
      signedBy: { name: 'Dana Rivera', relationship: 'SELF' },
      acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
      versions: [{ id: consent.id, version: 1, status: 'ACTIVE' }],
    });
    expect(consent.scopeDescription).toBe(
      `Whether Dana is in treatment at ${provider.name} and how to reach the care team, for crisis response by ${metro.name}, until 2030-05-01 or discharge from the program, whichever comes first`,
    );
    expect(consent.receipt).toContain(`With whom: ${metro.name}`);
    expect(consent.receipt).toMatch(/revoke this consent at any time/);
    expect(consent.receipt).toMatch(/may not be used to investigate or prosecute/);
    const events = await sql('SELECT action, outcome, consent_ids, patient_ids FROM audit_event WHERE actor_sub = $1 AND action = $2', [staffSub, 'recordConsent']);
    expect(events).toContainEqual({ action: 'recordConsent', outcome: 'SUCCESS', consent_ids: [consent.id], patient_ids: [patientId] });
    // Identifiers and the scope (which names the patient) are encrypted at rest (C23).
    expect(JSON.stringify(await sql('SELECT * FROM consent WHERE id = $1', [consent.id]))).not.toMatch(/Dana|Rivera/);
  });

  it('supersedes a consent with a new version in one transaction; history stays readable (C7)', async () => {
    const first = await record();
    const second = await record({ supersedesConsentId: first.id, recipientOrganizationKeys: [metro.key, county.key], dataCategories: ['TREATMENT_STATUS'] });
    expect(second).toMatchObject({ version: 2, status: 'ACTIVE', supersedesConsentId: first.id });
    expect(second.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [1, 'SUPERSEDED'],
      [2, 'ACTIVE'],
    ]);
    const old = (await t.graphql(staff, CONSENT, { id: first.id })).data!.consent;
    expect(old).toMatchObject({ status: 'SUPERSEDED', supersededByConsentId: second.id, recipients: [{ organization: { key: metro.key } }] });
    const again = await t.graphql(staff, RECORD, { input: consentInput({ supersedesConsentId: first.id }) });
    expect(again.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['supersedesConsentId'], reason: 'ALREADY_SUPERSEDED' });
    expect(await sql('SELECT action, consent_ids FROM audit_event WHERE action = $1 AND $2 = ANY(consent_ids)', ['supersedeConsent', first.id])).toEqual([
      { action: 'supersedeConsent', consent_ids: [second.id, first.id] },
    ]);
  });

  it('revokes for some recipients, then for all; revoking again is refused (C5)', async () => {
    const consent = await record({ recipientOrganizationKeys: [metro.key, county.key] });
    const partial = await t.graphql(staff, REVOKE, { input: { consentId: consent.id, recipientOrganizationKeys: [county.key], method: 'WRITTEN', receivedAt: inDays(0) } });
    expect(partial.errors).toBeUndefined();
    expect(partial.data!.revokeConsent.status).toBe('PARTIALLY_REVOKED');
    expect(partial.data!.revokeConsent.recipients.find((r: any) => r.organization.key === county.key).revokedAt).not.toBeNull();
    const twice = await t.graphql(staff, REVOKE, { input: { consentId: consent.id, recipientOrganizationKeys: [county.key], method: 'WRITTEN', receivedAt: inDays(0) } });
    expect(twice.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['recipientOrganizationKeys'], reason: 'ALREADY_REVOKED' });
    const stranger = await t.graphql(staff, REVOKE, { input: { consentId: consent.id, recipientOrganizationKeys: [otherProvider.key], method: 'WRITTEN', receivedAt: inDays(0) } });
    expect(stranger.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['recipientOrganizationKeys'], reason: 'NOT_A_RECIPIENT' });
    const whole = await t.graphql(staff, REVOKE, { input: { consentId: consent.id, method: 'ELECTRONIC', receivedAt: inDays(0) } });
    expect(whole.data!.revokeConsent.status).toBe('REVOKED');
    expect(whole.data!.revokeConsent.revocations.map((r: any) => [r.whole, r.method])).toEqual([
      [false, 'WRITTEN'],
      [true, 'ELECTRONIC'],
    ]);
    const again = await t.graphql(staff, REVOKE, { input: { consentId: consent.id, method: 'WRITTEN', receivedAt: inDays(0) } });
    expect(again.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['consentId'], reason: 'ALREADY_REVOKED' });
    // Revocations are rows of their own; the consent row itself never changed (C7).
    expect(await sql('SELECT count(*)::int AS n FROM consent_revocation WHERE consent_id = $1', [consent.id])).toEqual([{ n: 2 }]);
  });

  it('refuses a revocation with a bad method or date, changing nothing', async () => {
    const consent = await record();
    for (const [input, field] of [
      [{ consentId: consent.id, method: 'SHOUTED', receivedAt: inDays(0) }, 'method'],
      [{ consentId: consent.id, method: 'WRITTEN', receivedAt: inDays(3) }, 'receivedAt'],
      [{ consentId: consent.id, method: 'WRITTEN', receivedAt: inDays(-30) }, 'receivedAt'],
      [{ consentId: consent.id, method: 'WRITTEN' }, 'receivedAt'],
      [{ consentId: consent.id, recipientOrganizationKeys: [], method: 'WRITTEN', receivedAt: inDays(0) }, 'recipientOrganizationKeys'],
    ] as const) {
      const answer = await t.graphql(staff, REVOKE, { input });
      expect(answer.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [field] });
    }
    expect(await sql('SELECT 1 FROM consent_revocation WHERE consent_id = $1', [consent.id])).toHaveLength(0);
  });

  it('computes status at read time: not yet effective, active, expired (C6)', async () => {
    const future = await record({ effectiveFrom: inDays(10), expiresAt: inDays(20) });
    expect(future.status).toBe('NOT_YET_EFFECTIVE');
    const soon = await record({ expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect(soon.status).toBe('ACTIVE');
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect((await t.graphql(staff, CONSENT, { id: soon.id })).data!.consent.status).toBe('EXPIRED');
  });

  it('keeps consents and revocations immutable in the database (C7)', async () => {
    const consent = await record();
    await expect(sql(`UPDATE consent SET purpose = 'CARE_COORDINATION' WHERE id = $1`, [consent.id])).rejects.toThrow(/immutable/);
    await expect(sql('DELETE FROM consent_recipient WHERE consent_id = $1', [consent.id])).rejects.toThrow(/immutable/);
  });

  it('lets only the owning provider see or change a consent; anyone else gets the answer for an unknown id', async () => {
    const consent = await record();
    const other = await t.token('provider_staff', otherProvider);
    const theirs = await t.graphql(other, CONSENT, { id: consent.id });
    const unknown = await t.graphql(other, CONSENT, { id: randomUUID() });
    expect(theirs.body).toEqual({ data: { consent: null } });
    expect(unknown.body).toEqual(theirs.body);
    expect((await t.graphql(other, CONSENTS, { patientId })).body).toEqual({ data: { consents: [] } });
    expect((await t.graphql(other, CONSENTS, { patientId: randomUUID() })).body).toEqual({ data: { consents: [] } });
    const revoke = await t.graphql(other, REVOKE, { input: { consentId: consent.id, method: 'WRITTEN', receivedAt: inDays(0) } });
    const revokeUnknown = await t.graphql(other, REVOKE, { input: { consentId: randomUUID(), method: 'WRITTEN', receivedAt: inDays(0) } });
    expect(revoke.body).toEqual(revokeUnknown.body);
    const supersede = await t.graphql(other, RECORD, { input: consentInput({ supersedesConsentId: consent.id }) });
    expect(supersede.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['patientId'], reason: 'NOT_FOUND' });
    for (const role of ['responder', 'clinical_responder', 'compliance_officer', 'admin'] as const) {
      expect(codeOf(await t.graphql(await t.token(role, metro), CONSENT, { id: consent.id }))).toBe('FORBIDDEN');
    }
  });

  it('audits every read of consents', async () => {
    const consent = await record();
    const sub = uniqueSub();
    const reader = await t.token('provider_staff', provider, { sub });
    await t.graphql(reader, CONSENT, { id: consent.id });
    await t.graphql(reader, CONSENTS, { patientId });
    const events = await sql<{ action: string; consent_ids: string[] }>('SELECT action, consent_ids FROM audit_event WHERE actor_sub = $1 ORDER BY sequence', [sub]);
    expect(events.map((e) => e.action)).toEqual(['consent', 'consents']);
    expect(events[0].consent_ids).toEqual([consent.id]);
    expect(events[1].consent_ids).toContain(consent.id);
  });

  describe('FHIR R4 export (C24)', () => {
    it('passes an independent FHIR R4 validator, with Part 2 labels, purpose and period', async () => {
      const consent = await record({ recipientOrganizationKeys: [metro.key, county.key], dataCategories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES'] });
      const fhir = consent.fhir;
      expect(() => validate(fhir)).not.toThrow();
      expect(fhir).toMatchObject({
        resourceType: 'Consent',
        id: consent.id,
        status: 'active',
        patient: { reference: `Patient/${patientId}` },
        policy: [{ authority: expect.stringContaining('part-2') }],
        provision: {
          type: 'permit',
          period: { start: consent.effectiveFrom, end: '2030-05-01T00:00:00.000Z' },
          purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'ETREAT' }],
        },
      });
      const labels = fhir.provision.securityLabel.map((l: { code: string }) => l.code);
      expect(labels).toEqual(expect.arrayContaining(['V', '42CFRPart2', 'SUD']));
      expect(fhir.provision.actor).toHaveLength(2);
      expect(fhir.provision.class.map((c: { code: string }) => c.code)).toEqual(['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES']);
    });

    it('exports a consent signed by a guardian, partly revoked, superseded or for care coordination, all valid', async () => {
      const guardian = await record({ signedBy: { name: 'Lee Rivera', relationship: 'GUARDIAN' }, purpose: 'CARE_COORDINATION', recipientOrganizationKeys: [metro.key, county.key] });
      expect(guardian.fhir.contained[0]).toMatchObject({ resourceType: 'RelatedPerson' });
      expect(guardian.fhir.provision.purpose[0].code).toBe('CAREMGT');
      validate(guardian.fhir);
      const partial = (await t.graphql(staff, REVOKE, { input: { consentId: guardian.id, recipientOrganizationKeys: [county.key], method: 'WRITTEN', receivedAt: inDays(0) } })).data!.revokeConsent;
      expect(partial.fhir.provision.provision[0]).toMatchObject({ type: 'deny' });
      validate(partial.fhir);
      const next = await record({ supersedesConsentId: guardian.id });
      const old = (await t.graphql(staff, CONSENT, { id: guardian.id })).data!.consent;
      expect(old.fhir.status).toBe('inactive');
      validate(old.fhir);
      validate(next.fhir);
    });
  });
});
