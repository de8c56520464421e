import { Module } from '@nestjs/common';
import { EnrollmentsModule } from '@app/modules/enrollments/enrollments.module.js';
import { OrganizationStoreModule } from '@app/modules/organizations/organizations.module.js';
import { PartnershipStoreModule } from '@app/modules/partnerships/partnerships.module.js';
import { PatientsModule } from '@app/modules/patients/patients.module.js';
import { ConsentsRepository } from './consents.repository.js';
import { ConsentsResolver } from './consents.resolver.js';
import { ConsentsService } from './consents.service.js';

@Module({
  imports: [PatientsModule, EnrollmentsModule, OrganizationStoreModule, PartnershipStoreModule],
  providers: [ConsentsRepository, ConsentsService, ConsentsResolver],
  exports: [ConsentsRepository, ConsentsService],
})
export class ConsentsModule {}
