import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { DateScalar } from '@libs/graphql/scalars.js';
import { IsBirthDate, IsNotBlank, IsPersonName } from '@libs/graphql/validators.js';

/** A correction of a patient's identity: absent fields stay as they are; `aliases` replaces the list. */
@InputType('UpdatePatientInput')
export class UpdatePatientInput {
  @Field(() => ID)
  @IsString()
  patientId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsPersonName()
  givenName?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsPersonName()
  familyName?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Not in the future, not more than 120 years ago.' })
  @IsOptional()
  @IsBirthDate()
  dateOfBirth?: string;

  @Field(() => [String], { nullable: true, description: 'Replaces the other given names the person is known by (up to 10).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @IsNotBlank({ each: true })
  aliases?: string[];

  @Field(() => Boolean, { nullable: true, description: 'Correct even though the corrected identity may be another patient of the provider (POSSIBLE_DUPLICATE).' })
  @IsOptional()
  @IsBoolean()
  confirmDistinctPerson?: boolean;
}
