import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '@libs/config/app-config.js';
import { APP_FILTER } from '@nestjs/core';
import { AuditSealer } from './audit-sealer.js';
import { GraphqlErrorFilter } from './refusal-audit.filter.js';
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
        { provide: APP_FILTER, useClass: GraphqlErrorFilter },
      ],
      exports: [AuditLedger, AuditSealer, AUDIT_SIGNING_KEY],
    };
  }
}
