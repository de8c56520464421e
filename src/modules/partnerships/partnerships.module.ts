import { Module } from '@nestjs/common';
import { OrganizationStoreModule } from '@app/modules/organizations/organizations.module.js';
import { PartnershipsRepository } from './partnerships.repository.js';
import { PartnershipsResolver } from './partnerships.resolver.js';
import { PartnershipsService } from './partnerships.service.js';

/** The repository alone: what consents (the recipient gate) and other features import. */
@Module({ providers: [PartnershipsRepository], exports: [PartnershipsRepository] })
export class PartnershipStoreModule {}

@Module({
  imports: [OrganizationStoreModule, PartnershipStoreModule],
  providers: [PartnershipsService, PartnershipsResolver],
  exports: [PartnershipsService],
})
export class PartnershipsModule {}
