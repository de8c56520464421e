import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ReadinessIndicators } from '@libs/health/readiness.js';
import { AuditLedgerHealth } from '@libs/ledger/audit-ledger-health.js';

/**
 * The audit ledger's part of readiness (C18): down while the sealer refuses to extend the ledger
 * (the database does not hold what the witnesses hold: checkpoints removed or replaced),
 * degraded while a witness does not answer (sealing waits; requests do not). The details — how
 * far sealing is behind, in seconds and events — are for operators, never for anonymous callers.
 */
@Injectable()
export class AuditLedgerReadiness implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessIndicators,
    private readonly ledger: AuditLedgerHealth,
  ) {}

  onModuleInit(): void {
    this.readiness.register('auditLedger', async () => {
      const state = await this.ledger.state();
      const status = state.refusal ? 'down' : state.witnessFailure ? 'degraded' : 'up';
      return {
        auditLedger: {
          status,
          checkpoint: state.checkpoint,
          unsealedEvents: state.unsealedEvents,
          sealLagSeconds: state.sealLagSeconds,
          ...(state.refusal ? { refusal: state.refusal } : {}),
          ...(state.witnessFailure ? { witnessFailure: state.witnessFailure } : {}),
        },
      };
    });
  }
}
