import { Field, InputType } from '@nestjs/graphql';
import { IsIn, IsString, isIn, isString, Length, Matches, matches } from 'class-validator';
import { DateScalar } from '@libs/graphql/scalars.js';
import { registerSureInputCheck } from '@libs/graphql/validation.js';
import { IsBirthDate, isBirthDate, IsNotBlank, IsPersonName, isPersonName } from '@libs/graphql/validators.js';
import { CONSENT_PURPOSES, type ConsentPurpose } from '@app/modules/consents/consent.js';
import { ConsentPurposeEnum } from '@app/modules/consents/consent.enums.js';

/** C8: an incident number of the responder's own dispatch system. */
export const INCIDENT_NUMBER = /^[A-Za-z0-9-]{3,40}$/;

/** Who to look up, validated before any matching (C8). */
@InputType('PersonIdentityInput', { isAbstract: true })
export abstract class PersonIdentityInput {
  @Field(() => String)
  @IsPersonName()
  givenName: string;

  @Field(() => String)
  @IsPersonName()
  familyName: string;

  @Field(() => DateScalar, { description: 'A real date, not in the future, not more than 120 years ago.' })
  @IsBirthDate()
  dateOfBirth: string;

  @Field(() => String, { description: 'The incident the responder is on: 3-40 letters, digits and hyphens.' })
  @IsString()
  @Matches(INCIDENT_NUMBER)
  incidentNumber: string;
}

@InputType('LookupInput')
export class LookupInput extends PersonIdentityInput {
  @Field(() => ConsentPurposeEnum, { description: 'Purpose of use; a consent must name it.' })
  @IsIn(CONSENT_PURPOSES)
  purpose: ConsentPurpose;
}

@InputType('EmergencyAccessInput')
export class EmergencyAccessInput extends PersonIdentityInput {
  @Field(() => String, { description: '§2.51(c)(4): the nature of the emergency, at least 10 characters.' })
  @IsString()
  @Length(10, 1000)
  @IsNotBlank()
  natureOfEmergency: string;
}

// The lookup's rules above, checked without class-transformer and class-validator when they hold
// (issue 16); any doubt and the pipe runs class-validator, which words the problems.
registerSureInputCheck(LookupInput, ['givenName', 'familyName', 'dateOfBirth', 'incidentNumber', 'purpose'], (v) =>
  isPersonName(v.givenName) &&
  isPersonName(v.familyName) &&
  isBirthDate(v.dateOfBirth) &&
  isString(v.incidentNumber) &&
  matches(v.incidentNumber as string, INCIDENT_NUMBER) &&
  isIn(v.purpose, CONSENT_PURPOSES),
);
