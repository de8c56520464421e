// ResponderRepository's statements against the real PostgreSQL: the lookup's one read, and the
// §2.51(c) records with their notifications, read and acknowledged only by their own program.
import { randomUUID } from 'node:crypto';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import { AccessScope, ScopedTx } from '@libs/database/data-access.js';
import { person } from '@libs/testing/provider-desk.js';
import { ConsentsService } from '@app/modules/consents/consents.service.js';
import { EnrollmentsService } from '@app/modules/enrollments/enrollments.service.js';
import { matchKeyInput } from '@app/modules/patients/identity-normalizer.js';
import { PatientsService } from '@app/modules/patients/patients.service.js';
import { type NewEmergencyRecord, ResponderRepository } from '@app/modules/responder/responder.repository.js';
import { ResponderService } from '@app/modules/responder/responder.service.js';
import { sql } from '../support/database.js';
import { consentFor, emergencyRecordOf, Medium, type MediumOrganization } from './support/medium.js';

describe('the responder lookup and §2.51 records (medium)', () => {
  const m = Medium.forThisFile();
  const responder = m.lazy(ResponderRepository);
  let [provider, other, agency] = [] as MediumOrganization[];
  beforeAll(async () => ([provider, other, agency] = await m.organizations(['TREATMENT_PROVIDER', { part2Program: true }], 'TREATMENT_PROVIDER', 'RESPONDER_AGENCY')));

  const staffOf = (organization: MediumOrganization) => m.actor('provider_staff', organization, ['read', 'EmergencyDisclosure']);
  /** A patient of `organization`, enrolled, with a consent naming `recipients`. */
  const consented = async (organization: MediumOrganization, recipients: MediumOrganization[], who = person()) => {
    const staff = await staffOf(organization);
    const patient = await m.get(PatientsService).register(staff, who);
    await m.get(EnrollmentsService).record(staff, { patientId: patient.id, programName: 'Program', serviceType: 'SUD_TREATMENT', startedOn: '2025-01-01', careTeam: [{ name: 'Jo', role: 'Nurse', phone: '+1 555 0100' }] });
    const consent = await m.get(ConsentsService).record(staff, consentFor(patient.id, recipients));
    return { patient, consentId: consent.consent.id, who };
  };
  const record = (patientId: string, program: MediumOrganization, overrides: Partial<NewEmergencyRecord> = {}) => emergencyRecordOf(patientId, program, agency, overrides);

  describe('ResponderRepository.candidates', () => {
    it('reads, in one statement, the clock and every record matching the identity, with active enrollments and the consents naming the caller only', async () => {
      const who = person({ givenName: 'Marisol' });
      const here = await consented(provider, [agency], who);
      const there = await consented(other, [await m.organization('RESPONDER_AGENCY')], { ...who, aliases: [] });
      const responderActor = await m.actor('responder', agency, ['lookup', 'ResponderView']);
      const key = m.get(FieldCipher).blindIndex(matchKeyInput(who.familyName, who.dateOfBirth, who.givenName));
      const { now, candidates } = await m.data.forCaller(responderActor).autocommit((db) => responder.candidates(db, key, agency.id));
      expect(Math.abs(now.getTime() - Date.now())).toBeLessThan(60_000);
      const byPatient = new Map(candidates.map((c) => [c.patientId, c]));
      expect([...byPatient.keys()].sort()).toEqual([here.patient.id, there.patient.id].sort());
      expect(byPatient.get(here.patient.id)!.consents.map((c) => c.id)).toEqual([here.consentId]);
      expect(byPatient.get(there.patient.id)!.consents).toEqual([]);
      expect(byPatient.get(here.patient.id)!.enrollments.map((e) => e.programName)).toEqual(['Program']);
      const none = await m.data.forCaller(responderActor).autocommit((db) => responder.candidates(db, 'no-such-key', agency.id));
      expect(none.candidates).toEqual([]);
    });

    it('counts a consent only while the partnership agreement is in force at the statement clock, and names that agreement (issue 15)', async () => {
      const who = person({ givenName: 'Ines' });
      const here = await consented(provider, [agency], who);
      const responderActor = await m.actor('responder', agency, ['lookup', 'ResponderView']);
      const key = m.get(FieldCipher).blindIndex(matchKeyInput(who.familyName, who.dateOfBirth, who.givenName));
      const read = async () => (await m.data.forCaller(responderActor).autocommit((db) => responder.candidates(db, key, agency.id))).candidates[0];
      const [agreement] = await sql<{ id: string }>(
        'SELECT id FROM partnership_agreement WHERE provider_org_id = $1 AND agency_org_id = $2 AND ended_at IS NULL',
        [provider.id, agency.id],
      );
      expect(await read()).toMatchObject({ partnershipAgreementId: agreement.id, consents: [expect.objectContaining({ id: here.consentId })] });
      await sql(`UPDATE partnership_agreement SET ended_at = clock_timestamp() - interval '1 second', ended_by = 'medium' WHERE id = $1`, [agreement.id]);
      try {
        // The record is still read (same statement whatever the outcome, C9); its consents no longer count.
        expect(await read()).toMatchObject({ patientId: here.patient.id, partnershipAgreementId: null, consents: [] });
      } finally {
        await sql(`UPDATE partnership_agreement SET ended_at = NULL, ended_by = NULL WHERE id = $1`, [agreement.id]);
      }
    });
  });

  describe('ResponderRepository.insertEmergencyRecord', () => {
    it('writes the §2.51(c) record, the nature of the emergency as ciphertext, and its pending notification to the program', async () => {
      const { patient } = await consented(provider, [agency]);
      const id = await m.data.forSystem('seedDemoData').transaction((db) => responder.insertEmergencyRecord(db, record(patient.id, provider)));
      const [stored] = await sql<Record<string, unknown>>('SELECT * FROM emergency_access WHERE id = $1', [id]);
      expect(JSON.stringify(stored)).not.toMatch(/overdose/);
      expect(await sql('SELECT program_organization_id, acknowledged_at FROM emergency_notification WHERE emergency_access_id = $1', [id])).toEqual([{ program_organization_id: provider.id, acknowledged_at: null }]);
    });
  });

  describe('ResponderRepository.emergencyRecords', () => {
    it('pages the program\'s own records newest first, pending only when asked, and none of another program', async () => {
      const program = await m.organization('TREATMENT_PROVIDER');
      const { patient } = await consented(program, [agency]);
      const system = m.data.forSystem('seedDemoData');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await system.transaction((db) => responder.insertEmergencyRecord(db, record(patient.id, program, { occurredAt: new Date(Date.now() + i * 1000) }))));
      const { patient: elsewhere } = await consented(other, [agency]);
      await system.transaction((db) => responder.insertEmergencyRecord(db, record(elsewhere.id, other)));
      const staff = m.data.forCaller(await staffOf(program));
      await staff.transaction((db) => responder.acknowledge(db, ids[2]));
      const first = await staff.transaction((db) => responder.emergencyRecords(db, 2, null, false));
      const rest = await staff.transaction((db) => responder.emergencyRecords(db, 2, first.items[1].sortKey, false));
      const pending = await staff.transaction((db) => responder.emergencyRecords(db, 10, null, true));
      expect([first.items.map((r) => r.id), first.hasNextPage, rest.items.map((r) => r.id), rest.hasNextPage]).toEqual([[ids[2], ids[1]], true, [ids[0]], false]);
      expect(pending.items.map((r) => r.id)).toEqual([ids[1], ids[0]]);
      expect(first.items[0]).toMatchObject({ programKey: program.key, natureOfEmergency: 'Unresponsive, suspected overdose', requesterName: 'Avery Medic' });
    });
  });

  describe('ResponderRepository.emergencyRecordToAcknowledge', () => {
    it('reads a record its program may acknowledge, locking its notification; nothing of another program', async () => {
      const { patient } = await consented(provider, [agency]);
      const id = await m.data.forSystem('seedDemoData').transaction((db) => responder.insertEmergencyRecord(db, record(patient.id, provider)));
      const found = await m.data.forCaller(await staffOf(provider)).transaction(async (db) => [
        (await responder.emergencyRecordToAcknowledge(db, id))?.id,
        await sql('SELECT id FROM emergency_notification WHERE emergency_access_id = $1 FOR UPDATE NOWAIT', [id]).then(
          () => 'not locked',
          (error: { code?: string }) => error.code,
        ),
      ]);
      expect(found).toEqual([id, '55P03']);
      expect(await m.data.forCaller(await staffOf(other)).transaction((db) => responder.emergencyRecordToAcknowledge(db, id))).toBeNull();
    });
  });

  describe('ResponderRepository.acknowledge', () => {
    it('acknowledges a pending notification once, as the scope', async () => {
      const { patient } = await consented(provider, [agency]);
      const id = await m.data.forSystem('seedDemoData').transaction((db) => responder.insertEmergencyRecord(db, record(patient.id, provider)));
      const staff = m.data.forCaller(await staffOf(provider));
      expect(await staff.transaction((db) => responder.acknowledge(db, id))).toBe(true);
      expect(await staff.transaction((db) => responder.acknowledge(db, id))).toBe(false);
      expect((await sql<{ acknowledged_by: string }>('SELECT acknowledged_by FROM emergency_notification WHERE emergency_access_id = $1', [id]))[0].acknowledged_by).toBe(staff.auditActor.sub);
    });
  });

  describe('ResponderRepository.naturesOfEmergency', () => {
    it('reads the nature of each emergency by (audit event, patient), only of programs whose disclosures the scope may read', async () => {
      const { patient } = await consented(provider, [agency]);
      const auditEventId = randomUUID();
      await m.data.forSystem('seedDemoData').transaction((db) => responder.insertEmergencyRecord(db, record(patient.id, provider, { auditEventId })));
      const officerOf = async (organization: MediumOrganization) => m.data.forCaller(await m.actor('compliance_officer', organization, ['read', 'Disclosure']));
      expect(await (await officerOf(provider)).transaction((db) => responder.naturesOfEmergency(db, [auditEventId]))).toEqual(
        new Map([[`${auditEventId}:${patient.id}`, 'Unresponsive, suspected overdose']]),
      );
      expect(await (await officerOf(other)).transaction((db) => responder.naturesOfEmergency(db, [auditEventId]))).toEqual(new Map());
    });
  });
  describe('ResponderService.lookup', () => {
    it('is two prepared statements on one connection, with no transaction around them (the hot path, bench:lookup)', async () => {
      const who = person();
      await consented(provider, [agency], who);
      const actor = await m.actor('responder', agency, ['lookup', 'ResponderView']);
      const calls: string[] = [];
      const spied = [
        [ScopedTx.prototype, 'prepared'],
        [ScopedTx.prototype, 'query'],
        [AccessScope.prototype, 'transaction'],
        [AccessScope.prototype, 'autocommit'],
      ] as const;
      const originals = spied.map(([target, name]) => [target, name, (target as unknown as Record<string, unknown>)[name]] as const);
      for (const [target, name, original] of originals) {
        (target as unknown as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
          calls.push(name === 'prepared' ? `prepared ${String(args[0])}` : name);
          return (original as (...a: unknown[]) => unknown).apply(this, args);
        };
      }
      try {
        const answer = await m.get(ResponderService).lookup(actor, { ...who, incidentNumber: 'INC-MEDIUM-2', purpose: 'CRISIS_RESPONSE' });
        expect(answer.outcome).toBe('INFORMATION_AVAILABLE');
      } finally {
        for (const [target, name, original] of originals) (target as unknown as Record<string, unknown>)[name] = original;
      }
      expect(calls).toEqual(['autocommit', 'prepared lookup-candidates', 'prepared audit-event-append-within-limit']);
    });
  });
});
