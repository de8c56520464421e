import { Field, ID, ObjectType } from '@nestjs/graphql';
import { graphqlEnum } from '@libs/graphql/enums.js';
import { OrganizationModel } from '@app/modules/organizations/organization.model.js';
import { PARTNERSHIP_END_REASONS, PARTNERSHIP_KINDS, PARTNERSHIP_STATUSES, type PartnershipAgreement, type PartnershipKind, type PartnershipStatus } from './partnership.js';

export const PartnershipKindEnum = graphqlEnum(PARTNERSHIP_KINDS, {
  name: 'PartnershipKind',
  description: 'The signed document: a memorandum of understanding, a data-sharing agreement, or a qualified service organization agreement (42 CFR 2.11).',
});
export const PartnershipStatusEnum = graphqlEnum(PARTNERSHIP_STATUSES, {
  name: 'PartnershipStatus',
  description: 'The status at the moment of the read (database clock). PROPOSED: not yet in force (not accepted, or accepted and not yet effective).',
});
export const PartnershipEndReasonEnum = graphqlEnum(PARTNERSHIP_END_REASONS, { name: 'PartnershipEndReason' });

/** A partnership agreement between a treatment provider and a responder agency (issue 15). */
@ObjectType('PartnershipAgreement')
export class PartnershipAgreementModel {
  @Field(() => ID)
  id: string;

  @Field(() => PartnershipKindEnum)
  kind: PartnershipKind;

  @Field(() => PartnershipStatusEnum)
  status: PartnershipStatus;

  @Field(() => OrganizationModel)
  provider: OrganizationModel;

  @Field(() => OrganizationModel)
  agency: OrganizationModel;

  @Field(() => Date)
  effectiveFrom: Date;

  @Field(() => Date, { nullable: true })
  expiresAt: Date | null;

  @Field(() => String)
  documentReference: string;

  @Field(() => String)
  documentSha256: string;

  @Field(() => [String])
  signatories: string[];

  @Field(() => String, { description: 'The key of the side that proposed it; the other side accepts.' })
  proposedByOrganizationKey: string;

  @Field(() => Date)
  proposedAt: Date;

  @Field(() => Date, { nullable: true })
  acceptedAt: Date | null;

  @Field(() => Date, { nullable: true })
  endedAt: Date | null;

  static from(agreement: PartnershipAgreement): PartnershipAgreementModel {
    return Object.assign(new PartnershipAgreementModel(), {
      id: agreement.id,
      kind: agreement.kind,
      status: agreement.status,
      provider: OrganizationModel.from(agreement.provider),
      agency: OrganizationModel.from(agreement.agency),
      effectiveFrom: agreement.effectiveFrom,
      expiresAt: agreement.expiresAt,
      documentReference: agreement.documentReference,
      documentSha256: agreement.documentSha256,
      signatories: agreement.signatories,
      proposedByOrganizationKey: agreement.proposedByOrganizationId === agreement.provider.id ? agreement.provider.key : agreement.agency.key,
      proposedAt: agreement.proposedAt,
      acceptedAt: agreement.acceptedAt,
      endedAt: agreement.endedAt,
    });
  }
}
