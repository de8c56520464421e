import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { EndPartnershipInput } from './dto/end-partnership.input.js';
import { ProposePartnershipInput } from './dto/propose-partnership.input.js';
import { PartnershipAgreementModel } from './partnership.model.js';
import { PartnershipsService } from './partnerships.service.js';

@Resolver(() => PartnershipAgreementModel)
export class PartnershipsResolver {
  constructor(private readonly service: PartnershipsService) {}

  @Query(() => [PartnershipAgreementModel], { description: "The agreements your organisation is a side of (admins: all; provider staff: those in force), status as of now." })
  @RequirePolicy('read', 'PartnershipAgreement')
  async partnerships(@CurrentActor() actor: Actor): Promise<PartnershipAgreementModel[]> {
    return (await this.service.list(actor)).map(PartnershipAgreementModel.from);
  }

  @Mutation(() => PartnershipAgreementModel, { description: "Proposes an agreement between your organisation and the counterpart (one a treatment provider, the other a responder agency); the counterpart's admin accepts it." })
  @RequirePolicy('propose', 'PartnershipAgreement')
  async proposePartnership(@CurrentActor() actor: Actor, @Args('input') input: ProposePartnershipInput): Promise<PartnershipAgreementModel> {
    return PartnershipAgreementModel.from(await this.service.propose(actor, input));
  }

  @Mutation(() => PartnershipAgreementModel, { description: 'Accepts a proposal of the other side. It is in force from effectiveFrom until it expires or either side ends it.' })
  @RequirePolicy('accept', 'PartnershipAgreement')
  async acceptPartnership(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<PartnershipAgreementModel> {
    return PartnershipAgreementModel.from(await this.service.accept(actor, id));
  }

  @Mutation(() => PartnershipAgreementModel, { description: 'Ends an agreement (or withdraws or declines a proposal) at once: from then on no consent may name the agency and no lookup discloses under it.' })
  @RequirePolicy('end', 'PartnershipAgreement')
  async endPartnership(@CurrentActor() actor: Actor, @Args('input') input: EndPartnershipInput): Promise<PartnershipAgreementModel> {
    return PartnershipAgreementModel.from(await this.service.end(actor, input));
  }
}
