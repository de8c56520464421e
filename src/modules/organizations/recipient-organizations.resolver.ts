import { Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { OrganizationModel } from './organization.model.js';
import { RecipientOrganizationsService } from './recipient-organizations.service.js';

@Resolver(() => OrganizationModel)
export class RecipientOrganizationsResolver {
  constructor(private readonly service: RecipientOrganizationsService) {}

  @Query(() => [OrganizationModel], { description: 'The responder agencies a consent of your organisation may name, by name.' })
  @RequirePolicy('read', 'RecipientOrganization')
  async recipientOrganizations(@CurrentActor() actor: Actor): Promise<OrganizationModel[]> {
    return (await this.service.list(actor)).map(OrganizationModel.from);
  }
}
