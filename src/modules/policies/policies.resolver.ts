import { Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { AccessPolicyModel } from './access-policy.model.js';
import { PoliciesService } from './policies.service.js';

@Resolver(() => AccessPolicyModel)
export class PoliciesResolver {
  constructor(private readonly service: PoliciesService) {}

  @Query(() => [AccessPolicyModel], { description: 'Every version of every role\'s policy, newest first.' })
  @RequirePolicy('read', 'AccessPolicy')
  async accessPolicies(@CurrentActor() actor: Actor): Promise<AccessPolicyModel[]> {
    return (await this.service.list(actor)).map(AccessPolicyModel.from);
  }
}
