import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { UnavailableError } from '@libs/graphql/errors.js';
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
  constructor(
    private readonly events: AuditEventRepository,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('AuditLedger');
  }

  /** Throws UNAVAILABLE when the event cannot be written; the caller's transaction then rolls back. */
  append(tx: Tx, actor: Actor | AuditActor, event: AuditEventInput): Promise<AppendedAuditEvent> {
    return this.failClosed(event, () => this.events.insert(tx, this.actorOf(actor), event));
  }

  /**
   * Appends the event, or a RATE_LIMITED one (without any disclosure) when the actor already
   * made `limit` attempts at this action in the last `windowSeconds`. The count is shared by
   * every instance and exact under parallel requests (a per-person lock in PostgreSQL).
   */
  appendWithinRateLimit(
    tx: Tx,
    actor: Actor | AuditActor,
    event: AuditEventInput,
    limit: { attempts: number; windowSeconds: number },
  ): Promise<AppendedAuditEvent & { rateLimited: boolean; retryAfterSeconds?: number }> {
    const who = this.actorOf(actor);
    return this.failClosed(event, async () => {
      const appended = await this.events.insertRateLimited(tx, who, event, limit.attempts, limit.windowSeconds);
      if (!appended.rateLimited) return appended;
      // When the caller may try again, so a person can act on the refusal (RATE_LIMITED).
      return { ...appended, retryAfterSeconds: await this.events.retryAfterSeconds(tx, who.sub, event.action, limit.attempts, limit.windowSeconds) };
    });
  }

  private actorOf(actor: Actor | AuditActor): AuditActor {
    return 'principal' in actor ? auditActorOf(actor) : actor;
  }

  private async failClosed<T>(event: AuditEventInput, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const pg = error as { code?: string };
      this.logger.error({ action: event.action, pgCode: pg.code }, 'audit append failed: the operation is refused (fail-closed)');
      throw new UnavailableError();
    }
  }
}
