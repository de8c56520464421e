import { Global, Module } from '@nestjs/common';
import { AuditEventRepository } from './audit-event.repository.js';
import { AuditLedger } from './audit-ledger.js';
import { AuditPartitionMaintainer } from './audit-partition-maintainer.js';

@Global()
@Module({
  providers: [AuditEventRepository, AuditLedger, AuditPartitionMaintainer],
  exports: [AuditLedger],
})
export class LedgerModule {}
