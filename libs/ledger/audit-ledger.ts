import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import type { Tx } from '@libs/database/transaction-runner.js';
import { type AppendedAuditEvent, type AuditActor, auditActorOf, type AuditEventInput } from './audit-event.js';
import { AuditEventRepository } from './audit-event.repository.js';

/**
 * Appends audit events inside the caller's transaction (C16, C17): if the append fails, the
 * transaction and whatever it read or changed fail with it, and nothing is returned.
 */
@Injectable()
export class AuditLedger {
  constructor(private readonly events: AuditEventRepository) {}

  append(tx: Tx, actor: Actor | AuditActor, event: AuditEventInput): Promise<AppendedAuditEvent> {
    const auditActor = 'principal' in actor ? auditActorOf(actor) : actor;
    return this.events.insert(tx, auditActor, event);
  }
}
