import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { UpdateEnrollmentInput } from './dto/update-enrollment.input.js';
import { EnrollmentCorrectionsService } from './enrollment-corrections.service.js';
import { EnrollmentModel } from './enrollment.model.js';

@Resolver(() => EnrollmentModel)
export class EnrollmentCorrectionsResolver {
  constructor(private readonly service: EnrollmentCorrectionsService) {}

  @Mutation(() => EnrollmentModel, { description: 'Corrects the program name, care team or engagement notes of an enrollment (absent fields unchanged; careTeam replaces the list).' })
  @RequirePolicy('update', 'Enrollment')
  async updateEnrollment(@CurrentActor() actor: Actor, @Args('input') input: UpdateEnrollmentInput): Promise<EnrollmentModel> {
    return EnrollmentModel.from(await this.service.correct(actor, input));
  }
}
