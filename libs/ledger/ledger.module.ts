import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '@libs/config/app-config.js';
import { AuditSealer } from './audit-sealer.js';
import { AUDIT_SIGNING_KEY, openAuditSigningKey } from './audit-signing-key.js';
import { AuditEventRepository } from './audit-event.repository.js';
import { AuditLedger } from './audit-ledger.js';
import { AuditPartitionMaintainer } from './audit-partition-maintainer.js';

/** The audit ledger: appends (inside callers' transactions), partitions, sealing, the signing key. */
@Global()
@Module({})
export class LedgerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LedgerModule,
      providers: [
        AuditEventRepository,
        AuditLedger,
        AuditPartitionMaintainer,
        AuditSealer,
        { provide: AUDIT_SIGNING_KEY, useFactory: () => openAuditSigningKey(config) },
      ],
      exports: [AuditLedger, AuditSealer, AUDIT_SIGNING_KEY],
    };
  }
}
