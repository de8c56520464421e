import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { TransactionRunner } from '@libs/database/transaction-runner.js';
import { ErrorCode, UnauthenticatedError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import type { Principal } from './principal.js';
import { AuthenticationRefused, AuthenticationService } from './authentication.service.js';

export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * Authenticates every GraphQL request before Apollo sees it, so that no operation, not even
 * `{ __typename }`, runs for an unverified caller (CONVENTIONS rule 1, C21). A refusal is a
 * GraphQL-shaped 401 whose message never says which check failed.
 */
@Injectable()
export class AuthenticationMiddleware implements NestMiddleware {
  constructor(
    private readonly authentication: AuthenticationService,
    private readonly transactions: TransactionRunner,
    private readonly ledger: AuditLedger,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('Authentication');
  }

  async use(req: AuthenticatedRequest, res: Response, next: NextFunction): Promise<void> {
    if (req.method !== 'POST') return next();
    try {
      req.principal = await this.authentication.authenticate(req.headers.authorization);
      next();
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) return next(error);
      this.logger.info({ reason: error.internalReason }, 'request not authenticated');
      if (error instanceof AuthenticationRefused) await this.auditRefusal(error, String(req.id ?? ''));
      res
        .status(401)
        .setHeader('WWW-Authenticate', 'Bearer')
        .json({ errors: [{ message: error.message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
    }
  }

  /** A verified person refused at the door is audited like any refused operation (C16). */
  private async auditRefusal(refusal: AuthenticationRefused, requestId: string): Promise<void> {
    const { sub, organizationKey, roles, name } = refusal.identity;
    try {
      await this.transactions.run((tx) =>
        this.ledger.append(
          tx,
          { sub, organizationKey, roles, name, policyVersion: null, policyRule: null, requestId: requestId || null },
          { action: 'authenticate', outcome: 'DENIED', details: refusal.details },
        ),
      );
    } catch {
      // The caller is refused either way; a refusal that could not be recorded is an alert.
      this.logger.error({ action: 'authenticate' }, 'could not audit a refused authentication');
    }
  }
}
