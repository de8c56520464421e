import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { AGENCY_TYPES, type AgencyType, ORGANIZATION_KINDS, type OrganizationKind } from '@libs/auth/principal.js';
import { AgencyTypeEnum, OrganizationKindEnum } from '../organization.model.js';

export const ORGANIZATION_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

@InputType('CreateOrganizationInput')
export class CreateOrganizationInput {
  @Field(() => String, { description: 'Lower-case slug: letters, digits, hyphens; 2-63 characters.' })
  @IsString()
  @Matches(ORGANIZATION_KEY_PATTERN)
  key: string;

  @Field(() => String)
  @IsString()
  @Length(1, 200)
  name: string;

  @Field(() => OrganizationKindEnum)
  @IsIn(ORGANIZATION_KINDS)
  kind: OrganizationKind;

  @Field(() => AgencyTypeEnum, { nullable: true, description: 'Responder agencies only; OTHER when absent.' })
  @IsOptional()
  @IsIn(AGENCY_TYPES)
  agencyType?: AgencyType | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  @IsOptional()
  @IsBoolean()
  part2Program?: boolean;
}
