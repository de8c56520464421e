import { Module } from '@nestjs/common';
import { PatientIdentityRepository } from './patient-identity.repository.js';
import { PatientIdentityResolver } from './patient-identity.resolver.js';
import { PatientIdentityService } from './patient-identity.service.js';
import { PatientsRepository } from './patients.repository.js';
import { PatientsResolver } from './patients.resolver.js';
import { PatientsService } from './patients.service.js';

@Module({
  providers: [PatientsRepository, PatientIdentityRepository, PatientsService, PatientsResolver, PatientIdentityService, PatientIdentityResolver],
  exports: [PatientsService, PatientsRepository, PatientIdentityRepository],
})
export class PatientsModule {}
