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

  /**
   * Seconds until `sub` may `action` again under a limit of `limit` attempts in `windowSeconds`:
   * when the `limit`-th newest counted attempt (as audit_append_rate_limited counts them) leaves
   * the sliding window.
   */
  async retryAfterSeconds(tx: Tx, sub: string, action: string, limit: number, windowSeconds: number): Promise<number> {
    const rows: Array<{ seconds: number | null }> = await tx.query(
      `SELECT GREATEST(1, CEIL(EXTRACT(EPOCH FROM (e.occurred_at + make_interval(secs => $3) - now()))))::int AS seconds
         FROM audit_event e
        WHERE e.actor_sub = $1 AND e.action = $2 AND e.outcome <> 'RATE_LIMITED' AND e.occurred_at > now() - make_interval(secs => $3)
        ORDER BY e.occurred_at DESC OFFSET $4 LIMIT 1`,
      [sub, action, windowSeconds, limit - 1],
    );
    return rows[0]?.seconds ?? 1;
  }

  /** Creates the monthly partitions from `firstOffset` to `lastOffset` months from now. */
  async ensurePartitions(tx: Tx, firstOffset: number, lastOffset: number): Promise<number> {
    const rows: Array<{ created: number }> = await tx.query('SELECT audit_event_ensure_partitions($1, $2) AS created', [firstOffset, lastOffset]);
    return rows[0].created;
  }
}
