import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Principal } from '@libs/auth/principal.js';
import type { AppAbility, Decision } from './ability.js';

/** Who is acting, what they may do, and the policy decision that let this operation run. */
export interface Actor {
  principal: Principal;
  ability: AppAbility;
  decision: Decision;
  requestId: string;
}

export type RequestWithActor = { principal?: Principal; actor?: Actor; id?: unknown; headers: Record<string, unknown> };

export function requestOf(context: ExecutionContext): RequestWithActor {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: RequestWithActor }>().req;
  }
  return context.switchToHttp().getRequest<RequestWithActor>();
}

/** The Actor the PolicyGuard attached to this request. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = requestOf(context).actor;
  if (!actor) throw new Error('CurrentActor used on an operation without a PolicyGuard decision');
  return actor;
});
