import { Injectable } from '@nestjs/common';
import type { Tx } from '@libs/database/transaction-runner.js';

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
  async claimDue(db: Tx, limit: number, leaseSeconds: number): Promise<DueNotification[]> {
    const rows: Array<{ id: string; emergency_access_id: string; audit_event_id: string; occurred_at: Date; attempts: number; patient_id: string; program_id: string; program_key: string }> = await db.query(
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
  async markDelivered(tx: Tx, id: string, status: string): Promise<boolean> {
    const rows: Array<{ id: string }> = await tx.query(
      `WITH delivered AS (
         UPDATE program_notification_outbox SET delivered_at = clock_timestamp(), leased_until = NULL, last_status = $2
         WHERE id = $1 AND delivered_at IS NULL RETURNING id
       ) SELECT id FROM delivered`,
      [id, status],
    );
    return rows.length === 1;
  }

  /** Records a failed attempt (a status code, never the receiver's answer) and when to try again. */
  async markFailed(db: Tx, id: string, status: string, retryInMs: number): Promise<void> {
    await db.query(
      `WITH failed AS (
         UPDATE program_notification_outbox SET leased_until = NULL, last_status = $2, next_attempt_at = clock_timestamp() + make_interval(secs => $3::float8 / 1000)
         WHERE id = $1 AND delivered_at IS NULL RETURNING id
       ) SELECT id FROM failed`,
      [id, status, retryInMs],
    );
  }

  /** A program's endpoint changed: its waiting notifications are due at once. */
  async dueNow(tx: Tx, organizationId: string): Promise<void> {
    await tx.query(
      `WITH due AS (UPDATE program_notification_outbox SET next_attempt_at = clock_timestamp() WHERE program_organization_id = $1 AND delivered_at IS NULL RETURNING id)
       SELECT count(*) FROM due`,
      [organizationId],
    );
  }

  async webhookOf(db: Tx, organizationId: string): Promise<StoredWebhook | null> {
    return (await this.webhooks(db, organizationId))[0] ?? null;
  }

  async webhooks(db: Tx, organizationId?: string): Promise<StoredWebhook[]> {
    const rows: Array<{ organization_id: string; key: string; name: string; url: string; secret_enc: string; updated_at: Date }> = await db.query(
      `SELECT w.organization_id, o.key, o.name, w.url, w.secret_enc, w.updated_at FROM program_webhook w JOIN organization o ON o.id = w.organization_id
       ${organizationId ? 'WHERE w.organization_id = $1' : ''} ORDER BY o.name, o.key`,
      organizationId ? [organizationId] : [],
    );
    return rows.map((r) => ({ organizationId: r.organization_id, organizationKey: r.key, organizationName: r.name, url: r.url, secretEnc: r.secret_enc, updatedAt: r.updated_at }));
  }

  async upsertWebhook(tx: Tx, organizationId: string, url: string, secretEnc: string, updatedBy: string): Promise<void> {
    await tx.query(
      `INSERT INTO program_webhook (organization_id, url, secret_enc, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (organization_id) DO UPDATE SET url = EXCLUDED.url, secret_enc = EXCLUDED.secret_enc, updated_at = clock_timestamp(), updated_by = EXCLUDED.updated_by`,
      [organizationId, url, secretEnc, updatedBy],
    );
  }

  async deleteWebhook(tx: Tx, organizationId: string): Promise<boolean> {
    const rows: Array<{ organization_id: string }> = await tx.query(
      `WITH removed AS (DELETE FROM program_webhook WHERE organization_id = $1 RETURNING organization_id) SELECT organization_id FROM removed`,
      [organizationId],
    );
    return rows.length === 1;
  }
}
