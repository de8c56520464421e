import { Injectable, type NestMiddleware } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ErrorCode } from './errors.js';
import { type HttpRefusalReason, sendErrorResponse } from './http-error.js';

/** The largest request body read: far above any operation the limits let through (C3: no bulk). */
export const MAX_REQUEST_BODY = '100kb';

/** body-parser's error types, and how each is answered; anything else of the client's is a 400. */
const REFUSALS: Record<string, { status: number; reason: HttpRefusalReason }> = {
  'entity.parse.failed': { status: 400, reason: 'MALFORMED_JSON' },
  'entity.too.large': { status: 413, reason: 'BODY_TOO_LARGE' },
  'charset.unsupported': { status: 415, reason: 'UNSUPPORTED_CONTENT_TYPE' },
  'encoding.unsupported': { status: 415, reason: 'UNSUPPORTED_CONTENT_ENCODING' },
};

/**
 * Reads the JSON body of a GraphQL POST. It runs after the HTTP rules and authentication, so an
 * unauthenticated caller's body is never read at all; and its refusals are answered in the one
 * error shape, because body-parser's own errors quote the body ("Unexpected token 'D', "Dana…"),
 * which Nest's default filter would send back (C3).
 */
@Injectable()
export class GraphqlJsonBodyMiddleware implements NestMiddleware {
  private readonly parse = express.json({ limit: MAX_REQUEST_BODY, strict: true, type: 'application/json' });

  use(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'POST') return next();
    this.parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const { type, status } = error as { type?: string; status?: number };
      const known = type ? REFUSALS[type] : undefined;
      if (known) return sendErrorResponse(res, known.status, ErrorCode.BAD_USER_INPUT, known.reason);
      if (typeof status === 'number' && status >= 400 && status < 500) return sendErrorResponse(res, 400, ErrorCode.BAD_USER_INPUT, 'UNREADABLE_BODY');
      sendErrorResponse(res, 500, ErrorCode.INTERNAL);
    });
  }
}
