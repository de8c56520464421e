import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { DataAccess } from '@libs/database/data-access.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import type { Principal } from '@libs/auth/principal.js';

/**
 * Who am I: the verified principal, nothing from the database beyond its organisation. The read
 * is audited (C16), so the log shows when a person opened the app.
 */
@Injectable()
export class MeService {
  constructor(
    private readonly data: DataAccess,
    private readonly ledger: AuditLedger,
  ) {}

  async me(actor: Actor): Promise<{ principal: Principal; multiFactor: boolean }> {
    // One statement, its own transaction: BEGIN and COMMIT around it would add two round trips.
    await this.data.forCaller(actor).autocommit((db) => this.ledger.append(db, { action: 'me', outcome: 'SUCCESS' }));
    const principal = actor.principal;
    return { principal, multiFactor: principal.multiFactor === true };
  }
}
