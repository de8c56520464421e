import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { ErrorCode, UnauthenticatedError } from '@libs/graphql/errors.js';
import type { Principal } from './principal.js';
import { AuthenticationService } from './authentication.service.js';

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
      res
        .status(401)
        .setHeader('WWW-Authenticate', 'Bearer')
        .json({ errors: [{ message: error.message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
    }
  }
}
