import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '@libs/graphql/pagination.js';
import { EmergencyAccessInput, LookupInput } from './dto/lookup.input.js';
import { EmergencyDisclosureConnection, EmergencyDisclosureModel } from './emergency-disclosure.model.js';
import { EmergencyDisclosuresService } from './emergency-disclosures.service.js';
import { DISCLOSURE_OPERATIONS } from './lookup-decision.js';
import { DisclosedRecordModel, LookupResultModel } from './lookup-result.model.js';
import { type LookupAnswer, ResponderService } from './responder.service.js';

function toModel(answer: LookupAnswer): LookupResultModel {
  return Object.assign(new LookupResultModel(), { ...answer, records: answer.records.map(DisclosedRecordModel.from) });
}

@Resolver(() => LookupResultModel)
export class ResponderResolver {
  constructor(private readonly service: ResponderService) {}

  @Query(() => LookupResultModel, { description: 'Is this person in treatment, and how do I reach the care team? Audited; never cache the answer.' })
  @RequirePolicy(DISCLOSURE_OPERATIONS.responderLookup.policyAction, 'ResponderView')
  async responderLookup(@CurrentActor() actor: Actor, @Args('input') input: LookupInput): Promise<LookupResultModel> {
    return toModel(await this.service.lookup(actor, input));
  }

  @Mutation(() => LookupResultModel, { description: '42 CFR 2.51 medical emergency: medical personnel only; recorded and the program notified before the answer.' })
  @RequirePolicy(DISCLOSURE_OPERATIONS.emergencyAccess.policyAction, 'ResponderView')
  async emergencyAccess(@CurrentActor() actor: Actor, @Args('input') input: EmergencyAccessInput): Promise<LookupResultModel> {
    return toModel(await this.service.emergencyAccess(actor, input));
  }
}

@Resolver(() => EmergencyDisclosureModel)
export class EmergencyDisclosuresResolver {
  constructor(private readonly service: EmergencyDisclosuresService) {}

  @Query(() => EmergencyDisclosureConnection, { description: 'Medical-emergency disclosures of your program\'s records, newest first.' })
  @RequirePolicy('read', 'EmergencyDisclosure')
  async emergencyDisclosures(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
    @Args('pendingOnly', { type: () => Boolean, nullable: true, defaultValue: false }) pendingOnly?: boolean,
  ): Promise<EmergencyDisclosureConnection> {
    const page = await this.service.list(actor, pageSize(first), decodeCursor(after, ['time', 'uuid']) as [string, string] | null, pendingOnly ?? false);
    const keys = new Map(page.items.map((r) => [r.id, r.sortKey]));
    return toConnection({ items: page.items.map(EmergencyDisclosureModel.from), hasNextPage: page.hasNextPage }, (m) => encodeCursor(keys.get(m.id)!));
  }

  @Mutation(() => EmergencyDisclosureModel)
  @RequirePolicy('acknowledge', 'EmergencyDisclosure')
  async acknowledgeEmergencyDisclosure(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<EmergencyDisclosureModel> {
    return EmergencyDisclosureModel.from(await this.service.acknowledge(actor, id));
  }
}
