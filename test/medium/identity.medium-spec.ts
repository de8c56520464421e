// Patient identity (issue 14) against the real PostgreSQL: possible duplicates by shared blind
// index, corrections that rewrite the match keys, merges recorded append-only and resolved on
// reads (patient_survivor, patient_family), the compliance search by blind index within the
// scope, and enrollment corrections.
import { person } from '@libs/testing/provider-desk.js';
import { EnrollmentsRepository } from '@app/modules/enrollments/enrollments.repository.js';
import { EnrollmentsService } from '@app/modules/enrollments/enrollments.service.js';
import { PatientIdentityRepository } from '@app/modules/patients/patient-identity.repository.js';
import { PatientsRepository } from '@app/modules/patients/patients.repository.js';
import { PatientsService } from '@app/modules/patients/patients.service.js';
import { sql } from '../support/database.js';
import { Medium, type MediumOrganization } from './support/medium.js';

describe('patient identity (medium)', () => {
  const m = Medium.forThisFile();
  let identities: PatientIdentityRepository;
  let patients: PatientsRepository;
  let riverside: MediumOrganization;
  let harbor: MediumOrganization;

  beforeAll(async () => {
    identities = m.get(PatientIdentityRepository);
    patients = m.get(PatientsRepository);
    riverside = await m.organization('TREATMENT_PROVIDER');
    harbor = await m.organization('TREATMENT_PROVIDER');
  });

  const staffOf = (organization: MediumOrganization) => m.actor('provider_staff', organization, ['update', 'Patient']);
  const register = async (organization: MediumOrganization, who = person()) => m.get(PatientsService).register(await staffOf(organization), { ...who, confirmDistinctPerson: true });
  const scopeOf = async (organization: MediumOrganization) => m.data.forCaller(await staffOf(organization));

  describe('PatientIdentityRepository.matchKeysOf', () => {
    it('gives one blind index per given name and alias, the same for the same person', () => {
      const who = person({ aliases: ['Dee'] });
      expect(identities.matchKeysOf(who)).toHaveLength(2);
      expect(identities.matchKeysOf({ ...who })).toEqual(identities.matchKeysOf(who));
    });
  });

  describe('PatientIdentityRepository.lockIdentities', () => {
    it('holds the provider\'s identity lock for the rest of the transaction', async () => {
      const held = await m.rolledBack(await scopeOf(riverside), async (db) => {
        await identities.lockIdentities(db, riverside.id);
        return m.lockedElsewhere(`hashtext('patient-identity:' || $1::text)`, [riverside.id]);
      });
      expect(held).toBe(true);
    });
  });

  describe('PatientIdentityRepository.possibleDuplicate', () => {
    it('finds a record of the same provider sharing a match key, never another provider\'s, nor the record itself', async () => {
      const who = person();
      const first = await register(riverside, who);
      await register(harbor, who);
      const keys = identities.matchKeysOf(who);
      const found = await (await scopeOf(riverside)).transaction(async (db) => ({
        same: await identities.possibleDuplicate(db, riverside.id, keys, null),
        itself: await identities.possibleDuplicate(db, riverside.id, keys, first.id),
        other: await identities.possibleDuplicate(db, riverside.id, identities.matchKeysOf(person()), null),
      }));
      expect(found).toEqual({ same: first.id, itself: null, other: null });
    });
  });

  describe('PatientIdentityRepository.correct', () => {
    it('re-encrypts the identifiers and rewrites the match keys: the old name stops matching at once', async () => {
      const before = person();
      const patient = await register(riverside, before);
      const after = person({ givenName: 'Corrected' });
      const scope = await scopeOf(riverside);
      await scope.transaction((db) => identities.correct(db, patient.id, riverside.id, after));
      const read = await scope.transaction(async (db) => ({
        patient: await patients.findById(db, patient.id, 'Patient.read'),
        old: await identities.possibleDuplicate(db, riverside.id, identities.matchKeysOf(before), null),
        corrected: await identities.possibleDuplicate(db, riverside.id, identities.matchKeysOf(after), null),
      }));
      expect(read).toEqual({ patient: expect.objectContaining({ givenName: 'Corrected', familyName: after.familyName }), old: null, corrected: patient.id });
    });
  });

  describe('PatientIdentityRepository.dropMatchKeys', () => {
    it('removes every match key of a record', async () => {
      const patient = await register(riverside);
      await (await scopeOf(riverside)).transaction((db) => identities.dropMatchKeys(db, patient.id));
      expect(await sql('SELECT 1 FROM patient_match_key WHERE patient_id = $1', [patient.id])).toEqual([]);
    });
  });

  describe('PatientIdentityRepository.merge', () => {
    it('records the merge, moves enrollments to the survivor, drops the merged match keys; the merged id answers as the survivor', async () => {
      const survivor = await register(riverside);
      const merged = await register(riverside);
      const staff = await staffOf(riverside);
      const enrollment = await m.get(EnrollmentsService).record(staff, { patientId: merged.id, programName: 'P', serviceType: 'SUD_TREATMENT', startedOn: '2025-01-01', careTeam: [] });
      const scope = m.data.forCaller(staff);
      const moved = await scope.transaction((db) => identities.merge(db, { survivorId: survivor.id, mergedId: merged.id, organizationId: riverside.id, mergedBy: db.auditActor.sub }));
      expect(moved).toEqual({ enrollmentIds: [enrollment.id], consentIds: [] });
      const read = await scope.transaction(async (db) => ({
        asSurvivor: (await patients.findById(db, merged.id, 'Patient.read'))?.id,
        family: await identities.familyOf(db, survivor.id),
        mergedInto: await identities.mergedInto(db, [survivor.id]),
      }));
      expect(read).toEqual({ asSurvivor: survivor.id, family: [survivor.id, merged.id], mergedInto: new Map([[survivor.id, [merged.id]]]) });
      expect(await sql('SELECT 1 FROM patient_match_key WHERE patient_id = $1', [merged.id])).toEqual([]);
    });
  });

  describe('PatientIdentityRepository.familyOf', () => {
    it('is the record alone when nothing was merged into it', async () => {
      const patient = await register(riverside);
      expect(await (await scopeOf(riverside)).transaction((db) => identities.familyOf(db, patient.id))).toEqual([patient.id]);
    });
  });

  describe('PatientIdentityRepository.mergedInto', () => {
    it('reads nothing for no records, without a query', async () => {
      expect(await identities.mergedInto({ query: () => Promise.reject(new Error('no query expected')) } as never, [])).toEqual(new Map());
    });
  });

  describe('PatientsRepository.findByMatchKey', () => {
    it('finds the records sharing a blind index that the scope may review: own organisation, or every one for an oversight body', async () => {
      const who = person();
      const mine = await register(riverside, who);
      const theirs = await register(harbor, who);
      const [key] = identities.matchKeysOf(who);
      const reviewer = async (organization: MediumOrganization) => m.data.forCaller(await m.actor('compliance_officer', organization, ['read', 'ReviewPatient']));
      const oversight = await m.organization('OVERSIGHT');
      expect((await (await reviewer(riverside)).transaction((db) => patients.findByMatchKey(db, key))).map((p) => p.id)).toEqual([mine.id]);
      expect((await (await reviewer(oversight)).transaction((db) => patients.findByMatchKey(db, key))).map((p) => p.id).sort()).toEqual([mine.id, theirs.id].sort());
      // Provider staff may not review at all.
      expect(await (await scopeOf(riverside)).transaction((db) => patients.findByMatchKey(db, key))).toEqual([]);
    });
  });

  describe('EnrollmentsRepository.correct', () => {
    it('rewrites the program name, care team and notes, encrypted', async () => {
      const patient = await register(riverside);
      const staff = await staffOf(riverside);
      const enrollment = await m.get(EnrollmentsService).record(staff, { patientId: patient.id, programName: 'Before', serviceType: 'SUD_TREATMENT', startedOn: '2025-01-01', careTeam: [] });
      const enrollments = m.get(EnrollmentsRepository);
      const careTeam = [{ name: 'Nurse Ada', role: 'nurse', phone: '+15550100', afterHoursPhone: null, hours: null }];
      const scope = m.data.forCaller(await m.actor('provider_staff', riverside, ['update', 'Enrollment']));
      const read = await scope.transaction(async (db) => {
        await enrollments.correct(db, enrollment.id, { programName: 'Corrected program', careTeam, engagementNotes: null });
        return enrollments.findById(db, enrollment.id, 'Enrollment.read');
      });
      expect(read).toMatchObject({ programName: 'Corrected program', careTeam, engagementNotes: null });
      const [row] = await sql<Record<string, string>>('SELECT program_name_enc, care_team_enc FROM enrollment WHERE id = $1', [enrollment.id]);
      expect(JSON.stringify(row)).not.toMatch(/Corrected program|Nurse Ada/);
    });
  });
});
