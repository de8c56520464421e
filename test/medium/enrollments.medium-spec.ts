// EnrollmentsRepository's statements against the real PostgreSQL: scoped reads, the row lock of
// an end, and ciphertext at rest for program names, care teams and notes (C23).
import { person } from '@libs/testing/provider-desk.js';
import { EnrollmentsRepository } from '@app/modules/enrollments/enrollments.repository.js';
import { EnrollmentsService, type NewEnrollment } from '@app/modules/enrollments/enrollments.service.js';
import { PatientsService } from '@app/modules/patients/patients.service.js';
import { sql } from '../support/database.js';
import { Medium, type MediumOrganization } from './support/medium.js';

const enrollment = (patientId: string, overrides: Partial<NewEnrollment> = {}): NewEnrollment => ({
  patientId,
  programName: 'Quillfeather Recovery Program',
  serviceType: 'OPIOID_TREATMENT',
  startedOn: '2025-09-02',
  careTeam: [{ name: 'Jordan Lee', role: 'Case manager', phone: '+1 555 0100 201' }],
  engagementNotes: 'Calm approach.',
  ...overrides,
});

describe('enrollments (medium)', () => {
  const m = Medium.forThisFile();
  const enrollments = m.lazy(EnrollmentsRepository);
  let [provider, other] = [] as MediumOrganization[];
  beforeAll(async () => ([provider, other] = await m.organizations(['TREATMENT_PROVIDER', { part2Program: true }], 'TREATMENT_PROVIDER')));

  const staffOf = (organization: MediumOrganization) => m.actor('provider_staff', organization, ['create', 'Enrollment']);
  const enrolled = async (organization: MediumOrganization, overrides: Partial<NewEnrollment> = {}) => {
    const staff = await staffOf(organization);
    const patient = await m.get(PatientsService).register(staff, person());
    return m.get(EnrollmentsService).record(staff, enrollment(patient.id, overrides));
  };

  describe('EnrollmentsRepository.insert', () => {
    it('stores the program, the care team and the notes as ciphertext, with the labels of a Part 2 program (C1, C23)', async () => {
      const e = await enrolled(provider);
      const [row] = await sql<Record<string, unknown>>('SELECT * FROM enrollment WHERE id = $1', [e.id]);
      expect(JSON.stringify(row)).not.toMatch(/Quillfeather|Jordan Lee|Calm approach/);
      expect(row).toMatchObject({ sensitivity_labels: ['42CFRPart2', 'SUD'], confidentiality: 'V', status: 'ACTIVE' });
      expect(e).toMatchObject({ programName: 'Quillfeather Recovery Program', engagementNotes: 'Calm approach.', careTeam: [{ name: 'Jordan Lee', afterHoursPhone: null, hours: null }] });
    });
  });

  describe('EnrollmentsRepository.findById', () => {
    it('reads an enrollment the scope may use, never another organisation\'s, and locks it for an update', async () => {
      const mine = await enrolled(provider);
      const theirs = await enrolled(other);
      const scope = m.data.forCaller(await staffOf(provider));
      const found = await scope.transaction(async (db) => [
        (await enrollments.findById(db, mine.id, 'Enrollment.update', true))?.id,
        await enrollments.findById(db, theirs.id, 'Enrollment.read'),
        await enrollments.findById(db, 'not-a-uuid', 'Enrollment.read'),
        // Another connection cannot take the row while this transaction holds it.
        await sql('SELECT id FROM enrollment WHERE id = $1 FOR UPDATE NOWAIT', [mine.id]).then(
          () => 'not locked',
          (error: { code?: string }) => error.code,
        ),
      ]);
      expect(found).toEqual([mine.id, null, null, '55P03']);
    });
  });

  describe('EnrollmentsRepository.ofPatients', () => {
    it('reads the enrollments of the given patients the scope may read, oldest first', async () => {
      const staff = await staffOf(provider);
      const patient = await m.get(PatientsService).register(staff, person());
      const later = await m.get(EnrollmentsService).record(staff, enrollment(patient.id, { startedOn: '2025-10-01' }));
      const earlier = await m.get(EnrollmentsService).record(staff, enrollment(patient.id, { startedOn: '2025-01-01' }));
      const theirs = await enrolled(other);
      const read = await m.data.forCaller(staff).transaction((db) => enrollments.ofPatients(db, [patient.id, theirs.patientId]));
      expect(read.map((e) => e.id)).toEqual([earlier.id, later.id]);
    });
  });

  describe('EnrollmentsRepository.end', () => {
    it('ends an active enrollment once, as the scope; a second end finds nothing active', async () => {
      const e = await enrolled(provider);
      const scope = m.data.forCaller(await staffOf(provider));
      expect(await scope.transaction((db) => enrollments.end(db, e.id, '2026-01-01'))).toBe(true);
      expect(await scope.transaction((db) => enrollments.end(db, e.id, '2026-01-02'))).toBe(false);
      expect(await sql('SELECT status, to_char(ended_on, \'YYYY-MM-DD\') AS ended_on, ended_by FROM enrollment WHERE id = $1', [e.id])).toEqual([
        { status: 'ENDED', ended_on: '2026-01-01', ended_by: scope.auditActor.sub },
      ]);
    });
  });
});
