import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { PatientModel } from '@app/modules/patients/patient.model.js';
import { EndEnrollmentInput } from './dto/end-enrollment.input.js';
import { RecordEnrollmentInput } from './dto/record-enrollment.input.js';
import { EnrollmentModel } from './enrollment.model.js';
import { EnrollmentsService } from './enrollments.service.js';
import { PatientEnrollmentsLoader } from './patient-enrollments.loader.js';

@Resolver(() => EnrollmentModel)
export class EnrollmentsResolver {
  constructor(private readonly service: EnrollmentsService) {}

  @Mutation(() => EnrollmentModel)
  @RequirePolicy('create', 'Enrollment')
  async recordEnrollment(@CurrentActor() actor: Actor, @Args('input') input: RecordEnrollmentInput): Promise<EnrollmentModel> {
    return EnrollmentModel.from(await this.service.record(actor, input));
  }

  @Mutation(() => EnrollmentModel)
  @RequirePolicy('update', 'Enrollment')
  async endEnrollment(@CurrentActor() actor: Actor, @Args('input') input: EndEnrollmentInput): Promise<EnrollmentModel> {
    return EnrollmentModel.from(await this.service.end(actor, input));
  }
}

/** `Patient.enrollments`: read for all the request's patients at once, audited as one read (C16). */
@Resolver(() => PatientModel)
export class PatientEnrollmentsResolver {
  constructor(private readonly loader: PatientEnrollmentsLoader) {}

  @ResolveField(() => [EnrollmentModel])
  async enrollments(@CurrentActor() actor: Actor, @Parent() patient: PatientModel): Promise<EnrollmentModel[]> {
    return (await this.loader.load(actor, patient.id)).map(EnrollmentModel.from);
  }
}
