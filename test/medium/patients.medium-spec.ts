// PatientsRepository's statements against the real PostgreSQL, and PatientsService without HTTP:
// every read reaches only the rows the scope may see (provider isolation, C9), identifiers are
// stored encrypted and matched by blind index (C23).
import { person } from '@libs/testing/provider-desk.js';
import { ForbiddenError } from '@libs/graphql/errors.js';
import { PatientIdentityRepository } from '@app/modules/patients/patient-identity.repository.js';
import { PatientsRepository } from '@app/modules/patients/patients.repository.js';
import { PatientsService } from '@app/modules/patients/patients.service.js';
import { sql } from '../support/database.js';
import { Medium, type MediumOrganization } from './support/medium.js';

describe('patients (medium)', () => {
  const m = Medium.forThisFile();
  const patients = m.lazy(PatientsRepository);
  const service = m.lazy(PatientsService);
  let [riverside, harbor] = [] as MediumOrganization[];
  beforeAll(async () => ([riverside, harbor] = await m.organizations('TREATMENT_PROVIDER', 'TREATMENT_PROVIDER')));

  const staffOf = (organization: MediumOrganization) => m.actor('provider_staff', organization, ['read', 'Patient']);

  describe('PatientsRepository.insert', () => {
    it('stores the identifiers as ciphertext, one blind index per given name and alias, created by the scope', async () => {
      const scope = m.data.forCaller(await staffOf(riverside));
      const id = await scope.transaction((db) => patients.insert(db, riverside.id, person({ givenName: 'Zephyrine', aliases: ['Zeph', 'zeph'] })));
      const [row] = await sql<Record<string, string>>('SELECT * FROM patient WHERE id = $1', [id]);
      expect(JSON.stringify(row)).not.toMatch(/Zephyrine|1990-04-12/);
      expect(row.created_by).toBe(scope.auditActor.sub);
      // "Zeph" and "zeph" fold to one key.
      expect(await sql('SELECT match_key FROM patient_match_key WHERE patient_id = $1', [id])).toHaveLength(2);
    });
  });

  describe('PatientsRepository.findById', () => {
    it('reads a patient the scope may see, and nothing of another organisation, an unknown id or a malformed one', async () => {
      const mine = await service.register(await staffOf(riverside), person());
      const theirs = await service.register(await staffOf(harbor), person());
      const scope = m.data.forCaller(await staffOf(riverside));
      const found = await scope.transaction(async (db) => ({
        mine: await patients.findById(db, mine.id, 'Patient.read'),
        theirs: await patients.findById(db, theirs.id, 'Patient.update'),
        unknown: await patients.findById(db, '00000000-0000-4000-8000-000000000000', 'Patient.read'),
        malformed: await patients.findById(db, 'x', 'Patient.read'),
      }));
      expect(found).toEqual({ mine: { ...mine }, theirs: null, unknown: null, malformed: null });
    });

    it('reads for the accounting of disclosures by the Disclosure policy: own organisation, or every one for an oversight body', async () => {
      const patient = await service.register(await staffOf(harbor), person());
      const officer = async (organization: MediumOrganization) => m.data.forCaller(await m.actor('compliance_officer', organization, ['read', 'Disclosure']));
      const oversight = await m.organization('OVERSIGHT');
      expect(await (await officer(harbor)).transaction((db) => patients.findById(db, patient.id, 'Disclosure.read'))).toMatchObject({ id: patient.id });
      expect(await (await officer(riverside)).transaction((db) => patients.findById(db, patient.id, 'Disclosure.read'))).toBeNull();
      expect(await (await officer(oversight)).transaction((db) => patients.findById(db, patient.id, 'Disclosure.read'))).toMatchObject({ id: patient.id });
      // A compliance officer reads disclosures, never the patient itself.
      expect(await (await officer(harbor)).transaction((db) => patients.findById(db, patient.id, 'Patient.read'))).toBeNull();
    });
  });

  describe('PatientsRepository.findByIdentity', () => {
    it("finds the scope's own records sharing a blind index, in registration order, and nothing of another organisation or a merged record", async () => {
      const who = person({ aliases: ['Bee'] });
      const staff = await staffOf(riverside);
      const first = await service.register(staff, who);
      const second = await service.register(staff, { ...who, givenName: 'Other', confirmDistinctPerson: true });
      await service.register(await staffOf(harbor), who);
      const identities = m.get(PatientIdentityRepository);
      const [byGiven, byAlias] = identities.matchKeysOf(who);
      const scope = m.data.forCaller(staff);
      const found = await scope.transaction(async (db) => ({
        byGiven: (await patients.findByIdentity(db, byGiven)).map((p) => p.id),
        byAlias: (await patients.findByIdentity(db, byAlias)).map((p) => p.id),
        unknown: await patients.findByIdentity(db, identities.matchKeysOf(person())[0]),
      }));
      // The second record shares only the alias; the other organisation's record is never read.
      expect(found).toEqual({ byGiven: [first.id], byAlias: [first.id, second.id], unknown: [] });
      const decrypted = await scope.transaction((db) => patients.findByIdentity(db, byGiven));
      expect(decrypted[0]).toMatchObject({ givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth, aliases: ['Bee'] });
      // A compliance officer of the same organisation reviews through findByMatchKey, never through this.
      const officer = m.data.forCaller(await m.actor('compliance_officer', riverside, ['read', 'ReviewPatient']));
      expect(await officer.transaction((db) => patients.findByIdentity(db, byGiven))).toEqual([]);
    });
  });

  describe('PatientsRepository.page', () => {
    it('pages the scope\'s patients in registration order, keyset by microsecond time and id', async () => {
      const provider = await m.organization('TREATMENT_PROVIDER');
      const staff = await staffOf(provider);
      const registered = [];
      for (let i = 0; i < 5; i++) registered.push((await service.register(staff, person())).id);
      await service.register(await staffOf(harbor), person());
      const scope = m.data.forCaller(staff);
      const first = await scope.transaction((db) => patients.page(db, 2, null));
      const second = await scope.transaction((db) => patients.page(db, 2, first.items[1].sortKey));
      const last = await scope.transaction((db) => patients.page(db, 2, second.items[1].sortKey));
      expect([first, second, last].map((p) => [p.items.map((x) => x.id), p.hasNextPage])).toEqual([
        [registered.slice(0, 2), true],
        [registered.slice(2, 4), true],
        [registered.slice(4), false],
      ]);
      expect(first.items[0].sortKey[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    });
  });

  describe('PatientsService.registerIn', () => {
    it('decides before it writes: a scope that may not create there writes nothing', async () => {
      const before = (await sql<{ n: number }>('SELECT count(*)::int AS n FROM patient WHERE organization_id = $1', [harbor.id]))[0].n;
      const scope = m.data.forCaller(await staffOf(riverside));
      await expect(scope.transaction((db) => service.registerIn(db, harbor, person()))).rejects.toBeInstanceOf(ForbiddenError);
      const agency = await m.organization('RESPONDER_AGENCY');
      await expect(m.data.forSystem('seedDemoData').transaction((db) => service.registerIn(db, agency, person()))).rejects.toBeInstanceOf(ForbiddenError);
      expect((await sql<{ n: number }>('SELECT count(*)::int AS n FROM patient WHERE organization_id = $1', [harbor.id]))[0].n).toBe(before);
    });
  });
});
