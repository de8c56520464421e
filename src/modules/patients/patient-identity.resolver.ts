import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { MergePatientsInput } from './dto/merge-patients.input.js';
import { UpdatePatientInput } from './dto/update-patient.input.js';
import { PatientModel } from './patient.model.js';
import { PatientIdentityService } from './patient-identity.service.js';

@Resolver(() => PatientModel)
export class PatientIdentityResolver {
  constructor(private readonly service: PatientIdentityService) {}

  @Mutation(() => PatientModel, { description: "Corrects a patient's names, date of birth or aliases (absent fields unchanged); the old name stops matching at once." })
  @RequirePolicy('update', 'Patient')
  async updatePatient(@CurrentActor() actor: Actor, @Args('input') input: UpdatePatientInput): Promise<PatientModel> {
    return PatientModel.from(await this.service.correct(actor, input));
  }

  @Mutation(() => PatientModel, { description: 'Merges two records of one person: enrollments and consents follow the survivor; the merged id answers as the survivor.' })
  @RequirePolicy('merge', 'Patient')
  async mergePatients(@CurrentActor() actor: Actor, @Args('input') input: MergePatientsInput): Promise<PatientModel> {
    return PatientModel.from(await this.service.merge(actor, input));
  }
}
