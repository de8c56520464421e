import { Module } from '@nestjs/common';
import { PatientsRepository } from './patients.repository.js';
import { PatientsResolver } from './patients.resolver.js';
import { PatientsService } from './patients.service.js';

@Module({
  providers: [PatientsRepository, PatientsService, PatientsResolver],
  exports: [PatientsService, PatientsRepository],
})
export class PatientsModule {}
