// The §2.51 notification outbox and programs' webhook endpoints against the real PostgreSQL
// (issue 14), and the directory of organisations by kind. The outbox is shared by every test
// running: each statement here runs in a transaction that is rolled back, on this test's own row
// put first in line, so no other test's notification is taken.
import { randomUUID } from 'node:crypto';
import { person } from '@libs/testing/provider-desk.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { PatientsService } from '@app/modules/patients/patients.service.js';
import { ProgramNotificationsRepository } from '@app/modules/program-notifications/program-notifications.repository.js';
import { ResponderRepository } from '@app/modules/responder/responder.repository.js';
import { Medium, type MediumOrganization } from './support/medium.js';

describe('program notifications (medium)', () => {
  const m = Medium.forThisFile();
  // Built here rather than from the module: the module's notifier would start delivering.
  const notifications = new ProgramNotificationsRepository();
  let program: MediumOrganization;
  let agency: MediumOrganization;
  let patientId: string;

  beforeAll(async () => {
    program = await m.organization('TREATMENT_PROVIDER', { part2Program: true });
    agency = await m.organization('RESPONDER_AGENCY');
    patientId = (await m.get(PatientsService).register(await m.actor('provider_staff', program, ['create', 'Patient']), person())).id;
  });

  /** A §2.51 record of this test's program (the trigger queues its notification), first in line. */
  const emergencyRecord = async (db: Parameters<ResponderRepository['insertEmergencyRecord']>[0]) => {
    const id = await m.get(ResponderRepository).insertEmergencyRecord(db, {
      auditEventId: randomUUID(),
      programOrganizationId: program.id,
      patientId,
      requesterSub: 'medic',
      requesterName: 'Medic',
      requesterAffiliation: agency.name,
      requesterOrganizationId: agency.id,
      disclosedBy: 'crisis-link',
      occurredAt: new Date(),
      natureOfEmergency: 'Overdose',
      incidentNumber: 'INC-1',
      disclosedCategories: ['TREATMENT_STATUS'],
    });
    await db.query(`UPDATE program_notification_outbox SET next_attempt_at = '2000-01-01' WHERE emergency_access_id = $1`, [id]);
    return id;
  };

  const outboxRow = (db: { query<T>(text: string, params?: unknown[]): Promise<T[]> }, id: string) =>
    db.query<{ attempts: number; leased: boolean; due: boolean; delivered: boolean; last_status: string | null }>(
      `SELECT attempts, leased_until IS NOT NULL AS leased, next_attempt_at <= clock_timestamp() AS due, delivered_at IS NOT NULL AS delivered, last_status
       FROM program_notification_outbox WHERE id = $1`,
      [id],
    ).then((rows) => rows[0]);

  describe('ProgramNotificationsRepository.claimDue', () => {
    it('takes the due notification, counts the attempt and leases it', async () => {
      const result = await m.rolledBack(m.data.forSystem('notifyPrograms'), async (db) => {
        const emergencyAccessId = await emergencyRecord(db);
        const [claimed] = await notifications.claimDue(db, 1, 60);
        return { emergencyAccessId, claimed, row: await outboxRow(db, claimed.id) };
      });
      expect(result.claimed).toMatchObject({ emergencyAccessId: result.emergencyAccessId, attempts: 1, patientId, programId: program.id, programKey: program.key });
      // Leased: no other instance takes it while this one delivers.
      expect(result.row).toMatchObject({ attempts: 1, leased: true, delivered: false });
    });
  });

  describe('ProgramNotificationsRepository.markFailed', () => {
    it('records the status, ends the lease and sets the next attempt', async () => {
      const row = await m.rolledBack(m.data.forSystem('notifyPrograms'), async (db) => {
        await emergencyRecord(db);
        const [claimed] = await notifications.claimDue(db, 1, 60);
        await notifications.markFailed(db, claimed.id, 'HTTP_500', 60_000);
        return outboxRow(db, claimed.id);
      });
      expect(row).toEqual({ attempts: 1, leased: false, due: false, delivered: false, last_status: 'HTTP_500' });
    });
  });

  describe('ProgramNotificationsRepository.dueNow', () => {
    it('makes a program\'s waiting notifications due at once', async () => {
      const row = await m.rolledBack(m.data.forSystem('notifyPrograms'), async (db) => {
        await emergencyRecord(db);
        const [claimed] = await notifications.claimDue(db, 1, 60);
        await notifications.markFailed(db, claimed.id, 'NO_ENDPOINT', 3_600_000);
        await notifications.dueNow(db, program.id);
        return outboxRow(db, claimed.id);
      });
      expect(row).toMatchObject({ due: true, delivered: false, last_status: 'NO_ENDPOINT' });
    });
  });

  describe('ProgramNotificationsRepository.markDelivered', () => {
    it('marks a notification delivered once: a second instance is told it already was', async () => {
      const result = await m.rolledBack(m.data.forSystem('notifyPrograms'), async (db) => {
        await emergencyRecord(db);
        const [claimed] = await notifications.claimDue(db, 1, 60);
        return { first: await notifications.markDelivered(db, claimed.id, 'HTTP_204'), second: await notifications.markDelivered(db, claimed.id, 'HTTP_204'), row: await outboxRow(db, claimed.id) };
      });
      expect(result).toEqual({ first: true, second: false, row: expect.objectContaining({ delivered: true, leased: false, last_status: 'HTTP_204' }) });
    });
  });

  describe('ProgramNotificationsRepository.upsertWebhook', () => {
    it('sets a program\'s endpoint, then replaces it', async () => {
      const admin = m.data.forCaller(await m.actor('admin', await m.organization('OVERSIGHT'), ['read', 'ProgramWebhook']));
      const stored = await m.rolledBack(admin, async (db) => {
        await notifications.upsertWebhook(db, program.id, 'https://first.example/hook', 'enc-1', db.auditActor.sub);
        await notifications.upsertWebhook(db, program.id, 'https://second.example/hook', 'enc-2', db.auditActor.sub);
        return notifications.webhookOf(db, program.id);
      });
      expect(stored).toMatchObject({ organizationId: program.id, organizationKey: program.key, organizationName: program.name, url: 'https://second.example/hook', secretEnc: 'enc-2' });
    });
  });

  describe('ProgramNotificationsRepository.webhooks', () => {
    it('lists the endpoints the scope may read: every one for an admin, none for provider staff', async () => {
      const admin = m.data.forCaller(await m.actor('admin', await m.organization('OVERSIGHT'), ['read', 'ProgramWebhook']));
      const staff = m.data.forCaller(await m.actor('provider_staff', program, ['read', 'Patient']));
      const seen = async (scope: typeof admin) =>
        m.rolledBack(scope, async (db) => {
          await notifications.upsertWebhook(db, program.id, 'https://program.example/hook', 'enc', db.auditActor.sub);
          return (await notifications.webhooks(db)).map((w) => w.organizationKey);
        });
      expect(await seen(admin)).toContain(program.key);
      expect(await seen(staff)).toEqual([]);
    });
  });

  describe('ProgramNotificationsRepository.webhookOf', () => {
    it('reads nothing for a program without an endpoint', async () => {
      expect(await m.data.forSystem('notifyPrograms').transaction((db) => notifications.webhookOf(db, program.id))).toBeNull();
    });
  });

  describe('ProgramNotificationsRepository.deleteWebhook', () => {
    it('removes a program\'s endpoint once', async () => {
      const admin = m.data.forCaller(await m.actor('admin', await m.organization('OVERSIGHT'), ['update', 'ProgramWebhook']));
      const removed = await m.rolledBack(admin, async (db) => {
        await notifications.upsertWebhook(db, program.id, 'https://program.example/hook', 'enc', db.auditActor.sub);
        return [await notifications.deleteWebhook(db, program.id), await notifications.deleteWebhook(db, program.id), await notifications.webhookOf(db, program.id)];
      });
      expect(removed).toEqual([true, false, null]);
    });
  });

  describe('OrganizationsRepository.listOfKind', () => {
    it('lists the organisations of one kind only', async () => {
      const staff = m.data.forCaller(await m.actor('provider_staff', program, ['read', 'RecipientOrganization']));
      const agencies = await staff.transaction((db) => m.get(OrganizationsRepository).listOfKind(db, 'RESPONDER_AGENCY'));
      expect(agencies.map((o) => o.key)).toContain(agency.key);
      expect(agencies.every((o) => o.kind === 'RESPONDER_AGENCY')).toBe(true);
    });
  });
});
