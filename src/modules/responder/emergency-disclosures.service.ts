import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { DataAccess } from '@libs/database/data-access.js';
import type { KeysetPage } from '@libs/database/sql.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { type EmergencyRecord, ResponderRepository } from './responder.repository.js';

/**
 * The program's side of §2.51: its medical-emergency records, listed (notifications) and
 * acknowledged by its own staff; another program's are never read. Reading and acknowledging
 * are audited.
 */
@Injectable()
export class EmergencyDisclosuresService {
  constructor(
    private readonly data: DataAccess,
    private readonly responder: ResponderRepository,
    private readonly ledger: AuditLedger,
  ) {}

  list(actor: Actor, limit: number, after: readonly [string, string] | null, pendingOnly: boolean): Promise<KeysetPage<EmergencyRecord>> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const page = await this.responder.emergencyRecords(db, limit, after, pendingOnly);
      await this.ledger.append(db, {
        action: 'emergencyDisclosures',
        outcome: 'SUCCESS',
        patientIds: [...new Set(page.items.map((r) => r.patientId))],
        subjectOrganizationKeys: [...new Set(page.items.map((r) => r.programKey))],
        details: { count: page.items.length, pendingOnly },
      });
      return page;
    });
  }

  acknowledge(actor: Actor, id: string): Promise<EmergencyRecord> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const record = await this.responder.emergencyRecordToAcknowledge(db, id);
      if (!record) throw new BadUserInputError(['id'], 'NOT_FOUND');
      if (!(await this.responder.acknowledge(db, record.id))) throw new BadUserInputError(['id'], 'ALREADY_ACKNOWLEDGED');
      await this.ledger.append(db, {
        action: 'acknowledgeEmergencyDisclosure',
        outcome: 'SUCCESS',
        patientIds: [record.patientId],
        subjectOrganizationKeys: [record.programKey],
        details: { emergencyDisclosureId: record.id, disclosureId: record.auditEventId },
      });
      return (await this.responder.emergencyRecordToAcknowledge(db, record.id))!;
    });
  }
}
