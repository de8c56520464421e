import { Args, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { AuditVerificationModel } from './audit.model.js';
import { AuditService } from './audit.service.js';

@Resolver(() => AuditVerificationModel)
export class AuditResolver {
  constructor(private readonly service: AuditService) {}

  @Query(() => AuditVerificationModel, { description: 'Recomputes the hash chain and checks every checkpoint signature (C18).' })
  @RequirePolicy('verify', 'AuditEvent')
  async verifyAuditLog(
    @CurrentActor() actor: Actor,
    @Args('fromSequence', { type: () => String, nullable: true }) fromSequence?: string,
    @Args('toSequence', { type: () => String, nullable: true }) toSequence?: string,
  ): Promise<AuditVerificationModel> {
    return Object.assign(new AuditVerificationModel(), await this.service.verify(actor, fromSequence, toSequence));
  }
}
