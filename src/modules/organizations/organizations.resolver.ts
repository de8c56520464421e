import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { ChangeAgencyTypeInput, DeactivateOrganizationInput, RenameOrganizationInput } from './dto/change-organization.input.js';
import { CreateOrganizationInput } from './dto/create-organization.input.js';
import { OrganizationModel } from './organization.model.js';
import { OrganizationsService } from './organizations.service.js';

@Resolver(() => OrganizationModel)
export class OrganizationsResolver {
  constructor(private readonly service: OrganizationsService) {}

  @Mutation(() => OrganizationModel)
  @RequirePolicy('create', 'Organization')
  async createOrganization(@CurrentActor() actor: Actor, @Args('input') input: CreateOrganizationInput): Promise<OrganizationModel> {
    return OrganizationModel.from(await this.service.create(actor, input));
  }

  @Mutation(() => OrganizationModel, { description: 'Renames an active organisation; its key stays.' })
  @RequirePolicy('update', 'Organization')
  async renameOrganization(@CurrentActor() actor: Actor, @Args('input') input: RenameOrganizationInput): Promise<OrganizationModel> {
    return OrganizationModel.from(await this.service.rename(actor, input.organizationKey, input.name));
  }

  @Mutation(() => OrganizationModel, {
    description: "Changes a responder agency's type, which policies may answer differently; not the admin's own agency. Audited with the previous type.",
  })
  @RequirePolicy('update', 'Organization')
  async changeAgencyType(@CurrentActor() actor: Actor, @Args('input') input: ChangeAgencyTypeInput): Promise<OrganizationModel> {
    return OrganizationModel.from(await this.service.changeAgencyType(actor, input.organizationKey, input.agencyType));
  }

  @Mutation(() => OrganizationModel, { description: "Deactivates an organisation for good: its people's tokens are refused and no new consent may name it." })
  @RequirePolicy('deactivate', 'Organization')
  async deactivateOrganization(@CurrentActor() actor: Actor, @Args('input') input: DeactivateOrganizationInput): Promise<OrganizationModel> {
    return OrganizationModel.from(await this.service.deactivate(actor, input.organizationKey));
  }

  @Query(() => [OrganizationModel])
  @RequirePolicy('read', 'Organization')
  async organizations(@CurrentActor() actor: Actor): Promise<OrganizationModel[]> {
    return (await this.service.list(actor)).map(OrganizationModel.from);
  }
}
