import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { DataAccess } from '@libs/database/data-access.js';
import { describeConnectionLoss, isConnectionLoss } from '@libs/database/connection-loss.js';
import { ErrorCode, UnauthenticatedError, UnavailableError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import type { Principal } from './principal.js';
import { AuthenticationRefused, AuthenticationService } from './authentication.service.js';

export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * Authenticates every GraphQL request before Apollo sees it, so that no operation, not even
 * `{ __typename }`, runs for an unverified caller (house rule 1, C21). A refusal is a
 * GraphQL-shaped 401 whose message never says which check failed.
 */
@Injectable()
export class AuthenticationMiddleware implements NestMiddleware {
  constructor(
    private readonly authentication: AuthenticationService,
    private readonly data: DataAccess,
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
      if (error instanceof UnavailableError || isConnectionLoss(error)) return this.unavailable(res, error);
      if (!(error instanceof UnauthenticatedError)) return next(error);
      this.logger.info({ reason: error.internalReason }, 'request not authenticated');
      if (error instanceof AuthenticationRefused) await this.auditRefusal(error, String(req.id ?? ''));
      res
        .status(401)
        .setHeader('WWW-Authenticate', challengeFor(error))
        .json({ errors: [{ message: error.message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
    }
  }

  /** The database is gone (failover, restart): the caller may try again; nothing else is said. */
  private unavailable(res: Response, error: unknown): void {
    this.logger.warn(describeConnectionLoss(error), 'request refused: the database is unavailable');
    const refusal = new UnavailableError();
    res.status(503).json({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
  }

  /** A verified person refused at the door is audited like any refused operation (C16). */
  private async auditRefusal(refusal: AuthenticationRefused, requestId: string): Promise<void> {
    try {
      await this.data
        .forRefusedIdentity(refusal.identity, requestId || null)
        .transaction((db) => this.ledger.append(db, { action: 'authenticate', outcome: 'DENIED', details: refusal.details }));
    } catch {
      // The caller is refused either way; a refusal that could not be recorded is an alert.
      this.logger.error({ action: 'authenticate' }, 'could not audit a refused authentication');
    }
  }
}

/**
 * What the client may act on, and no more (RFC 6750 section 3, RFC 9470): no token at all is a
 * bare challenge; an expired token says so, so the app refreshes it; a person who must sign in
 * again with multi-factor is told that; every other failure is one `invalid_token`, never which
 * check failed.
 */
export function challengeFor(error: UnauthenticatedError): string {
  if (error instanceof AuthenticationRefused && error.challenge) return error.challenge;
  if (error.internalReason === 'no bearer token') return 'Bearer';
  if (error.internalReason === 'expired') return 'Bearer error="invalid_token", error_description="expired"';
  return 'Bearer error="invalid_token"';
}
