import { Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { MeModel } from './me.model.js';
import { MeService } from './me.service.js';

@Resolver(() => MeModel)
export class MeResolver {
  constructor(private readonly service: MeService) {}

  @Query(() => MeModel, { description: 'Who the signed-in person is (name, organisation, roles), as the service verified it.' })
  @RequirePolicy('read', 'Self')
  async me(@CurrentActor() actor: Actor): Promise<MeModel> {
    const { principal, multiFactor } = await this.service.me(actor);
    return MeModel.from(principal, multiFactor);
  }
}
