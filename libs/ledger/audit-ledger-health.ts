import { Injectable } from '@nestjs/common';
import { DataAccess } from '@libs/database/data-access.js';
import { AuditRepository } from './audit.repository.js';
import { AuditSealer, type SealerStatus } from './audit-sealer.js';

/** How the ledger stands, for readiness and metrics: numbers and witness names only, never PHI (C3). */
export interface AuditLedgerState extends SealerStatus {
  /** The newest checkpoint in the database (0: none). */
  checkpoint: number;
  /** Events after the newest checkpoint. */
  unsealedEvents: number;
  /** Age of the oldest of them, by the database's clock; 0 when every event is sealed. */
  sealLagSeconds: number;
}

/** Reads the database's part at most once a second, however often readiness and metrics are asked; the sealer's part is live. */
@Injectable()
export class AuditLedgerHealth {
  private cached?: { at: number; lag: Promise<{ checkpoint: number; unsealedEvents: number; lagSeconds: number }> };

  constructor(
    private readonly data: DataAccess,
    private readonly audit: AuditRepository,
    private readonly sealer: AuditSealer,
  ) {}

  async state(): Promise<AuditLedgerState> {
    if (!this.cached || Date.now() - this.cached.at >= 1000) {
      const lag = this.data.forSystem('reportAuditLedger').autocommit((db) => this.audit.sealingLag(db));
      this.cached = { at: Date.now(), lag };
      lag.catch(() => (this.cached = undefined));
    }
    const lag = await this.cached.lag;
    return { ...this.sealer.status(), checkpoint: lag.checkpoint, unsealedEvents: lag.unsealedEvents, sealLagSeconds: lag.lagSeconds };
  }
}
