import { Args, Field, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { type AgencyType, isRole, type Role } from '@libs/auth/principal.js';
import { AgencyTypeEnum } from '@app/modules/organizations/organization.model.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { JsonScalar } from '@libs/graphql/scalars.js';
import { AccessPolicyModel } from './access-policy.model.js';
import { ActivateAccessPolicyInput, PublishAccessPolicyInput } from './dto/publish-access-policy.input.js';
import { PoliciesService } from './policies.service.js';

@ObjectType('AccessExplanation')
export class AccessExplanationModel {
  @Field(() => Boolean)
  allowed: boolean;

  @Field(() => String)
  role: string;

  @Field(() => Int, { nullable: true })
  version: number | null;

  @Field(() => Int, { nullable: true })
  ruleIndex: number | null;

  @Field(() => JsonScalar, { nullable: true })
  rule: unknown;

  @Field(() => String)
  reason: string;

  @Field(() => AgencyTypeEnum, { nullable: true, description: 'The agency type the role was explained for (roles of responder agencies), else null.' })
  agencyType: AgencyType | null;

  @Field(() => Boolean, { description: 'Whether another agency type would get a different answer or deciding rule.' })
  agencyTypeMattered: boolean;
}

@Resolver(() => AccessPolicyModel)
export class PoliciesResolver {
  constructor(private readonly service: PoliciesService) {}

  @Query(() => [AccessPolicyModel], { description: 'Every version of every role\'s policy, newest first.' })
  @RequirePolicy('read', 'AccessPolicy')
  async accessPolicies(@CurrentActor() actor: Actor): Promise<AccessPolicyModel[]> {
    return (await this.service.list(actor)).map(AccessPolicyModel.from);
  }

  @Mutation(() => AccessPolicyModel, { description: 'Validates the rules, holds them to the guard rails, stores them as the next version and runs it.' })
  @RequirePolicy('publish', 'AccessPolicy')
  async publishAccessPolicy(@CurrentActor() actor: Actor, @Args('input') input: PublishAccessPolicyInput): Promise<AccessPolicyModel> {
    return AccessPolicyModel.from(await this.service.publish(actor, input.role, input.rules));
  }

  @Mutation(() => AccessPolicyModel, { description: 'Runs an earlier (or later) version of a role\'s policy again: a rollback.' })
  @RequirePolicy('activate', 'AccessPolicy')
  async activateAccessPolicy(@CurrentActor() actor: Actor, @Args('input') input: ActivateAccessPolicyInput): Promise<AccessPolicyModel> {
    return AccessPolicyModel.from(await this.service.activate(actor, input.role, input.version));
  }

  @Query(() => AccessExplanationModel, { description: 'Whether a role may (action, subject[, field]) under its active version, and by which rule.' })
  @RequirePolicy('explain', 'AccessPolicy')
  async explainAccess(
    @CurrentActor() actor: Actor,
    @Args('role', { type: () => String }) role: string,
    @Args('action', { type: () => String }) action: string,
    @Args('subject', { type: () => String }) subject: string,
    @Args('field', { type: () => String, nullable: true }) field?: string,
    @Args('agencyType', { type: () => AgencyTypeEnum, nullable: true, description: 'Explain the role as it runs in a responder agency of this type.' }) agencyType?: AgencyType,
  ): Promise<AccessExplanationModel> {
    if (!isRole(role)) throw new BadUserInputError(['role']);
    // Names of the policy vocabulary only: these words go into the audit event.
    const word = /^[A-Za-z][A-Za-z-]{0,39}$/;
    const bad = Object.entries({ action, subject, field }).filter(([, value]) => value !== undefined && value !== null && !word.test(value));
    if (bad.length > 0) throw new BadUserInputError(bad.map(([name]) => name));
    return Object.assign(new AccessExplanationModel(), await this.service.explain(actor, role as Role, action, subject, field, agencyType));
  }
}
