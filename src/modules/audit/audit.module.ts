import { Module } from '@nestjs/common';
import { AuditKeysController } from './audit-keys.controller.js';
import { AuditResolver } from './audit.resolver.js';
import { AuditService } from './audit.service.js';

@Module({
  controllers: [AuditKeysController],
  providers: [AuditService, AuditResolver],
})
export class AuditModule {}
