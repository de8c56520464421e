import { Field, ID, ObjectType } from '@nestjs/graphql';
import { graphqlEnum } from '@libs/graphql/enums.js';
import { AGENCY_TYPES, type AgencyType, ORGANIZATION_KINDS, type OrganizationKind } from '@libs/auth/principal.js';
import type { OrganizationEntity } from './organization.entity.js';

export const OrganizationKindEnum = graphqlEnum(ORGANIZATION_KINDS, { name: 'OrganizationKind', description: 'What an organisation is.' });
export const AgencyTypeEnum = graphqlEnum(AGENCY_TYPES, {
  name: 'AgencyType',
  description: "What kind of responder agency an organisation is; access policies may give types different fields of the same consent (docs/policies.md).",
});

@ObjectType('Organization')
export class OrganizationModel {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: 'Unique slug, used in tokens (`org` claim).' })
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => OrganizationKindEnum)
  kind: OrganizationKind;

  @Field(() => AgencyTypeEnum, { nullable: true, description: 'A responder agency\'s type (OTHER when not given); null for other kinds of organisation.' })
  agencyType: AgencyType | null;

  @Field(() => Boolean, { description: 'A federally assisted SUD program under 42 CFR Part 2.' })
  part2Program: boolean;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Boolean, { description: 'False once deactivated: its people cannot sign in and no new consent may name it.' })
  active: boolean;

  @Field(() => Date, { nullable: true, description: 'When it was deactivated; null while active.' })
  deactivatedAt: Date | null;

  static from(entity: Pick<OrganizationEntity, 'id' | 'key' | 'name' | 'kind' | 'agencyType' | 'part2Program' | 'createdAt' | 'deactivatedAt'>): OrganizationModel {
    return Object.assign(new OrganizationModel(), {
      id: entity.id,
      key: entity.key,
      name: entity.name,
      kind: entity.kind,
      agencyType: entity.agencyType ?? null,
      part2Program: entity.part2Program,
      createdAt: entity.createdAt,
      active: entity.deactivatedAt === null,
      deactivatedAt: entity.deactivatedAt,
    });
  }
}
