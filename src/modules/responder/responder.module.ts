import { Module } from '@nestjs/common';
import { EmergencyDisclosuresService } from './emergency-disclosures.service.js';
import { ResponderRepository } from './responder.repository.js';
import { EmergencyDisclosuresResolver, ResponderResolver } from './responder.resolver.js';
import { ResponderService } from './responder.service.js';

@Module({
  providers: [ResponderRepository, ResponderService, ResponderResolver, EmergencyDisclosuresService, EmergencyDisclosuresResolver],
  exports: [ResponderRepository],
})
export class ResponderModule {}
