import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsNotBlank } from '@libs/graphql/validators.js';
import { CareTeamContactInput } from './record-enrollment.input.js';

/** A correction of an enrollment: absent fields stay as they are; `careTeam` replaces the list; `engagementNotes: null` removes the notes. */
@InputType('UpdateEnrollmentInput')
export class UpdateEnrollmentInput {
  @Field(() => ID)
  @IsString()
  enrollmentId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  programName?: string;

  @Field(() => [CareTeamContactInput], { nullable: true, description: 'One to ten ways to reach the care team (name, role, phone, after-hours phone, hours); replaces the list.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => CareTeamContactInput)
  careTeam?: CareTeamContactInput[];

  @Field(() => String, { nullable: true, description: 'De-escalation guidance written for responders (no clinical detail); null removes it.' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @IsNotBlank()
  engagementNotes?: string | null;
}
