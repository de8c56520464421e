import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '@libs/graphql/pagination.js';
import { DateScalar } from '@libs/graphql/scalars.js';
import { AcceptReferralInput, CreateReferralInput, DeclineReferralInput, RecordReferralOutcomeInput } from './dto/referral.inputs.js';
import type { ReferralStatus } from './referral.js';
import { ReferralStatusEnum } from './referral.enums.js';
import { AgencyReportModel, ReferralConnection, ReferralModel, ReferralPartyModel } from './referral.model.js';
import { ReferralsService } from './referrals.service.js';

@Resolver(() => ReferralModel)
export class ReferralsResolver {
  constructor(private readonly service: ReferralsService) {}

  @Mutation(() => ReferralModel, { description: 'A responder refers a person who agreed to it to a partner provider (PARTNERSHIP_REQUIRED without an agreement in force).' })
  @RequirePolicy('create', 'Referral')
  async createReferral(@CurrentActor() actor: Actor, @Args('input') input: CreateReferralInput): Promise<ReferralModel> {
    return ReferralModel.from(await this.service.create(actor, input));
  }

  @Query(() => [ReferralPartyModel], { description: "The treatment providers the caller's agency may refer to now: a partnership agreement is in force." })
  @RequirePolicy('create', 'Referral')
  async referralPartners(@CurrentActor() actor: Actor): Promise<ReferralPartyModel[]> {
    return (await this.service.partners(actor)).map((p) => Object.assign(new ReferralPartyModel(), { key: p.key, name: p.name }));
  }

  @Query(() => ReferralConnection, { description: "A provider's queue, or the referrals the caller's agency made; newest first." })
  @RequirePolicy('read', 'Referral')
  async referrals(
    @CurrentActor() actor: Actor,
    @Args('status', { type: () => ReferralStatusEnum, nullable: true }) status?: ReferralStatus | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<ReferralConnection> {
    const page = await this.service.list(actor, status ?? null, pageSize(first), decodeCursor(after, ['time', 'uuid']) as [string, string] | null);
    const byId = new Map(page.items.map((v) => [v.id, v.sortKey]));
    return toConnection({ items: page.items.map(ReferralModel.from), hasNextPage: page.hasNextPage }, (m) => encodeCursor(byId.get(m.id)!));
  }

  @Mutation(() => ReferralModel, { description: "Accepts a received referral, linking it to a patient of the provider's own." })
  @RequirePolicy('accept', 'Referral')
  async acceptReferral(@CurrentActor() actor: Actor, @Args('input') input: AcceptReferralInput): Promise<ReferralModel> {
    return ReferralModel.from(await this.service.accept(actor, input));
  }

  @Mutation(() => ReferralModel)
  @RequirePolicy('decline', 'Referral')
  async declineReferral(@CurrentActor() actor: Actor, @Args('input') input: DeclineReferralInput): Promise<ReferralModel> {
    return ReferralModel.from(await this.service.decline(actor, input));
  }

  @Mutation(() => ReferralModel, { description: 'Records what became of an accepted referral and closes it.' })
  @RequirePolicy('record-outcome', 'Referral')
  async recordReferralOutcome(@CurrentActor() actor: Actor, @Args('input') input: RecordReferralOutcomeInput): Promise<ReferralModel> {
    return ReferralModel.from(await this.service.recordOutcome(actor, input));
  }

  @Query(() => AgencyReportModel, { description: "The caller's agency, per month from `from`'s month to `to`'s (at most 24): counts only, 1 to 10 suppressed, accepted and engaged once settled." })
  @RequirePolicy('read', 'AgencyReport')
  async agencyReport(
    @CurrentActor() actor: Actor,
    @Args('from', { type: () => DateScalar }) from: string,
    @Args('to', { type: () => DateScalar }) to: string,
  ): Promise<AgencyReportModel> {
    return AgencyReportModel.from(await this.service.report(actor, from, to));
  }
}
