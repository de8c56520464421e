import { Module } from '@nestjs/common';
import { ConsentsModule } from '@app/modules/consents/consents.module.js';
import { EnrollmentsModule } from '@app/modules/enrollments/enrollments.module.js';
import { OrganizationsModule, OrganizationStoreModule } from '@app/modules/organizations/organizations.module.js';
import { PartnershipsModule } from '@app/modules/partnerships/partnerships.module.js';
import { PatientsModule } from '@app/modules/patients/patients.module.js';
import { ReferralsModule } from '@app/modules/referrals/referrals.module.js';
import { DemoDataSeeder } from './demo-data.seeder.js';

@Module({
  imports: [OrganizationsModule, OrganizationStoreModule, PatientsModule, EnrollmentsModule, ConsentsModule, PartnershipsModule, ReferralsModule],
  providers: [DemoDataSeeder],
  exports: [DemoDataSeeder],
})
export class DemoModule {}
