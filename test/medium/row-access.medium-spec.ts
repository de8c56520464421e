// Row access in one place: a service asked, by one organisation's caller, for another
// organisation's row gets nothing — and no service holds a check of its own that could make it
// so. The services below decide nothing about rows: the scope each request's transaction carries
// filters every read in SQL, in the repositories.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@libs/config/project-root.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { person } from '@libs/testing/provider-desk.js';
import { AuditService } from '@app/modules/audit/audit.service.js';
import { ConsentsService } from '@app/modules/consents/consents.service.js';
import { EnrollmentCorrectionsService } from '@app/modules/enrollments/enrollment-corrections.service.js';
import { EnrollmentsService } from '@app/modules/enrollments/enrollments.service.js';
import { PatientIdentityService } from '@app/modules/patients/patient-identity.service.js';
import { PatientsService } from '@app/modules/patients/patients.service.js';
import { EmergencyDisclosuresService } from '@app/modules/responder/emergency-disclosures.service.js';
import { ResponderRepository } from '@app/modules/responder/responder.repository.js';
import { PatientReviewService } from '@app/modules/review/patient-review.service.js';
import { consentFor, emergencyRecordOf, Medium, type MediumOrganization } from './support/medium.js';

/** The service files of the features, read as text. */
function serviceSources(): Array<[string, string]> {
  const modules = join(projectRoot(), 'src', 'modules');
  return readdirSync(modules).flatMap((feature) =>
    readdirSync(join(modules, feature))
      .filter((file) => file.endsWith('.service.ts'))
      .map((file): [string, string] => [`${feature}/${file}`, readFileSync(join(modules, feature, file), 'utf8')]),
  );
}

describe('row access in one place (medium)', () => {
  const m = Medium.forThisFile();
  let [theirs, mine] = [] as MediumOrganization[];
  let row: { patientId: string; enrollmentId: string; consentId: string; emergencyId: string; auditEventId: string };
  let who: ReturnType<typeof person>;

  beforeAll(async () => {
    let agency: MediumOrganization;
    [theirs, mine, agency] = await m.organizations('TREATMENT_PROVIDER', 'TREATMENT_PROVIDER', 'RESPONDER_AGENCY');
    const staff = await m.actor('provider_staff', theirs, ['create', 'Patient']);
    who = person();
    const patient = await m.get(PatientsService).register(staff, who);
    const enrollment = await m.get(EnrollmentsService).record(staff, { patientId: patient.id, programName: 'P', serviceType: 'SUD_TREATMENT', startedOn: '2025-01-01', careTeam: [] });
    const consent = await m.get(ConsentsService).record(staff, consentFor(patient.id, [agency]));
    const emergencyId = await m.data.forSystem('seedDemoData').transaction((db) => m.get(ResponderRepository).insertEmergencyRecord(db, emergencyRecordOf(patient.id, theirs, agency)));
    const [event] = (await m.get(AuditService).list(await m.actor('compliance_officer', theirs, ['read', 'AuditEvent']), { patientId: patient.id }, 1, null)).items;
    row = { patientId: patient.id, enrollmentId: enrollment.id, consentId: consent.consent.id, emergencyId, auditEventId: event.id };
  });

  it('answers a caller of another organisation as if the rows did not exist', async () => {
    const staff = await m.actor('provider_staff', mine, ['read', 'Patient']);
    const officer = await m.actor('compliance_officer', mine, ['read', 'AuditEvent']);
    expect(await m.get(PatientsService).get(staff, row.patientId)).toBeNull();
    expect(await m.get(EnrollmentsService).forPatients(staff, [row.patientId])).toEqual([]);
    expect(await m.get(ConsentsService).get(staff, row.consentId)).toBeNull();
    expect(await m.get(ConsentsService).forPatient(staff, row.patientId)).toEqual([]);
    expect((await m.get(EmergencyDisclosuresService).list(staff, 100, null, false)).items.map((r) => r.id)).not.toContain(row.emergencyId);
    expect(await m.get(AuditService).get(officer, row.auditEventId)).toBeNull();
    expect((await m.get(AuditService).accounting(officer, row.patientId)).entries).toEqual([]);
    const notFound = (field: string) => expect.objectContaining({ fields: [field], reason: 'NOT_FOUND' });
    await expect(m.get(EnrollmentsService).end(staff, { enrollmentId: row.enrollmentId, endedOn: '2026-01-01' })).rejects.toEqual(notFound('enrollmentId'));
    await expect(m.get(EmergencyDisclosuresService).acknowledge(staff, row.emergencyId)).rejects.toEqual(notFound('id'));
    await expect(m.get(ConsentsService).revoke(staff, { consentId: row.consentId, method: 'WRITTEN', receivedAt: new Date() })).rejects.toBeInstanceOf(BadUserInputError);
    // Patient identity and enrollment corrections (issue 14) and the compliance search.
    await expect(m.get(PatientIdentityService).correct(staff, { patientId: row.patientId, givenName: 'Other' })).rejects.toEqual(notFound('patientId'));
    await expect(m.get(PatientIdentityService).merge(staff, { survivorId: row.patientId, mergedId: row.patientId })).rejects.toEqual(
      expect.objectContaining({ fields: ['mergedId', 'survivorId'], reason: 'NOT_FOUND' }),
    );
    await expect(m.get(EnrollmentCorrectionsService).correct(staff, { enrollmentId: row.enrollmentId, programName: 'Other' })).rejects.toEqual(notFound('enrollmentId'));
    expect(await m.get(PatientReviewService).find(await m.actor('compliance_officer', mine, ['read', 'ReviewPatient']), who)).toEqual([]);
  });

  it('and the same services give the owner its rows, so nothing above was refused for another reason', async () => {
    const staff = await m.actor('provider_staff', theirs, ['read', 'Patient']);
    expect((await m.get(PatientsService).get(staff, row.patientId))?.id).toBe(row.patientId);
    expect((await m.get(EnrollmentsService).forPatients(staff, [row.patientId])).map((e) => e.id)).toEqual([row.enrollmentId]);
    expect((await m.get(ConsentsService).get(staff, row.consentId))?.consent.id).toBe(row.consentId);
    expect((await m.get(EmergencyDisclosuresService).list(staff, 100, null, false)).items.map((r) => r.id)).toContain(row.emergencyId);
    const officer = await m.actor('compliance_officer', theirs, ['read', 'ReviewPatient']);
    expect((await m.get(PatientReviewService).find(officer, who)).map((p) => p.id)).toEqual([row.patientId]);
    const corrected = await m.get(EnrollmentCorrectionsService).correct(await m.actor('provider_staff', theirs, ['update', 'Enrollment']), { enrollmentId: row.enrollmentId, programName: 'P' });
    expect(corrected.id).toBe(row.enrollmentId);
  });

  it('with no check in any service: no service decides on a row, holds SQL, a TypeORM manager or a transaction of its own', () => {
    const found = serviceSources().flatMap(([file, text]) =>
      [/\bdecide\(/, /\bsqlScope\(/, /\.can\(/, /\.query\(/, /\.manager\b/, /\bTransactionRunner\b/, /\bDataSource\b/, /'principal' in/]
        .filter((pattern) => pattern.test(text))
        // Explaining a policy decides on a hypothetical, never on a row (policies.service.ts).
        .filter((pattern) => !(file === 'policies/policies.service.ts' && pattern.source === '\\bdecide\\('))
        .map((pattern) => `${file}: ${pattern.source}`),
    );
    expect(found).toEqual([]);
  });
});
