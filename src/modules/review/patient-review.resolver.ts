import { Args, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { FindPatientsForReviewInput } from './dto/find-patients-for-review.input.js';
import { PatientReviewService } from './patient-review.service.js';
import { ReviewPatientModel } from './review-patient.model.js';

@Resolver(() => ReviewPatientModel)
export class PatientReviewResolver {
  constructor(private readonly service: PatientReviewService) {}

  @Query(() => [ReviewPatientModel], { description: 'Compliance officers: the records of a person within your scope, to answer a complaint. Audited.' })
  @RequirePolicy('read', 'ReviewPatient')
  async findPatientsForReview(@CurrentActor() actor: Actor, @Args('input') input: FindPatientsForReviewInput): Promise<ReviewPatientModel[]> {
    return (await this.service.find(actor, input)).map(ReviewPatientModel.from);
  }
}
