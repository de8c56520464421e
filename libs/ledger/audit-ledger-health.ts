import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@libs/database/transaction-runner.js';
import { AuditLedgerStore } from './audit-ledger-store.js';
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
    private readonly transactions: TransactionRunner,
    private readonly sealer: AuditSealer,
  ) {}

  async state(): Promise<AuditLedgerState> {
    if (!this.cached || Date.now() - this.cached.at >= 1000) {
      const lag = this.transactions.autocommit((db) => new AuditLedgerStore((sql, params) => db.query(sql, params)).sealingLag());
      this.cached = { at: Date.now(), lag };
      lag.catch(() => (this.cached = undefined));
    }
    const lag = await this.cached.lag;
    return { ...this.sealer.status(), checkpoint: lag.checkpoint, unsealedEvents: lag.unsealedEvents, sealLagSeconds: lag.lagSeconds };
  }
}
