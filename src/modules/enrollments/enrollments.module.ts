import { Module } from '@nestjs/common';
import { OrganizationStoreModule } from '@app/modules/organizations/organizations.module.js';
import { PatientsModule } from '@app/modules/patients/patients.module.js';
import { EnrollmentCorrectionsResolver } from './enrollment-corrections.resolver.js';
import { EnrollmentCorrectionsService } from './enrollment-corrections.service.js';
import { EnrollmentsRepository } from './enrollments.repository.js';
import { EnrollmentsResolver, PatientEnrollmentsResolver } from './enrollments.resolver.js';
import { EnrollmentsService } from './enrollments.service.js';
import { PatientEnrollmentsLoader } from './patient-enrollments.loader.js';

@Module({
  imports: [PatientsModule, OrganizationStoreModule],
  providers: [EnrollmentsRepository, EnrollmentsService, PatientEnrollmentsLoader, EnrollmentsResolver, PatientEnrollmentsResolver, EnrollmentCorrectionsService, EnrollmentCorrectionsResolver],
  exports: [EnrollmentsService, EnrollmentsRepository],
})
export class EnrollmentsModule {}
