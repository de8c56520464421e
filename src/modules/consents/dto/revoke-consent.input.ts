import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMinSize, ArrayUnique, IsArray, IsDate, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ORGANIZATION_KEY_PATTERN } from '@app/modules/organizations/dto/create-organization.input.js';
import { REVOCATION_METHODS, type RevocationMethod } from '../consent.js';
import { RevocationMethodEnum } from '../consent.enums.js';

@InputType('RevokeConsentInput')
export class RevokeConsentInput {
  @Field(() => ID)
  @IsString()
  consentId: string;

  @Field(() => [String], { nullable: true, description: 'Revoke for these recipients only; absent: for all.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @Matches(ORGANIZATION_KEY_PATTERN, { each: true })
  recipientOrganizationKeys?: string[];

  @Field(() => RevocationMethodEnum)
  @IsIn(REVOCATION_METHODS)
  method: RevocationMethod;

  @Field(() => Date, { description: 'When the program received the revocation; not in the future.' })
  @IsDate()
  receivedAt: Date;
}
