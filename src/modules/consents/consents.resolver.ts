import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { ConsentModel } from './consent.model.js';
import { ConsentsService } from './consents.service.js';
import { RecordConsentInput } from './dto/record-consent.input.js';
import { RevokeConsentInput } from './dto/revoke-consent.input.js';

@Resolver(() => ConsentModel)
export class ConsentsResolver {
  constructor(private readonly service: ConsentsService) {}

  @Mutation(() => ConsentModel, { description: 'Records a consent, or a new version of one (supersedesConsentId).' })
  @RequirePolicy('create', 'Consent')
  async recordConsent(@CurrentActor() actor: Actor, @Args('input') input: RecordConsentInput): Promise<ConsentModel> {
    return ConsentModel.from(await this.service.record(actor, input));
  }

  @Mutation(() => ConsentModel, { description: 'Revokes a consent for all its recipients, or for some.' })
  @RequirePolicy('revoke', 'Consent')
  async revokeConsent(@CurrentActor() actor: Actor, @Args('input') input: RevokeConsentInput): Promise<ConsentModel> {
    return ConsentModel.from(await this.service.revoke(actor, input));
  }

  @Query(() => [ConsentModel], { description: 'Every consent version of a patient of your organisation; empty otherwise.' })
  @RequirePolicy('read', 'Consent')
  async consents(@CurrentActor() actor: Actor, @Args('patientId', { type: () => ID }) patientId: string): Promise<ConsentModel[]> {
    return (await this.service.forPatient(actor, patientId)).map((v) => ConsentModel.from(v));
  }

  @Query(() => ConsentModel, { nullable: true, description: 'Null for an unknown id and for another organisation\'s consent alike.' })
  @RequirePolicy('read', 'Consent')
  async consent(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<ConsentModel | null> {
    const view = await this.service.get(actor, id);
    return view ? ConsentModel.from(view) : null;
  }
}
