import { Module } from '@nestjs/common';
import { OrganizationStoreModule } from '@app/modules/organizations/organizations.module.js';
import { PatientsModule } from '@app/modules/patients/patients.module.js';
import { ResponderModule } from '@app/modules/responder/responder.module.js';
import { AuditKeysController } from './audit-keys.controller.js';
import { AuditLedgerReadiness } from './audit-ledger.readiness.js';
import { AccountingResolver, AuditResolver } from './audit.resolver.js';
import { AuditService } from './audit.service.js';

@Module({
  imports: [PatientsModule, OrganizationStoreModule, ResponderModule],
  controllers: [AuditKeysController],
  providers: [AuditService, AuditResolver, AccountingResolver, AuditLedgerReadiness],
})
export class AuditModule {}
