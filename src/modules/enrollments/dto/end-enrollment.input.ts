import { Field, ID, InputType } from '@nestjs/graphql';
import { IsString } from 'class-validator';
import { DateScalar } from '@libs/graphql/scalars.js';
import { IsCalendarDate } from '@libs/graphql/validators.js';

@InputType('EndEnrollmentInput')
export class EndEnrollmentInput {
  @Field(() => ID)
  @IsString()
  enrollmentId: string;

  @Field(() => DateScalar, { description: 'Not before the start, not in the future.' })
  @IsCalendarDate({ notAfterToday: true })
  endedOn: string;
}
