// C22: deny by default. Every role x every query and mutation of the schema, against the live
// application with real tokens. An operation missing from this table fails the test, so no new
// operation can ship without someone deciding who may call it.
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { ROLES, type Role } from '@libs/auth/principal.js';
import { codeOf, TestApp, type TestOrganization } from './support/test-app.js';

/** What an allowed role gets: an answer (`data`, no error at all), or its input refused by name. */
type Row = { allowed: Role[]; answer: 'data' | 'BAD_USER_INPUT'; document: string };

// Inputs are well-typed but refused by validation (or find nothing), so an allowed call answers
// without changing anything, and a refused one can only be FORBIDDEN (the guard runs first). An
// allowed call must get exactly the answer its row names: any other error fails the test.
const MATRIX: Record<string, Row> = {
  'Query.accessPolicies': { allowed: ['admin'], answer: 'data', document: '{ accessPolicies { role } }' },
  'Query.accountingOfDisclosures': { allowed: ['provider_staff', 'compliance_officer'], answer: 'data', document: '{ accountingOfDisclosures(patientId: "x") { disclosureId } }' },
  'Query.accountingOfDisclosuresExport': { allowed: ['provider_staff', 'compliance_officer'], answer: 'data', document: '{ accountingOfDisclosuresExport(patientId: "x", format: CSV) { content } }' },
  'Query.auditEvent': { allowed: ['compliance_officer'], answer: 'data', document: '{ auditEvent(id: "x") { id } }' },
  'Query.auditLedgerState': { allowed: ['compliance_officer'], answer: 'data', document: '{ auditLedgerState { eventsNotSealed } }' },
  'Query.auditEvents': { allowed: ['compliance_officer'], answer: 'data', document: '{ auditEvents(first: 1) { nodes { id } } }' },
  'Query.consent': { allowed: ['provider_staff'], answer: 'data', document: '{ consent(id: "x") { id } }' },
  'Query.consents': { allowed: ['provider_staff'], answer: 'data', document: '{ consents(patientId: "x") { id } }' },
  'Query.emergencyDisclosures': { allowed: ['provider_staff'], answer: 'data', document: '{ emergencyDisclosures(first: 1) { nodes { id } } }' },
  'Query.explainAccess': { allowed: ['admin', 'compliance_officer'], answer: 'data', document: '{ explainAccess(role: "admin", action: "read", subject: "Patient") { allowed } }' },
  'Query.findPatients': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT',
    document: '{ findPatients(input: { givenName: "", familyName: "", dateOfBirth: "1990-01-01" }) { id } }',
  },
  'Query.findPatientsForReview': { allowed: ['compliance_officer'], answer: 'BAD_USER_INPUT',
    document: '{ findPatientsForReview(input: { givenName: "", familyName: "", dateOfBirth: "1990-01-01" }) { id } }',
  },
  'Query.me': { allowed: ['responder', 'clinical_responder', 'provider_staff', 'compliance_officer', 'admin'], answer: 'data', document: '{ me { sub } }' },
  'Query.organizations': { allowed: ['admin'], answer: 'data', document: '{ organizations { key } }' },
  'Query.partnerships': { allowed: ['provider_staff', 'compliance_officer', 'admin'], answer: 'data', document: '{ partnerships { id status } }' },
  'Query.patient': { allowed: ['provider_staff'], answer: 'data', document: '{ patient(id: "x") { id } }' },
  'Query.patients': { allowed: ['provider_staff'], answer: 'data', document: '{ patients(first: 1) { nodes { id } } }' },
  'Query.programWebhooks': { allowed: ['admin'], answer: 'data', document: '{ programWebhooks { organizationKey } }' },
  'Query.recipientOrganizations': { allowed: ['provider_staff'], answer: 'data', document: '{ recipientOrganizations { key name kind } }' },
  'Query.responderLookup': { allowed: ['responder', 'clinical_responder'], answer: 'BAD_USER_INPUT',
    document: '{ responderLookup(input: { givenName: "", familyName: "", dateOfBirth: "1990-01-01", incidentNumber: "x", purpose: CRISIS_RESPONSE }) { outcome } }',
  },
  'Query.referralPartners': { allowed: ['responder', 'clinical_responder'], answer: 'data', document: '{ referralPartners { key name } }' },
  'Query.referrals': { allowed: ['responder', 'clinical_responder', 'provider_staff'], answer: 'data', document: '{ referrals(first: 1) { nodes { id status } } }' },
  // Every member of an agency: a compliance officer or admin of an agency too (their home here is an oversight body: refused).
  'Query.agencyReport': { allowed: ['responder', 'clinical_responder'], answer: 'BAD_USER_INPUT', document: '{ agencyReport(from: "2026-02-01", to: "2026-01-01") { from } }' },
  'Query.verifyAuditLog': { allowed: ['compliance_officer'], answer: 'BAD_USER_INPUT', document: '{ verifyAuditLog(fromSequence: "x") { valid } }' },
  'Mutation.acknowledgeEmergencyDisclosure': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT', document: 'mutation { acknowledgeEmergencyDisclosure(id: "x") { id } }' },
  'Mutation.activateAccessPolicy': { allowed: ['admin'], answer: 'BAD_USER_INPUT', document: 'mutation { activateAccessPolicy(input: { role: "nobody", version: 1 }) { version } }' },
  'Mutation.createOrganization': { allowed: ['admin'], answer: 'BAD_USER_INPUT', document: 'mutation { createOrganization(input: { key: "X", name: "", kind: OVERSIGHT }) { id } }' },
  'Mutation.renameOrganization': { allowed: ['admin'], answer: 'BAD_USER_INPUT', document: 'mutation { renameOrganization(input: { organizationKey: "X", name: "" }) { key } }' },
  'Mutation.changeAgencyType': { allowed: ['admin'], answer: 'BAD_USER_INPUT', document: 'mutation { changeAgencyType(input: { organizationKey: "X", agencyType: FIRE }) { key } }' },
  'Mutation.deactivateOrganization': { allowed: ['admin'], answer: 'BAD_USER_INPUT', document: 'mutation { deactivateOrganization(input: { organizationKey: "X" }) { key } }' },
  'Mutation.emergencyAccess': { allowed: ['clinical_responder'], answer: 'BAD_USER_INPUT',
    document: 'mutation { emergencyAccess(input: { givenName: "", familyName: "", dateOfBirth: "1990-01-01", incidentNumber: "x", natureOfEmergency: "" }) { outcome } }',
  },
  'Mutation.endEnrollment': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT', document: 'mutation { endEnrollment(input: { enrollmentId: "x", endedOn: "2999-01-01" }) { id } }' },
  'Mutation.setProgramWebhook': { allowed: ['admin'], answer: 'BAD_USER_INPUT', document: 'mutation { setProgramWebhook(input: { organizationKey: "X", url: "", secret: "" }) { url } }' },
  'Mutation.publishAccessPolicy': { allowed: ['admin'], answer: 'BAD_USER_INPUT', document: 'mutation { publishAccessPolicy(input: { role: "nobody", rules: [] }) { version } }' },
  'Mutation.recordConsent': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT',
    document: `mutation { recordConsent(input: { patientId: "x", recipientOrganizationKeys: [], purpose: CRISIS_RESPONSE, dataCategories: [],
      expiresAt: "2030-01-01T00:00:00Z", signedBy: { name: "", relationship: SELF }, signedAt: "2026-01-01T00:00:00Z",
      acknowledgements: { rightToRevoke: false, treatmentNotConditioned: false, redisclosureRestricted: false } }) { id } }`,
  },
  'Mutation.recordEnrollment': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT',
    document: 'mutation { recordEnrollment(input: { patientId: "x", programName: "", serviceType: SUD_TREATMENT, startedOn: "2999-01-01", careTeam: [] }) { id } }',
  },
  'Mutation.registerPatient': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT', document: 'mutation { registerPatient(input: { givenName: "", familyName: "", dateOfBirth: "1990-01-01" }) { id } }' },
  'Mutation.removeProgramWebhook': { allowed: ['admin'], answer: 'BAD_USER_INPUT', document: 'mutation { removeProgramWebhook(organizationKey: "no-such-program") }' },
  'Mutation.proposePartnership': { allowed: ['admin'], answer: 'BAD_USER_INPUT',
    document: `mutation { proposePartnership(input: { counterpartOrganizationKey: "no-such-organization", kind: MOU, effectiveFrom: "2026-01-01T00:00:00Z",
      documentReference: "", documentSha256: "x", signatories: [] }) { id } }`,
  },
  'Mutation.acceptPartnership': { allowed: ['admin'], answer: 'BAD_USER_INPUT', document: 'mutation { acceptPartnership(id: "x") { id } }' },
  'Mutation.endPartnership': { allowed: ['admin'], answer: 'BAD_USER_INPUT', document: 'mutation { endPartnership(input: { id: "x" }) { id } }' },
  'Mutation.updatePatient': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT', document: 'mutation { updatePatient(input: { patientId: "x", givenName: "" }) { id } }' },
  'Mutation.mergePatients': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT', document: 'mutation { mergePatients(input: { survivorId: "x", mergedId: "y" }) { id } }' },
  'Mutation.updateEnrollment': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT', document: 'mutation { updateEnrollment(input: { enrollmentId: "x", programName: "" }) { id } }' },
  'Mutation.createReferral': { allowed: ['responder', 'clinical_responder'], answer: 'BAD_USER_INPUT',
    document: `mutation { createReferral(input: { providerOrganizationKey: "no-such-provider", reason: CRISIS, urgency: ROUTINE, givenName: "",
      familyName: "River", incidentNumber: "INC-1", personAgreed: true }) { id } }`,
  },
  'Mutation.acceptReferral': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT', document: 'mutation { acceptReferral(input: { referralId: "x", patientId: "y" }) { id } }' },
  'Mutation.declineReferral': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT', document: 'mutation { declineReferral(input: { referralId: "x", reason: OTHER }) { id } }' },
  'Mutation.recordReferralOutcome': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT',
    document: 'mutation { recordReferralOutcome(input: { referralId: "x", outcome: ENGAGED, occurredOn: "2999-01-01" }) { id } }',
  },
  'Mutation.revokeConsent': { allowed: ['provider_staff'], answer: 'BAD_USER_INPUT', document: 'mutation { revokeConsent(input: { consentId: "x", method: WRITTEN, receivedAt: "2026-01-01T00:00:00Z" }) { id } }' },
};

const HOME: Record<Role, 'RESPONDER_AGENCY' | 'TREATMENT_PROVIDER' | 'OVERSIGHT'> = {
  responder: 'RESPONDER_AGENCY',
  clinical_responder: 'RESPONDER_AGENCY',
  provider_staff: 'TREATMENT_PROVIDER',
  compliance_officer: 'OVERSIGHT',
  admin: 'OVERSIGHT',
};

describe('authorization matrix (C22)', () => {
  let t: TestApp;
  const organizations = new Map<string, TestOrganization>();
  beforeAll(async () => {
    t = await TestApp.start();
    for (const kind of new Set(Object.values(HOME))) organizations.set(kind, await t.organization(kind));
  });
  afterAll(() => t.close());

  it('covers every query and mutation of the schema', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const operations = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}).map((f) => `Query.${f}`),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((f) => `Mutation.${f}`),
    ].sort();
    expect(Object.keys(MATRIX).sort()).toEqual(operations);
  });

  const cases = Object.entries(MATRIX).flatMap(([operation, row]) => ROLES.map((role) => [operation, role, row.allowed.includes(role)] as const));
  it.each(cases)('%s as %s: allowed %s', async (operation, role, allowed) => {
    const token = await t.token(role, organizations.get(HOME[role])!);
    const answer = await t.graphql(token, MATRIX[operation].document);
    expect(answer.status).toBeLessThan(500);
    const code = codeOf(answer);
    if (allowed) {
      const expected = MATRIX[operation].answer;
      expect({ operation, role, code: code ?? 'data' }).toEqual({ operation, role, code: expected });
      if (expected === 'data') expect(answer.errors).toBeUndefined();
    } else {
      expect({ operation, role, code }).toEqual({ operation, role, code: 'FORBIDDEN' });
    }
  });
});
