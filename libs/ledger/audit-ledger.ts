import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { ScopedTx } from '@libs/database/data-access.js';
import { UnavailableError } from '@libs/graphql/errors.js';
import type { AppendedAuditEvent, AuditEventInput } from './audit-event.js';
import { AuditRepository } from './audit.repository.js';

/**
 * Appends audit events inside the caller's transaction (C16, C17): if the append fails, the
 * transaction and whatever it read or changed fail with it, and nothing is returned.
 */
@Injectable()
export class AuditLedger {
  constructor(
    private readonly audit: AuditRepository,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('AuditLedger');
  }

  /** Appends `event` as done by whoever `db` acts for. Throws UNAVAILABLE when it cannot be written; the transaction then rolls back. */
  append(db: ScopedTx, event: AuditEventInput): Promise<AppendedAuditEvent> {
    return this.failClosed(event, () => this.audit.append(db, event));
  }

  /** Runs an append (or a statement that appends), refusing the operation when it fails (C17). */
  async failClosed<T>(event: AuditEventInput, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const pg = error as { code?: string };
      this.logger.error({ action: event.action, pgCode: pg.code }, 'audit append failed: the operation is refused (fail-closed)');
      throw new UnavailableError();
    }
  }
}
