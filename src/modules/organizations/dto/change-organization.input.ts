import { Field, InputType } from '@nestjs/graphql';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { AGENCY_TYPES, type AgencyType } from '@libs/auth/principal.js';
import { AgencyTypeEnum } from '../organization.model.js';
import { ORGANIZATION_KEY_PATTERN } from './create-organization.input.js';

@InputType('RenameOrganizationInput')
export class RenameOrganizationInput {
  @Field(() => String, { description: 'The organisation, by its key (keys never change: tokens name them).' })
  @Matches(ORGANIZATION_KEY_PATTERN)
  organizationKey: string;

  @Field(() => String, { description: 'The new name, as consents and the accounting of disclosures will show it from now on.' })
  @IsString()
  @Length(1, 200)
  name: string;
}

@InputType('DeactivateOrganizationInput')
export class DeactivateOrganizationInput {
  @Field(() => String, { description: 'The organisation, by its key. Deactivation is final.' })
  @Matches(ORGANIZATION_KEY_PATTERN)
  organizationKey: string;
}

@InputType('ChangeAgencyTypeInput')
export class ChangeAgencyTypeInput {
  @Field(() => String, { description: 'The responder agency, by its key.' })
  @Matches(ORGANIZATION_KEY_PATTERN)
  organizationKey: string;

  @Field(() => AgencyTypeEnum, { description: "The agency's type from now on: policies may give each type different fields (docs/partnerships.md)." })
  @IsIn(AGENCY_TYPES)
  agencyType: AgencyType;
}
