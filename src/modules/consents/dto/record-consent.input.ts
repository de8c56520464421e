import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsNotBlank } from '@libs/graphql/validators.js';
import { ORGANIZATION_KEY_PATTERN } from '@app/modules/organizations/dto/create-organization.input.js';
import { CONSENT_PURPOSES, type ConsentPurpose, DATA_CATEGORIES, type DataCategory, SIGNER_RELATIONSHIPS, type SignerRelationship } from '../consent.js';
import { ConsentPurposeEnum, DataCategoryEnum, SignerRelationshipEnum } from '../consent.enums.js';

@InputType('ConsentSignerInput', { description: '§2.31(a)(8): the patient, or a person lawfully signing for them.' })
export class ConsentSignerInput {
  @Field(() => String)
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  name: string;

  @Field(() => SignerRelationshipEnum)
  @IsIn(SIGNER_RELATIONSHIPS)
  relationship: SignerRelationship;
}

@InputType('ConsentAcknowledgementsInput', { description: 'What the signed form told the patient; each must be true.' })
export class ConsentAcknowledgementsInput {
  @Field(() => Boolean, { description: 'The right to revoke, in writing, and how (§2.31(a)(6)).' })
  @Equals(true)
  rightToRevoke: boolean;

  @Field(() => Boolean, { description: 'Treatment is not conditioned on signing.' })
  @Equals(true)
  treatmentNotConditioned: boolean;

  @Field(() => Boolean, { description: 'Redisclosure is restricted (§2.32).' })
  @Equals(true)
  redisclosureRestricted: boolean;
}

@InputType('RecordConsentInput')
export class RecordConsentInput {
  @Field(() => ID, { description: '§2.31(a)(1): the patient (of the caller\'s organisation, the disclosing program).' })
  @IsString()
  patientId: string;

  @Field(() => [String], { description: '§2.31(a)(4): each recipient organisation by key, named one by one.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(ORGANIZATION_KEY_PATTERN, { each: true })
  recipientOrganizationKeys: string[];

  @Field(() => ConsentPurposeEnum, { description: '§2.31(a)(5).' })
  @IsIn(CONSENT_PURPOSES)
  purpose: ConsentPurpose;

  @Field(() => [DataCategoryEnum], { description: '§2.31(a)(3): what may be disclosed.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(DATA_CATEGORIES, { each: true })
  dataCategories: DataCategory[];

  @Field(() => Date, { nullable: true, description: 'When the consent starts to apply; default: when it is recorded.' })
  @IsOptional()
  @IsDate()
  effectiveFrom?: Date;

  @Field(() => Date, { description: '§2.31(a)(7): the date it ends; later than effectiveFrom and than now.' })
  @IsDate()
  expiresAt: Date;

  @Field(() => String, { nullable: true, description: 'An event that ends it earlier than expiresAt, in words.' })
  @IsOptional()
  @IsString()
  @Length(3, 200)
  @IsNotBlank()
  expirationEvent?: string;

  @Field(() => ConsentSignerInput)
  @ValidateNested()
  @Type(() => ConsentSignerInput)
  signedBy: ConsentSignerInput;

  @Field(() => Date, { description: '§2.31(a)(9): when it was signed; not in the future.' })
  @IsDate()
  signedAt: Date;

  @Field(() => ConsentAcknowledgementsInput)
  @ValidateNested()
  @Type(() => ConsentAcknowledgementsInput)
  acknowledgements: ConsentAcknowledgementsInput;

  @Field(() => ID, { nullable: true, description: 'The consent this one changes; it becomes SUPERSEDED in the same transaction.' })
  @IsOptional()
  @IsString()
  supersedesConsentId?: string;
}
