import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { DateScalar } from '@libs/graphql/scalars.js';
import { IsCalendarDate, IsNotBlank } from '@libs/graphql/validators.js';
import { SERVICE_TYPES, type ServiceType } from '../enrollment.js';
import { ServiceTypeEnum } from '../enrollment.model.js';

/** Digits with optional +, spaces, dots, hyphens and parentheses; 7 to 15 digits in all. */
export const PHONE_PATTERN = /^\+?(?:[\s().-]*\d){7,15}[\s().-]*$/;

@InputType('CareTeamContactInput')
export class CareTeamContactInput {
  @Field(() => String)
  @IsString()
  @Length(1, 100)
  @IsNotBlank()
  name: string;

  @Field(() => String, { description: 'For example "Case manager" or "Prescriber on call".' })
  @IsString()
  @Length(1, 100)
  @IsNotBlank()
  role: string;

  @Field(() => String)
  @IsString()
  @Matches(PHONE_PATTERN)
  phone: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN)
  afterHoursPhone?: string;

  @Field(() => String, { nullable: true, description: 'When the contact can be reached, in words.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  hours?: string;
}

@InputType('RecordEnrollmentInput')
export class RecordEnrollmentInput {
  @Field(() => ID)
  @IsString()
  patientId: string;

  @Field(() => String)
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  programName: string;

  @Field(() => ServiceTypeEnum)
  @IsIn(SERVICE_TYPES)
  serviceType: ServiceType;

  @Field(() => DateScalar, { description: 'Not in the future.' })
  @IsCalendarDate({ notAfterToday: true })
  startedOn: string;

  @Field(() => [CareTeamContactInput], { description: 'One to ten ways to reach the care team.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => CareTeamContactInput)
  careTeam: CareTeamContactInput[];

  @Field(() => String, { nullable: true, description: 'De-escalation guidance written for responders (no clinical detail).' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  engagementNotes?: string;
}
