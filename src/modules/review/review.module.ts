import { Module } from '@nestjs/common';
import { OrganizationStoreModule } from '@app/modules/organizations/organizations.module.js';
import { PatientsModule } from '@app/modules/patients/patients.module.js';
import { PatientReviewResolver } from './patient-review.resolver.js';
import { PatientReviewService } from './patient-review.service.js';

/** Compliance officers' search for a person, to answer a complaint. */
@Module({
  imports: [PatientsModule, OrganizationStoreModule],
  providers: [PatientReviewService, PatientReviewResolver],
})
export class ReviewModule {}
