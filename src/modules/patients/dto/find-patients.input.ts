import { Field, InputType } from '@nestjs/graphql';
import { DateScalar } from '@libs/graphql/scalars.js';
import { IsBirthDate, IsPersonName } from '@libs/graphql/validators.js';

/** A person as staff ask for them at the desk: matched like a responder lookup (normalised names, any alias). */
@InputType('FindPatientsInput')
export class FindPatientsInput {
  @Field(() => String, { description: 'A given name or an alias.' })
  @IsPersonName()
  givenName: string;

  @Field(() => String)
  @IsPersonName()
  familyName: string;

  @Field(() => DateScalar)
  @IsBirthDate()
  dateOfBirth: string;
}
