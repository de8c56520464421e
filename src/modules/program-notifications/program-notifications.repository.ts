import { Injectable } from '@nestjs/common';
import type { ScopedTx, ScopeColumns } from '@libs/database/data-access.js';
import type { Sql } from '@libs/database/sql.js';

/** Where each ProgramWebhook policy condition lives. */
const WEBHOOK_COLUMNS: ScopeColumns = { organizationKey: 'o.key' };

/** One §2.51 notification taken for delivery. */
export interface DueNotification {
  id: string;
  emergencyAccessId: string;
  disclosureId: string;
  occurredAt: Date;
  attempts: number;
  patientId: string;
  programId: string;
  programKey: string;
}

export interface StoredWebhook {
  organizationId: string;
  organizationKey: string;
  organizationName: string;
  url: string;
  secretEnc: string;
  updatedAt: Date;
}

/** All SQL of programs' notifications (the outbox the emergency_access trigger fills) and of their webhook endpoints. */
@Injectable()
export class ProgramNotificationsRepository {
  /**
   * Takes up to `limit` notifications that are due and not being delivered by another instance,
   * counting the attempt and leasing them for `leaseSeconds`: one statement, its own
   * transaction, so the lease holds while the HTTP request runs without a transaction open.
   */
  async claimDue(db: Sql, limit: number, leaseSeconds: number): Promise<DueNotification[]> {
    const rows = await db.query<{ id: string; emergency_access_id: string; audit_event_id: string; occurred_at: Date; attempts: number; patient_id: string; program_id: string; program_key: string }>(
      `WITH due AS (
         SELECT n.id FROM program_notification_outbox n
         WHERE n.delivered_at IS NULL AND n.next_attempt_at <= clock_timestamp() AND (n.leased_until IS NULL OR n.leased_until < clock_timestamp())
         ORDER BY n.next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       )
       , claimed AS (
         UPDATE program_notification_outbox n SET leased_until = clock_timestamp() + make_interval(secs => $2), attempts = n.attempts + 1
         FROM due, emergency_access a, organization o
         WHERE n.id = due.id AND a.id = n.emergency_access_id AND o.id = n.program_organization_id
         RETURNING n.id, n.emergency_access_id, n.audit_event_id, n.occurred_at, n.attempts, a.patient_id, o.id AS program_id, o.key AS program_key
       )
       SELECT * FROM claimed ORDER BY occurred_at`,
      [limit, leaseSeconds],
    );
    return rows.map((r) => ({
      id: r.id,
      emergencyAccessId: r.emergency_access_id,
      disclosureId: r.audit_event_id,
      occurredAt: r.occurred_at,
      attempts: r.attempts,
      patientId: r.patient_id,
      programId: r.program_id,
      programKey: r.program_key,
    }));
  }

  /** Marks a notification delivered; false when another instance already did. */
  async markDelivered(db: Sql, id: string, status: string): Promise<boolean> {
    const rows = await db.query<{ id: string }>(
      `WITH delivered AS (
         UPDATE program_notification_outbox SET delivered_at = clock_timestamp(), leased_until = NULL, last_status = $2
         WHERE id = $1 AND delivered_at IS NULL RETURNING id
       ) SELECT id FROM delivered`,
      [id, status],
    );
    return rows.length === 1;
  }

  /** Records a failed attempt (a status code, never the receiver's answer) and when to try again. */
  async markFailed(db: Sql, id: string, status: string, retryInMs: number): Promise<void> {
    await db.query(
      `WITH failed AS (
         UPDATE program_notification_outbox SET leased_until = NULL, last_status = $2, next_attempt_at = clock_timestamp() + make_interval(secs => $3::float8 / 1000)
         WHERE id = $1 AND delivered_at IS NULL RETURNING id
       ) SELECT id FROM failed`,
      [id, status, retryInMs],
    );
  }

  /** A program's endpoint changed: its waiting notifications are due at once. */
  async dueNow(db: Sql, organizationId: string): Promise<void> {
    await db.query(
      `WITH due AS (UPDATE program_notification_outbox SET next_attempt_at = clock_timestamp() WHERE program_organization_id = $1 AND delivered_at IS NULL RETURNING id)
       SELECT count(*) FROM due`,
      [organizationId],
    );
  }

  /** A program's endpoint if `db` may read it (the notifier's system act reaches every one). */
  async webhookOf(db: ScopedTx, organizationId: string): Promise<StoredWebhook | null> {
    return (await this.webhooks(db, organizationId))[0] ?? null;
  }

  /** The endpoints `db` may read (`ProgramWebhook.read`), or the one of `organizationId`, by program name. */
  async webhooks(db: ScopedTx, organizationId?: string): Promise<StoredWebhook[]> {
    const scope = db.rowsWhere('ProgramWebhook.read', WEBHOOK_COLUMNS);
    const params: unknown[] = [...scope.params];
    if (organizationId) params.push(organizationId);
    const rows = await db.query<{ organization_id: string; key: string; name: string; url: string; secret_enc: string; updated_at: Date }>(
      `SELECT w.organization_id, o.key, o.name, w.url, w.secret_enc, w.updated_at FROM program_webhook w JOIN organization o ON o.id = w.organization_id
       WHERE (${scope.sql})${organizationId ? ` AND w.organization_id = $${params.length}` : ''} ORDER BY o.name, o.key`,
      params,
    );
    return rows.map((r) => ({ organizationId: r.organization_id, organizationKey: r.key, organizationName: r.name, url: r.url, secretEnc: r.secret_enc, updatedAt: r.updated_at }));
  }

  async upsertWebhook(db: Sql, organizationId: string, url: string, secretEnc: string, updatedBy: string): Promise<void> {
    await db.query(
      `INSERT INTO program_webhook (organization_id, url, secret_enc, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (organization_id) DO UPDATE SET url = EXCLUDED.url, secret_enc = EXCLUDED.secret_enc, updated_at = clock_timestamp(), updated_by = EXCLUDED.updated_by`,
      [organizationId, url, secretEnc, updatedBy],
    );
  }

  async deleteWebhook(db: Sql, organizationId: string): Promise<boolean> {
    const rows = await db.query<{ organization_id: string }>(
      `WITH removed AS (DELETE FROM program_webhook WHERE organization_id = $1 RETURNING organization_id) SELECT organization_id FROM removed`,
      [organizationId],
    );
    return rows.length === 1;
  }
}
