import { type ArgumentsHost, Catch, Injectable } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { GqlArgumentsHost, type GqlContextType } from '@nestjs/graphql';
import { PinoLogger } from 'nestjs-pino';
import type { RequestWithActor } from '@libs/authorization/actor.js';
import { DataAccess } from '@libs/database/data-access.js';
import { isConnectionLoss } from '@libs/database/connection-loss.js';
import { BadUserInputError, PartnershipRequiredError, PossibleDuplicateError, ReferralStatusConflictError, UnavailableError } from '@libs/graphql/errors.js';
import { AuditLedger } from './audit-ledger.js';

/**
 * Every GraphQL error passes here on its way to the formatter.
 * - A refusal of an authorised caller's input (BAD_USER_INPUT: invalid fields, an id that is
 *   not theirs or does not exist; POSSIBLE_DUPLICATE; PARTNERSHIP_REQUIRED; a referral step in the
 *   wrong status, REFERRAL_STATUS_CONFLICT) is audited as REFUSED, with field names and reason only, in a
 *   transaction of its own (the operation's own rolled back): probing leaves a trace (C16).
 * - Nothing is logged here: Nest's default filter would log the whole error object, and a
 *   database error carries the statement's parameters (C3). The formatter logs what is safe.
 * HTTP routes (health, key sets) keep Nest's default handling.
 */
@Catch()
@Injectable()
export class GraphqlRefusalAuditFilter extends BaseExceptionFilter {
  constructor(
    private readonly data: DataAccess,
    private readonly ledger: AuditLedger,
    private readonly logger: PinoLogger,
  ) {
    super();
    this.logger.setContext('GraphqlRefusalAuditFilter');
  }

  override async catch(exception: unknown, host: ArgumentsHost): Promise<unknown> {
    if (host.getType<GqlContextType>() !== 'graphql') return super.catch(exception, host);
    const gql = GqlArgumentsHost.create(host);
    const request = gql.getContext<{ req?: RequestWithActor }>().req;
    const refusedStep = exception instanceof PartnershipRequiredError || exception instanceof ReferralStatusConflictError;
    if ((exception instanceof BadUserInputError || exception instanceof PossibleDuplicateError || refusedStep) && request?.actor) {
      const action = gql.getInfo<{ fieldName: string }>().fieldName;
      // A possible duplicate names the provider's own existing record: the event concerns it.
      const duplicate = exception instanceof PossibleDuplicateError ? { patientIds: [exception.existingPatientId], subjectOrganizationKeys: [request.actor.principal.org.key] } : {};
      const reason = exception instanceof PossibleDuplicateError || refusedStep ? exception.code : (exception.reason ?? null);
      try {
        await this.data
          .forCaller(request.actor)
          .transaction((db) => this.ledger.append(db, { action, outcome: 'REFUSED', ...duplicate, details: { fields: exception.fields, reason } }));
      } catch {
        this.logger.error({ action }, 'could not audit a refused operation');
      }
    }
    // A lost database connection (failover, restart) is UNAVAILABLE, whichever call met it first;
    // returned as our own error, since graphql-js completes a returned non-Error as a value.
    if (!(exception instanceof UnavailableError) && isConnectionLoss(exception)) return new UnavailableError();
    return exception;
  }
}
