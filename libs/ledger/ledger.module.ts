import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '@libs/config/app-config.js';
import { APP_FILTER } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AuditLedgerHealth } from './audit-ledger-health.js';
import { AuditRowIntegrity } from './audit-integrity.js';
import { checkpointVerifier } from './audit-receipt.js';
import { AuditSealer } from './audit-sealer.js';
import { AUDIT_WITNESSES, openAuditWitnesses } from './audit-witness.js';
import { GraphqlRefusalAuditFilter } from './refusal-audit.filter.js';
import { AUDIT_SIGNING_KEY, type AuditSigningKey, openAuditSigningKey, publicKeySet } from './audit-signing-key.js';
import { AuditRepository } from './audit.repository.js';
import { AuditLedger } from './audit-ledger.js';
import { AuditPartitionMaintainer } from './audit-partition-maintainer.js';
import { RateLimiter } from './rate-limiter.js';

/** The audit ledger: its repository, appends (inside callers' transactions), rate limits, partitions, sealing, the signing key. */
@Global()
@Module({})
export class LedgerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LedgerModule,
      providers: [
        AuditRepository,
        AuditLedger,
        RateLimiter,
        AuditPartitionMaintainer,
        AuditSealer,
        { provide: AUDIT_SIGNING_KEY, useFactory: () => openAuditSigningKey(config) },
        // Where signed checkpoints go besides the database (C18): AUDIT_WITNESS_DIR, AUDIT_WITNESS_URL.
        {
          provide: AUDIT_WITNESSES,
          inject: [AUDIT_SIGNING_KEY, DataSource],
          useFactory: (key: AuditSigningKey, dataSource: DataSource) =>
            openAuditWitnesses(config.env, (dataSource.options as { url?: string }).url, checkpointVerifier(publicKeySet(key))),
        },
        AuditLedgerHealth,
        AuditRowIntegrity,
        { provide: APP_FILTER, useClass: GraphqlRefusalAuditFilter },
      ],
      exports: [AuditRepository, AuditLedger, RateLimiter, AuditSealer, AUDIT_SIGNING_KEY, AUDIT_WITNESSES, AuditLedgerHealth, AuditRowIntegrity],
    };
  }
}
