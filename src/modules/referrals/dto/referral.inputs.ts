import { Field, ID, InputType } from '@nestjs/graphql';
import { Equals, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { DateScalar } from '@libs/graphql/scalars.js';
import { IsBirthDate, IsCalendarDate, IsNotBlank, IsPersonName } from '@libs/graphql/validators.js';
import { PHONE_PATTERN } from '@app/modules/enrollments/dto/record-enrollment.input.js';
import { INCIDENT_NUMBER } from '@app/modules/responder/dto/lookup.input.js';
import {
  REFERRAL_DECLINE_REASONS,
  REFERRAL_OUTCOMES,
  REFERRAL_REASONS,
  REFERRAL_URGENCIES,
  type ReferralDeclineReason,
  type ReferralOutcome,
  type ReferralReason,
  type ReferralUrgency,
} from '../referral.js';
import { ReferralDeclineReasonEnum, ReferralOutcomeEnum, ReferralReasonEnum, ReferralUrgencyEnum } from '../referral.enums.js';

/** A referral of a person who agreed to it, to a partner provider. No lookup is needed: deflection is for people not yet in treatment. */
@InputType('CreateReferralInput')
export class CreateReferralInput {
  @Field(() => String, { description: 'The key of the treatment provider; a partnership agreement with it must be in force (PARTNERSHIP_REQUIRED).' })
  @IsString()
  @Length(1, 100)
  providerOrganizationKey: string;

  @Field(() => ReferralReasonEnum)
  @IsIn(REFERRAL_REASONS)
  reason: ReferralReason;

  @Field(() => ReferralUrgencyEnum)
  @IsIn(REFERRAL_URGENCIES)
  urgency: ReferralUrgency;

  @Field(() => String)
  @IsPersonName()
  givenName: string;

  @Field(() => String)
  @IsPersonName()
  familyName: string;

  @Field(() => DateScalar, { nullable: true, description: 'If known: a real date, not in the future, not more than 120 years ago.' })
  @IsOptional()
  @IsBirthDate()
  dateOfBirth?: string | null;

  @Field(() => String, { nullable: true, description: 'Where the provider can call the person back: 7 to 15 digits.' })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN)
  callbackPhone?: string | null;

  @Field(() => String, { description: 'The incident the responder is on: 3-40 letters, digits and hyphens.' })
  @IsString()
  @Matches(INCIDENT_NUMBER)
  incidentNumber: string;

  @Field(() => String, { nullable: true, description: 'A short note for the provider (up to 500 characters): how to reach the person, what they asked for.' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @IsNotBlank()
  note?: string | null;

  @Field(() => Boolean, { description: 'The person agreed to be referred: must be true.' })
  @Equals(true)
  personAgreed: boolean;
}

@InputType('AcceptReferralInput')
export class AcceptReferralInput {
  @Field(() => ID)
  @IsUUID()
  referralId: string;

  @Field(() => ID, { description: "A patient of the provider's own: the person, registered first if new." })
  @IsUUID()
  patientId: string;
}

@InputType('DeclineReferralInput')
export class DeclineReferralInput {
  @Field(() => ID)
  @IsUUID()
  referralId: string;

  @Field(() => ReferralDeclineReasonEnum)
  @IsIn(REFERRAL_DECLINE_REASONS)
  reason: ReferralDeclineReason;
}

@InputType('RecordReferralOutcomeInput')
export class RecordReferralOutcomeInput {
  @Field(() => ID)
  @IsUUID()
  referralId: string;

  @Field(() => ReferralOutcomeEnum)
  @IsIn(REFERRAL_OUTCOMES)
  outcome: ReferralOutcome;

  @Field(() => DateScalar, { description: 'When it happened: not in the future, not before the referral was made.' })
  @IsCalendarDate({ notAfterToday: true })
  occurredOn: string;
}
