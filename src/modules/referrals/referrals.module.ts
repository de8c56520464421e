import { Module } from '@nestjs/common';
import { OrganizationStoreModule } from '@app/modules/organizations/organizations.module.js';
import { PatientsModule } from '@app/modules/patients/patients.module.js';
import { ReferralsRepository } from './referrals.repository.js';
import { ReferralsResolver } from './referrals.resolver.js';
import { ReferralsService } from './referrals.service.js';

@Module({
  imports: [PatientsModule, OrganizationStoreModule],
  providers: [ReferralsRepository, ReferralsService, ReferralsResolver],
  exports: [ReferralsRepository, ReferralsService],
})
export class ReferralsModule {}
