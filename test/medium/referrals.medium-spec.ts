// ReferralsRepository's statements (and the agency report's count of lookups) against the real
// PostgreSQL: the person's fields as ciphertext (C23), reads filtered by the caller's scope (the
// referring agency's, the receiving provider's), steps that change only a referral in the right
// status, and the outcome decision's read of consents naming the agency (docs/partnerships.md).
import { person } from '@libs/testing/provider-desk.js';
import { AuditRepository } from '@libs/ledger/audit.repository.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { ConsentsService } from '@app/modules/consents/consents.service.js';
import { PatientsService } from '@app/modules/patients/patients.service.js';
import type { NewReferral } from '@app/modules/referrals/referral.js';
import { ReferralsRepository } from '@app/modules/referrals/referrals.repository.js';
import { DISCLOSURE_ACTIONS } from '@app/modules/responder/lookup-decision.js';
import { sql } from '../support/database.js';
import { agreementInForce, endAgreement } from '../support/partnerships.js';
import { consentFor, Medium, type MediumOrganization } from './support/medium.js';

const referral = (overrides: Partial<NewReferral> = {}): NewReferral => ({
  providerOrganizationKey: 'unused-by-the-repository',
  reason: 'OVERDOSE',
  urgency: 'EMERGENT',
  givenName: 'Quinlan',
  familyName: 'Marchetti',
  dateOfBirth: '1987-03-09',
  callbackPhone: '+1 555 0199 321',
  incidentNumber: 'INC-MEDIUM-7',
  note: 'Prefers text messages.',
  personAgreed: true,
  ...overrides,
});

describe('referrals (medium)', () => {
  const m = Medium.forThisFile();
  const referrals = m.lazy(ReferralsRepository);
  let [provider, other, agency, otherAgency] = [] as MediumOrganization[];
  beforeAll(async () => {
    [provider, other, agency, otherAgency] = await m.organizations(['TREATMENT_PROVIDER', { part2Program: true, partnerships: false }], ['TREATMENT_PROVIDER', { partnerships: false }], ['RESPONDER_AGENCY', { partnerships: false }], ['RESPONDER_AGENCY', { partnerships: false }]);
  });

  const staffOf = (organization: MediumOrganization) => m.actor('provider_staff', organization, ['read', 'Referral']);
  const responderOf = (organization: MediumOrganization) => m.actor('responder', organization, ['create', 'Referral']);
  const made = async (from = agency, to = provider, overrides: Partial<NewReferral> = {}) =>
    m.data.forCaller(await responderOf(from)).transaction((db) => referrals.insert(db, from.id, to.id, referral(overrides)));

  describe('ReferralsRepository.insert', () => {
    it("stores the person's name, date of birth, phone and note as ciphertext (C23), received, made by the scope", async () => {
      const id = await made();
      const [row] = await sql<Record<string, unknown>>('SELECT * FROM referral WHERE id = $1', [id]);
      expect(JSON.stringify(row)).not.toMatch(/Quinlan|Marchetti|1987-03-09|0199 321|text messages/);
      expect(row).toMatchObject({ status: 'RECEIVED', reason: 'OVERDOSE', urgency: 'EMERGENT', incident_number: 'INC-MEDIUM-7', person_agreed: true, patient_id: null });
      expect(String(row.created_by)).toMatch(/^medium-/);
    });

    it('leaves unknown optional fields empty', async () => {
      const id = await made(agency, provider, { dateOfBirth: null, callbackPhone: null, note: null });
      expect(await sql('SELECT date_of_birth_enc, callback_phone_enc, note_enc FROM referral WHERE id = $1', [id])).toEqual([{ date_of_birth_enc: null, callback_phone_enc: null, note_enc: null }]);
    });
  });

  describe('ReferralsRepository.partnershipInForce', () => {
    it('answers by partnership_in_force at the database clock: none, in force, ended', async () => {
      const [p, a] = await m.organizations(['TREATMENT_PROVIDER', { partnerships: false }], ['RESPONDER_AGENCY', { partnerships: false }]);
      const scope = m.data.forCaller(await responderOf(a));
      const ask = () => scope.transaction((db) => referrals.partnershipInForce(db, p.id, a.id));
      expect(await ask()).toBe(false);
      const id = await agreementInForce(p, a);
      expect(await ask()).toBe(true);
      await endAgreement(id);
      expect(await ask()).toBe(false);
    });
  });

  describe('ReferralsRepository.partnerProviders', () => {
    it('lists the providers with an agreement in force with the agency now, by name', async () => {
      const [p1, p2, a] = await m.organizations(['TREATMENT_PROVIDER', { partnerships: false }], ['TREATMENT_PROVIDER', { partnerships: false }], ['RESPONDER_AGENCY', { partnerships: false }]);
      await agreementInForce(p1, a);
      await endAgreement(await agreementInForce(p2, a));
      const partners = await m.data.forCaller(await responderOf(a)).transaction((db) => referrals.partnerProviders(db, a.id));
      expect(partners).toEqual([{ key: p1.key, name: p1.name }]);
    });
  });

  describe('ReferralsRepository.findById', () => {
    it('reads a referral for the agency that made it and the provider that received it, never for anyone else, and locks it for a step', async () => {
      const id = await made();
      const asAgency = await m.data.forCaller(await responderOf(agency)).transaction((db) => referrals.findById(db, id, 'Referral.read'));
      expect(asAgency).toMatchObject({ id, givenName: 'Quinlan', familyName: 'Marchetti', dateOfBirth: '1987-03-09', note: 'Prefers text messages.', agencyOrganizationKey: agency.key, providerOrganizationKey: provider.key });
      expect(await m.data.forCaller(await responderOf(otherAgency)).transaction((db) => referrals.findById(db, id, 'Referral.read'))).toBeNull();
      expect(await m.data.forCaller(await staffOf(other)).transaction((db) => referrals.findById(db, id, 'Referral.accept'))).toBeNull();
      // A responder may read but not accept.
      expect(await m.data.forCaller(await responderOf(agency)).transaction((db) => referrals.findById(db, id, 'Referral.accept'))).toBeNull();
      const locked = await m.data.forCaller(await staffOf(provider)).transaction(async (db) => [
        (await referrals.findById(db, id, 'Referral.accept', true))?.id,
        await referrals.findById(db, 'not-a-uuid', 'Referral.read'),
        await sql('SELECT id FROM referral WHERE id = $1 FOR UPDATE NOWAIT', [id]).then(() => 'not locked', (error: { code?: string }) => error.code),
      ]);
      expect(locked).toEqual([id, null, '55P03']);
    });
  });

  describe('ReferralsRepository.page', () => {
    it("pages the scope's referrals newest first, optionally of some statuses", async () => {
      const [p, a] = await m.organizations(['TREATMENT_PROVIDER', { partnerships: false }], ['RESPONDER_AGENCY', { partnerships: false }]);
      const ids = [await made(a, p), await made(a, p), await made(a, p)];
      const scope = m.data.forCaller(await staffOf(p));
      const first = await scope.transaction((db) => referrals.page(db, 2, null, null));
      const second = await scope.transaction((db) => referrals.page(db, 2, first.items[1].sortKey, null));
      expect([...first.items, ...second.items].map((r) => r.id)).toEqual([...ids].reverse());
      expect([first.hasNextPage, second.hasNextPage]).toEqual([true, false]);
      await scope.transaction((db) => referrals.decline(db, ids[0], 'NO_CAPACITY'));
      expect((await scope.transaction((db) => referrals.page(db, 10, null, ['DECLINED', 'CLOSED']))).items.map((r) => r.id)).toEqual([ids[0]]);
      expect((await m.data.forCaller(await staffOf(other)).transaction((db) => referrals.page(db, 10, null, null))).items.filter((r) => ids.includes(r.id))).toEqual([]);
    });
  });

  describe('ReferralsRepository.accept', () => {
    it('accepts a received referral once, linking the patient, as the scope', async () => {
      const id = await made();
      const staff = await staffOf(provider);
      const patient = await m.get(PatientsService).register(await m.actor('provider_staff', provider, ['create', 'Patient']), person());
      const scope = m.data.forCaller(staff);
      expect(await scope.transaction((db) => referrals.accept(db, id, patient.id))).toBe(true);
      expect(await scope.transaction((db) => referrals.accept(db, id, patient.id))).toBe(false);
      expect(await sql('SELECT status, patient_id, accepted_by FROM referral WHERE id = $1', [id])).toEqual([{ status: 'ACCEPTED', patient_id: patient.id, accepted_by: staff.principal.sub }]);
    });
  });

  describe('ReferralsRepository.decline', () => {
    it('declines a received referral once, with its reason', async () => {
      const id = await made();
      const scope = m.data.forCaller(await staffOf(provider));
      expect(await scope.transaction((db) => referrals.decline(db, id, 'OUT_OF_AREA'))).toBe(true);
      expect(await scope.transaction((db) => referrals.decline(db, id, 'OTHER'))).toBe(false);
      expect(await sql('SELECT status, decline_reason FROM referral WHERE id = $1', [id])).toEqual([{ status: 'DECLINED', decline_reason: 'OUT_OF_AREA' }]);
    });
  });

  describe('ReferralsRepository.recordOutcome', () => {
    it('closes an accepted referral with its outcome, never a received one', async () => {
      const id = await made();
      const scope = m.data.forCaller(await staffOf(provider));
      expect(await scope.transaction((db) => referrals.recordOutcome(db, id, 'ENGAGED', '2026-01-02'))).toBe(false);
      const patient = await m.get(PatientsService).register(await m.actor('provider_staff', provider, ['create', 'Patient']), person());
      await scope.transaction((db) => referrals.accept(db, id, patient.id));
      expect(await scope.transaction((db) => referrals.recordOutcome(db, id, 'ENGAGED', '2026-01-02'))).toBe(true);
      expect(await sql(`SELECT status, outcome, to_char(outcome_occurred_on, 'YYYY-MM-DD') AS on FROM referral WHERE id = $1`, [id])).toEqual([{ status: 'CLOSED', outcome: 'ENGAGED', on: '2026-01-02' }]);
    });
  });

  describe('ReferralsRepository.outcomeFacts', () => {
    it("reads the linked patient's consents naming the referring agency (none other), and the agreement, for referrals with a patient", async () => {
      const [p, a] = await m.organizations(['TREATMENT_PROVIDER', { part2Program: true, partnerships: false }], ['RESPONDER_AGENCY', { partnerships: false }]);
      await agreementInForce(p, a);
      await agreementInForce(p, otherAgency);
      const creator = await m.actor('provider_staff', p, ['create', 'Patient']);
      const patient = await m.get(PatientsService).register(creator, person());
      const naming = await m.get(ConsentsService).record(await m.actor('provider_staff', p, ['create', 'Consent']), { ...consentFor(patient.id, [a], ['REFERRAL_OUTCOME']), purpose: 'CARE_COORDINATION' });
      await m.get(ConsentsService).record(await m.actor('provider_staff', p, ['create', 'Consent']), consentFor(patient.id, [otherAgency], ['REFERRAL_OUTCOME']));
      const linked = await made(a, p);
      const unlinked = await made(a, p);
      const scope = m.data.forCaller(await staffOf(p));
      await scope.transaction((db) => referrals.accept(db, linked, patient.id));
      const facts = await m.data.forCaller(await responderOf(a)).transaction((db) => referrals.outcomeFacts(db, [linked, unlinked]));
      expect([...facts.keys()]).toEqual([linked]);
      expect(facts.get(linked)).toMatchObject({ partnershipInForce: true, consents: [{ id: naming.consent.id, purpose: 'CARE_COORDINATION', dataCategories: ['REFERRAL_OUTCOME'], recipientOrganizationIds: [a.id] }] });
      expect(await m.data.forCaller(await responderOf(a)).transaction((db) => referrals.outcomeFacts(db, []))).toEqual(new Map());
    });
  });

  describe('ReferralsRepository.forReport', () => {
    it("reads the agency's own referrals in the period, with nothing that names anyone", async () => {
      const [p, a] = await m.organizations(['TREATMENT_PROVIDER', { partnerships: false }], ['RESPONDER_AGENCY', { partnerships: false }]);
      const id = await made(a, p);
      await made(agency, p);
      const scope = m.data.forCaller(await m.actor('responder', a, ['read', 'AgencyReport']));
      const rows = await scope.transaction((db) => referrals.forReport(db, new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000)));
      expect(rows).toEqual([{ id, month: new Date().toISOString().slice(0, 7), status: 'RECEIVED', outcome: null, patientId: null, agencyOrganizationId: a.id, providerOrganizationId: p.id,
        // This month's accepted and engaged are not settled until the end of next month (docs/partnerships.md, "Feedback").
        settled: false, acceptedBySettlement: false, engagedBySettlement: false }]);
      expect(await scope.transaction((db) => referrals.forReport(db, new Date(Date.now() + 86_400_000), new Date(Date.now() + 2 * 86_400_000)))).toEqual([]);
      // Provider staff have no AgencyReport rule: nothing.
      expect(await m.data.forCaller(await staffOf(p)).transaction((db) => referrals.forReport(db, new Date(0), new Date(Date.now() + 86_400_000)))).toEqual([]);
    });
  });

  describe('AuditRepository.lookupsByMonth', () => {
    it("counts the agency's answered lookups per month and those that found information, from the audit log", async () => {
      const [a] = await m.organizations(['RESPONDER_AGENCY', { partnerships: false }]);
      const actor = await m.actor('responder', a, ['read', 'AgencyReport']);
      const scope = m.data.forCaller(actor);
      await scope.transaction(async (db) => {
        for (const outcome of ['DISCLOSED', 'NOT_DISCLOSED', 'NOT_DISCLOSED', 'RATE_LIMITED'] as const) {
          await m.get(AuditLedger).append(db, { action: 'responderLookup', outcome, incidentNumber: 'INC-1' });
        }
      });
      const counts = await scope.transaction((db) => m.get(AuditRepository).lookupsByMonth(db, DISCLOSURE_ACTIONS, new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000)));
      expect(counts).toEqual([{ month: new Date().toISOString().slice(0, 7), made: 3, withInformation: 1 }]);
      // Another agency's member counts none of them.
      const theirs = m.data.forCaller(await m.actor('responder', otherAgency, ['read', 'AgencyReport']));
      expect(await theirs.transaction((db) => m.get(AuditRepository).lookupsByMonth(db, DISCLOSURE_ACTIONS, new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000)))).toEqual([]);
    });
  });
});
