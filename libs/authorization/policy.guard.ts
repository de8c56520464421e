import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { IS_PUBLIC } from '@libs/auth/public.decorator.js';
import { DataAccess } from '@libs/database/data-access.js';
import { ForbiddenError, UnauthenticatedError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { type Decision, decide } from './ability.js';
import { AbilitiesService } from './abilities.service.js';
import { type Actor, requestOf } from './actor.js';
import { REQUIRED_POLICY, type RequiredPolicy } from './require-policy.decorator.js';

const NOTHING_ALLOWED: Decision = { allowed: false, rule: null, policyVersion: null };

/**
 * Deny by default (C22, house rule 1): an operation runs only when it names the policy it
 * needs and the caller's active policies allow it. Every refusal is audited (C16).
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly abilities: AbilitiesService,
    private readonly data: DataAccess,
    private readonly ledger: AuditLedger,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('PolicyGuard');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = requestOf(context);
    const principal = request.principal;
    if (!principal) throw new UnauthenticatedError('no principal');
    const required = this.reflector.getAllAndOverride<RequiredPolicy | undefined>(REQUIRED_POLICY, targets);
    const ability = await this.abilities.abilityFor(principal);
    const decision = required ? decide(ability, required.action, required.subject) : NOTHING_ALLOWED;
    const actor: Actor = { principal, ability, decision, requestId: String(request.id ?? randomUUID()) };
    if (!decision.allowed) {
      await this.auditRefusal(actor, this.operationName(context));
      throw new ForbiddenError();
    }
    request.actor = actor;
    return true;
  }

  private operationName(context: ExecutionContext): string {
    if (context.getType<string>() === 'graphql') return GqlExecutionContext.create(context).getInfo<{ fieldName: string }>().fieldName;
    return `${context.getClass().name}.${context.getHandler().name}`;
  }

  private async auditRefusal(actor: Actor, action: string): Promise<void> {
    try {
      await this.data.forCaller(actor).transaction((db) => this.ledger.append(db, { action, outcome: 'DENIED' }));
    } catch (error) {
      // The caller is refused either way; a refusal that could not be recorded is an alert.
      this.logger.error({ err: error, action }, 'could not audit a refused operation');
    }
  }
}
