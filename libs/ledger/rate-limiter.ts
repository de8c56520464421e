import { Injectable } from '@nestjs/common';
import type { ScopedTx } from '@libs/database/data-access.js';
import type { AppendedAuditEvent, AuditEventInput } from './audit-event.js';
import { AuditLedger } from './audit-ledger.js';
import { AuditRepository } from './audit.repository.js';

/** At most `attempts` at one action per person in a sliding window of `windowSeconds`. */
export interface RateLimit {
  attempts: number;
  windowSeconds: number;
}

/** An attempt, as the ledger recorded it: within the limit, or refused and when to try again. */
export type RecordedAttempt = AppendedAuditEvent & ({ rateLimited: false } | { rateLimited: true; retryAfterSeconds: number });

/**
 * Per-person rate limits counted from the audit ledger itself: every attempt is an audit event,
 * so the count is shared by every instance, survives restarts and needs no other store. The
 * count and the append are one statement under a per-person lock in PostgreSQL, exact under
 * parallel requests (C8, C17).
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly ledger: AuditLedger,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Appends `event` when its actor is within `limit` at `event.action`; otherwise appends a
   * RATE_LIMITED event without any disclosure instead, and says when a person may try again.
   */
  attempt(db: ScopedTx, event: AuditEventInput, limit: RateLimit): Promise<RecordedAttempt> {
    return this.ledger.failClosed(event, async () => {
      const appended = await this.audit.appendWithinLimit(db, event, limit.attempts, limit.windowSeconds);
      if (!appended.rateLimited) return { ...appended, rateLimited: false };
      const retryAfterSeconds = await this.audit.retryAfterSeconds(db, db.auditActor.sub, event.action, limit.attempts, limit.windowSeconds);
      return { ...appended, rateLimited: true, retryAfterSeconds };
    });
  }
}
