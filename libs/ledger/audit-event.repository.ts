import { Injectable } from '@nestjs/common';
import { queryPrepared, type Tx } from '@libs/database/transaction-runner.js';
import type { AppendedAuditEvent, AuditActor, AuditEventInput } from './audit-event.js';

/** The arguments of audit_append and audit_append_rate_limited after their own, in order. */
function eventParameters(actor: AuditActor, event: AuditEventInput): unknown[] {
  return [
    event.action,
    event.outcome,
    actor.sub,
    actor.organizationKey,
    actor.roles,
    actor.name,
    event.patientIds ?? [],
    event.subjectOrganizationKeys ?? [],
    event.incidentNumber ?? null,
    event.purpose ?? null,
    event.basis ?? null,
    event.consentIds ?? [],
    event.disclosedCategories ?? [],
    actor.policyVersion,
    actor.policyRule,
    actor.requestId,
    event.details ?? {},
  ];
}

/** All SQL on audit_event. Inserts only: the table refuses UPDATE, DELETE and TRUNCATE (C18). */
@Injectable()
export class AuditEventRepository {
  async insert(tx: Tx, actor: AuditActor, event: AuditEventInput): Promise<AppendedAuditEvent> {
    // Through audit_append, which takes the transaction id before the sequence (see AuditSealing).
    const rows = await queryPrepared<{ id: string; sequence: string; occurred_at: Date }>(
      tx,
      'audit-event-append',
      `SELECT * FROM audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      eventParameters(actor, event),
    );
    const row = rows[0];
    return { id: row.id, sequence: String(row.sequence), occurredAt: row.occurred_at };
  }

  /**
   * Appends the event unless the actor has reached `limit` attempts at this action in the
   * window, in which case a RATE_LIMITED event without any disclosure is appended instead.
   * One statement (see migration AuditAppendWithRateLimit).
   */
  async insertRateLimited(
    tx: Tx,
    actor: AuditActor,
    event: AuditEventInput,
    limit: number,
    windowSeconds: number,
  ): Promise<AppendedAuditEvent & { rateLimited: boolean }> {
    const rows = await queryPrepared<{ id: string; sequence: string; occurred_at: Date; rate_limited: boolean }>(
      tx,
      'audit-event-insert-rate-limited',
      `SELECT * FROM audit_append_rate_limited($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      [limit, windowSeconds, ...eventParameters(actor, event)],
    );
    const row = rows[0];
    return { id: row.id, sequence: String(row.sequence), occurredAt: row.occurred_at, rateLimited: row.rate_limited };
  }

  /** Creates the monthly partitions from `firstOffset` to `lastOffset` months from now. */
  async ensurePartitions(tx: Tx, firstOffset: number, lastOffset: number): Promise<number> {
    const rows: Array<{ created: number }> = await tx.query('SELECT audit_event_ensure_partitions($1, $2) AS created', [firstOffset, lastOffset]);
    return rows[0].created;
  }
}
