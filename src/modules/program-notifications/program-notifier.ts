import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { createHmac, randomInt } from 'node:crypto';
import { AppConfig } from '@libs/config/app-config.js';
import { describeConnectionLoss, isConnectionLoss } from '@libs/database/connection-loss.js';
import { DataAccess } from '@libs/database/data-access.js';
import { UnavailableError } from '@libs/graphql/errors.js';
import { describeInternalError } from '@libs/graphql/graphql.module.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { type DueNotification, ProgramNotificationsRepository } from './program-notifications.repository.js';
import { type ProgramEndpoint, ProgramWebhookEndpoints } from './program-webhook-endpoints.js';

/** Notifications taken per round, per instance. */
const BATCH = 20;
/** How long a taken notification is this instance's to deliver; another instance takes it after. */
const LEASE_SECONDS = 60;
/** A receiver that has not answered by then has failed this attempt. */
const REQUEST_TIMEOUT_MS = 10_000;
/** The longest wait between two attempts. */
const MAX_RETRY_MS = 3_600_000;

export const SIGNATURE_HEADER = 'X-Crisis-Link-Signature';
export const DELIVERY_HEADER = 'X-Crisis-Link-Delivery';

/** The body a program receives (DESIGN.md, Wave 2): ids and the time only, nothing identifying (C3). */
export function notificationBody(notification: Pick<DueNotification, 'disclosureId' | 'emergencyAccessId' | 'occurredAt'>): string {
  return JSON.stringify({
    type: 'emergency-disclosure',
    disclosureId: notification.disclosureId,
    emergencyDisclosureId: notification.emergencyAccessId,
    occurredAt: notification.occurredAt.toISOString(),
  });
}

/** `sha256=<hex HMAC-SHA256 of the raw body with the program's secret>`. */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Exponential backoff after the n-th failed attempt, capped at an hour, with ±20% jitter so programs are not hit in waves. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  const exponential = Math.min(MAX_RETRY_MS, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(exponential * (0.8 + randomInt(0, 401) / 1000));
}

/**
 * §2.51(c) "the program is notified": a small worker that delivers the outbox the
 * emergency_access trigger fills to each program's webhook, signed with the program's secret,
 * retried with backoff until a 2xx. At least once: a receiver may see a delivery again (the
 * `X-Crisis-Link-Delivery` header is the same each time). Any instance may deliver; a lease keeps
 * two from sending the same notification at once. A delivery is recorded in the audit ledger in
 * the transaction that marks it delivered.
 */
@Injectable()
export class ProgramNotifier implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly config: AppConfig,
    private readonly data: DataAccess,
    private readonly repository: ProgramNotificationsRepository,
    private readonly endpoints: ProgramWebhookEndpoints,
    private readonly ledger: AuditLedger,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('ProgramNotifier');
  }

  onApplicationBootstrap(): void {
    const interval = this.config.env.PROGRAM_WEBHOOK_POLL_INTERVAL_MS;
    if (interval === 0) return;
    this.timer = setInterval(() => void this.deliverDue().catch(() => undefined), interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One round: delivers what is due; returns how many were delivered. Rounds of one instance never overlap. */
  deliverDue(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.round()
      .catch((error: unknown) => {
        if (error instanceof UnavailableError || isConnectionLoss(error)) this.logger.warn(describeConnectionLoss(error), 'program notification round skipped: database unavailable');
        else this.logger.error(describeInternalError(error), 'program notification round failed');
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<number> {
    const due = await this.data.forSystem('notifyPrograms').autocommit((db) => this.repository.claimDue(db, BATCH, LEASE_SECONDS));
    let delivered = 0;
    for (const notification of due) if (await this.deliver(notification)) delivered += 1;
    return delivered;
  }

  private async deliver(notification: DueNotification): Promise<boolean> {
    const endpoint = await this.data.forSystem('notifyPrograms').autocommit((db) => this.endpoints.of(db, { id: notification.programId, key: notification.programKey }));
    const status = endpoint ? await this.post(endpoint, notification) : 'NO_ENDPOINT';
    if (/^HTTP_2\d\d$/.test(status)) {
      await this.data.forSystem('notifyPrograms').transaction(async (db) => {
        if (!(await this.repository.markDelivered(db, notification.id, status))) return;
        await this.ledger.append(db, {
          action: 'notifyProgram',
          outcome: 'SUCCESS',
          patientIds: [notification.patientId],
          subjectOrganizationKeys: [notification.programKey],
          details: { emergencyDisclosureId: notification.emergencyAccessId, disclosureId: notification.disclosureId, attempts: notification.attempts, endpoint: endpoint!.source },
        });
      });
      return true;
    }
    const retryInMs = retryDelayMs(notification.attempts, this.config.env.PROGRAM_WEBHOOK_RETRY_BASE_MS);
    await this.data.forSystem('notifyPrograms').autocommit((db) => this.repository.markFailed(db, notification.id, status, retryInMs));
    // Codes and ids only: neither the address nor the receiver's answer is logged. A program
    // without an endpoint relies on the in-app list: not worth a warning each time.
    const line = { notificationId: notification.id, program: notification.programKey, status, attempts: notification.attempts, retryInMs };
    if (status === 'NO_ENDPOINT') this.logger.debug(line, 'program notification waits for an endpoint');
    else this.logger.warn(line, 'program notification not delivered; will retry');
    return false;
  }

  /** POSTs the signed body; the outcome as a code (`HTTP_204`, `HTTP_500`, `TIMEOUT`, `NETWORK_ERROR`). Redirects are not followed. */
  private async post(endpoint: ProgramEndpoint, notification: DueNotification): Promise<string> {
    const body = notificationBody(notification);
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'crisis-link',
          [SIGNATURE_HEADER]: signatureOf(body, endpoint.secret),
          [DELIVERY_HEADER]: notification.id,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.body?.cancel().catch(() => undefined);
      return `HTTP_${response.status}`;
    } catch (error) {
      return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'TIMEOUT' : 'NETWORK_ERROR';
    }
  }
}
