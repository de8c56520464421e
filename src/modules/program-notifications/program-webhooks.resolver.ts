import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { SetProgramWebhookInput } from './dto/set-program-webhook.input.js';
import { ProgramWebhookModel } from './program-webhook.model.js';
import { ProgramWebhooksService } from './program-webhooks.service.js';

@Resolver(() => ProgramWebhookModel)
export class ProgramWebhooksResolver {
  constructor(private readonly service: ProgramWebhooksService) {}

  @Query(() => [ProgramWebhookModel], { description: "Where programs' medical-emergency notifications go (never the secrets)." })
  @RequirePolicy('read', 'ProgramWebhook')
  async programWebhooks(@CurrentActor() actor: Actor): Promise<ProgramWebhookModel[]> {
    return (await this.service.list(actor)).map(ProgramWebhookModel.from);
  }

  @Mutation(() => ProgramWebhookModel, { description: "Sets a program's notification endpoint and signing secret (unless the environment sets it)." })
  @RequirePolicy('update', 'ProgramWebhook')
  async setProgramWebhook(@CurrentActor() actor: Actor, @Args('input') input: SetProgramWebhookInput): Promise<ProgramWebhookModel> {
    return ProgramWebhookModel.from(await this.service.set(actor, input));
  }

  @Mutation(() => Boolean, { description: "Removes a program's endpoint set in the app; its notifications stay in the app's list." })
  @RequirePolicy('update', 'ProgramWebhook')
  async removeProgramWebhook(@CurrentActor() actor: Actor, @Args('organizationKey', { type: () => String }) organizationKey: string): Promise<boolean> {
    return this.service.remove(actor, organizationKey);
  }
}
