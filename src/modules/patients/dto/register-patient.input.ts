import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { DateScalar } from '@libs/graphql/scalars.js';
import { IsBirthDate, IsNotBlank, IsPersonName } from '@libs/graphql/validators.js';

@InputType('RegisterPatientInput')
export class RegisterPatientInput {
  @Field(() => String)
  @IsPersonName()
  givenName: string;

  @Field(() => String)
  @IsPersonName()
  familyName: string;

  @Field(() => DateScalar, { description: 'Not in the future, not more than 120 years ago.' })
  @IsBirthDate()
  dateOfBirth: string;

  @Field(() => [String], { nullable: true, description: 'Other given names the person is known by (up to 10).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @IsNotBlank({ each: true })
  aliases?: string[];

  @Field(() => Boolean, {
    nullable: true,
    description: 'Register even though the provider has a patient who may be this person (POSSIBLE_DUPLICATE): the staff member checked it is someone else.',
  })
  @IsOptional()
  @IsBoolean()
  confirmDistinctPerson?: boolean;
}
