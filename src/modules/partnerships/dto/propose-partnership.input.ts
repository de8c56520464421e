import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDate, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsNotBlank } from '@libs/graphql/validators.js';
import { ORGANIZATION_KEY_PATTERN } from '@app/modules/organizations/dto/create-organization.input.js';
import { PARTNERSHIP_KINDS, type PartnershipKind } from '../partnership.js';
import { PartnershipKindEnum } from '../partnership.model.js';

/** A SHA-256 digest in hex (either case on the way in; stored lower-case). */
export const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

@InputType('ProposePartnershipInput')
export class ProposePartnershipInput {
  @Field(() => String, { description: "The other side's organisation key: a responder agency when you are a treatment provider, and the reverse." })
  @IsString()
  @Matches(ORGANIZATION_KEY_PATTERN)
  counterpartOrganizationKey: string;

  @Field(() => PartnershipKindEnum)
  @IsIn(PARTNERSHIP_KINDS)
  kind: PartnershipKind;

  @Field(() => Date, { description: 'When the agreement starts to apply.' })
  @IsDate()
  effectiveFrom: Date;

  @Field(() => Date, { nullable: true, description: 'When it stops applying; absent for an agreement without an end date. Must be after effectiveFrom and in the future.' })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;

  @Field(() => String, { description: 'Where the signed document is kept (a file reference or address); never patient data.' })
  @IsString()
  @Length(1, 500)
  @IsNotBlank()
  documentReference: string;

  @Field(() => String, { description: "SHA-256 of the signed document, 64 hexadecimal characters: whoever holds the document can show it is this one." })
  @IsString()
  @Matches(SHA256_HEX)
  documentSha256: string;

  @Field(() => [String], { description: 'Who signed, one name and title each (1-20).' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @IsNotBlank({ each: true })
  signatories: string[];
}
