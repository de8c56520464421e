import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { decide } from '@libs/authorization/ability.js';
import { sqlScope } from '@libs/authorization/sql-scope.js';
import { TransactionRunner } from '@libs/database/transaction-runner.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { isUuid } from '@app/modules/patients/patients.service.js';
import { EMERGENCY_SCOPE_COLUMNS, type EmergencyRecordRow, ResponderRepository } from './responder.repository.js';

export type EmergencyRecord = EmergencyRecordRow & { natureOfEmergency: string; sort_time?: string };

/**
 * The program's side of §2.51: its medical-emergency records, listed (notifications) and
 * acknowledged by its own staff. Reading and acknowledging are audited.
 */
@Injectable()
export class EmergencyDisclosuresService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly responder: ResponderRepository,
    private readonly ledger: AuditLedger,
  ) {}

  list(actor: Actor, limit: number, after: [string, string] | null, pendingOnly: boolean): Promise<{ items: EmergencyRecord[]; hasNextPage: boolean }> {
    return this.transactions.run(async (tx) => {
      const scope = sqlScope(actor.ability, 'read', 'EmergencyDisclosure', EMERGENCY_SCOPE_COLUMNS);
      const page = await this.responder.emergencyRecords(tx, scope, limit, after, pendingOnly);
      await this.ledger.append(tx, actor, {
        action: 'emergencyDisclosures',
        outcome: 'SUCCESS',
        patientIds: [...new Set(page.items.map((r) => r.patient_id))],
        subjectOrganizationKeys: [...new Set(page.items.map((r) => r.program_key))],
        details: { count: page.items.length, pendingOnly },
      });
      return page;
    });
  }

  acknowledge(actor: Actor, id: string): Promise<EmergencyRecord> {
    return this.transactions.run(async (tx) => {
      const record = isUuid(id) ? await this.responder.emergencyRecord(tx, id) : null;
      if (!record || !decide(actor.ability, 'acknowledge', 'EmergencyDisclosure', { organizationKey: record.program_key, id: record.id }).allowed) {
        throw new BadUserInputError(['id'], 'NOT_FOUND');
      }
      if (!(await this.responder.acknowledge(tx, record.id, actor.principal.sub))) throw new BadUserInputError(['id'], 'ALREADY_ACKNOWLEDGED');
      await this.ledger.append(tx, actor, {
        action: 'acknowledgeEmergencyDisclosure',
        outcome: 'SUCCESS',
        patientIds: [record.patient_id],
        subjectOrganizationKeys: [record.program_key],
        details: { emergencyDisclosureId: record.id, disclosureId: record.audit_event_id },
      });
      return (await this.responder.emergencyRecord(tx, record.id))!;
    });
  }
}
