// ConsentsRepository's statements against the real PostgreSQL: versions, recipients and
// revocations as rows of their own (C5, C7), reads only within the scope, the database clock,
// the lineage lock, and ciphertext for the signer, the expiry event and the scope (C23).
import { person } from '@libs/testing/provider-desk.js';
import type { ScopedTx } from '@libs/database/data-access.js';
import { ConsentsRepository, type NewConsentRow } from '@app/modules/consents/consents.repository.js';
import { PatientsService } from '@app/modules/patients/patients.service.js';
import { sql } from '../support/database.js';
import { Medium, type MediumOrganization } from './support/medium.js';

describe('consents (medium)', () => {
  const m = Medium.forThisFile();
  const consents = m.lazy(ConsentsRepository);
  let [provider, other, agency, agency2] = [] as MediumOrganization[];
  beforeAll(async () => ([provider, other, agency, agency2] = await m.organizations('TREATMENT_PROVIDER', 'TREATMENT_PROVIDER', 'RESPONDER_AGENCY', 'RESPONDER_AGENCY')));

  const staffOf = (organization: MediumOrganization) => m.actor('provider_staff', organization, ['create', 'Consent']);
  const row = (patientId: string, organization: MediumOrganization, overrides: Partial<NewConsentRow> = {}): NewConsentRow => ({
    lineageId: null,
    version: 1,
    supersedesConsentId: null,
    patientId,
    organizationId: organization.id,
    recipientOrganizationIds: [agency.id, agency2.id],
    purpose: 'CRISIS_RESPONSE',
    dataCategories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT'],
    effectiveFrom: new Date('2026-01-01T00:00:00Z'),
    expiresAt: new Date('2030-01-01T00:00:00Z'),
    expirationEvent: 'when Wrenna leaves the Quillfeather program',
    signerName: 'Wrenna Vasquez-Ode',
    signerRelationship: 'SELF',
    signedAt: new Date('2025-12-31T00:00:00Z'),
    acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
    scopeDescription: 'Quillfeather may tell the agencies that Wrenna is in treatment.',
    ...overrides,
  });
  /** A consent of a fresh patient of `organization`, inserted by its staff. */
  const consentOf = async (organization: MediumOrganization, overrides: Partial<NewConsentRow> = {}) => {
    const staff = await staffOf(organization);
    const patient = await m.get(PatientsService).register(staff, person());
    const id = await m.data.forCaller(staff).transaction((db) => consents.insert(db, row(patient.id, organization, overrides)));
    return { id, patientId: patient.id, staff };
  };

  describe('ConsentsRepository.insert', () => {
    it('stores a version with its recipients, its own lineage, the free text as ciphertext, recorded by the scope', async () => {
      const { id, staff } = await consentOf(provider);
      const [stored] = await sql<Record<string, unknown>>('SELECT * FROM consent WHERE id = $1', [id]);
      expect(JSON.stringify(stored)).not.toMatch(/Wrenna|Quillfeather|Vasquez/);
      expect(stored).toMatchObject({ lineage_id: id, version: 1, recorded_by: staff.principal.sub });
      expect((await sql<{ organization_id: string }>('SELECT organization_id FROM consent_recipient WHERE consent_id = $1', [id])).map((r) => r.organization_id).sort()).toEqual([agency.id, agency2.id].sort());
    });
  });

  describe('ConsentsRepository.findById', () => {
    it('reads a consent the scope may use, decrypted with its recipients, and nothing of another organisation', async () => {
      const mine = await consentOf(provider);
      const theirs = await consentOf(other);
      const found = await m.data.forCaller(mine.staff).transaction(async (db) => [
        await consents.findById(db, mine.id, 'Consent.revoke'),
        await consents.findById(db, theirs.id, 'Consent.read'),
        await consents.findById(db, 'x', 'Consent.read'),
      ]);
      expect(found[0]).toMatchObject({ id: mine.id, signerName: 'Wrenna Vasquez-Ode', disclosingOrganization: { key: provider.key }, revocations: [], supersededAt: null });
      expect(found[0]!.recipients.map((r) => r.key).sort()).toEqual([agency.key, agency2.key].sort());
      expect(found.slice(1)).toEqual([null, null]);
    });
  });

  describe('ConsentsRepository.insertRevocation', () => {
    it('records a revocation of some recipients, then of the whole consent, as rows of their own (C5)', async () => {
      const { id, staff } = await consentOf(provider);
      const scope = m.data.forCaller(staff);
      const revoke = (db: ScopedTx, whole: boolean) => consents.insertRevocation(db, { consentId: id, whole, recipientOrganizationIds: whole ? [] : [agency2.id], method: 'WRITTEN', receivedAt: new Date() });
      await scope.transaction((db) => revoke(db, false));
      await scope.transaction((db) => revoke(db, true));
      const consent = await scope.transaction((db) => consents.findById(db, id, 'Consent.read'));
      expect(consent!.revocations.map((r) => ({ whole: r.whole, recipients: r.recipientOrganizationIds, by: r.recordedBy }))).toEqual([
        { whole: false, recipients: [agency2.id], by: staff.principal.sub },
        { whole: true, recipients: [], by: staff.principal.sub },
      ]);
    });
  });

  describe('ConsentsRepository.forPatient', () => {
    it('reads every version of a patient\'s consents, oldest first, and none of another organisation\'s patient', async () => {
      const first = await consentOf(provider);
      const scope = m.data.forCaller(first.staff);
      const second = await scope.transaction((db) => consents.insert(db, row(first.patientId, provider, { lineageId: first.id, version: 2, supersedesConsentId: first.id })));
      const theirs = await consentOf(other);
      const read = await scope.transaction(async (db) => [await consents.forPatient(db, first.patientId), await consents.forPatient(db, theirs.patientId)]);
      expect(read[0].map((c) => [c.id, c.version, c.supersededByConsentId])).toEqual([
        [first.id, 1, second],
        [second, 2, null],
      ]);
      expect(read[1]).toEqual([]);
    });
  });

  describe('ConsentsRepository.lineage', () => {
    it('reads the versions of one consent in order', async () => {
      const first = await consentOf(provider);
      const scope = m.data.forCaller(first.staff);
      const second = await scope.transaction((db) => consents.insert(db, row(first.patientId, provider, { lineageId: first.id, version: 2, supersedesConsentId: first.id })));
      await consentOf(provider);
      expect((await scope.transaction((db) => consents.lineage(db, first.id))).map((c) => c.id)).toEqual([first.id, second]);
    });
  });

  describe('ConsentsRepository.now', () => {
    it('is the database clock, moving within a transaction', async () => {
      const [a, b] = await m.data.forSystem('seedDemoData').transaction(async (db) => [await consents.now(db), await consents.now(db)]);
      expect(b.getTime()).toBeGreaterThanOrEqual(a.getTime());
      expect(Math.abs(a.getTime() - Date.now())).toBeLessThan(60_000);
    });
  });

  describe('ConsentsRepository.lockLineage', () => {
    it('holds other transactions off the same lineage until it ends', async () => {
      const lineage = '4b0c9d1e-0000-4000-8000-000000000001';
      const blocked = await m.data.forSystem('seedDemoData').transaction(async (db) => {
        await consents.lockLineage(db, lineage);
        return m.lockedElsewhere(`hashtext('consent:' || $1)`, [lineage]);
      });
      expect(blocked).toBe(true);
    });
  });
});
