import { Injectable } from '@nestjs/common';
import { AuditLedgerHealth } from '@libs/ledger/audit-ledger-health.js';

interface Gauge {
  name: string;
  help: string;
  value: number;
}

/** The service's metrics, as gauges without labels: figures only, never a value that could name a person (C3). */
@Injectable()
export class MetricsService {
  constructor(private readonly ledger: AuditLedgerHealth) {}

  async exposition(): Promise<string> {
    const state = await this.ledger.state();
    const gauges: Gauge[] = [
      { name: 'crisis_link_audit_seal_lag_seconds', help: 'Age of the oldest audit event not yet in a signed checkpoint; 0 when every event is sealed.', value: state.sealLagSeconds },
      { name: 'crisis_link_audit_unsealed_events', help: 'Audit events after the newest signed checkpoint.', value: state.unsealedEvents },
      { name: 'crisis_link_audit_checkpoint', help: 'Number of the newest signed audit checkpoint in the database.', value: state.checkpoint },
      { name: 'crisis_link_audit_ledger_refused', help: '1 while the sealer refuses to extend the ledger: the database does not hold what a witness holds (C18).', value: state.refusal ? 1 : 0 },
      { name: 'crisis_link_audit_witness_unanswered', help: '1 while a witness does not answer: the newest checkpoint is not counted as done and sealing waits.', value: state.witnessFailure ? 1 : 0 },
    ];
    return gauges.map((g) => `# HELP ${g.name} ${g.help}\n# TYPE ${g.name} gauge\n${g.name} ${Number.isFinite(g.value) ? g.value : 0}\n`).join('');
  }
}
