import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '@libs/config/app-config.js';
import { ErrorCode } from './errors.js';
import { sendErrorResponse } from './http-error.js';

/**
 * A browser's request for GraphiQL: a GET of /graphql asking for HTML, with no query string,
 * outside production. The only GET answered, and the only page with its own CSP (security-headers).
 */
export function isGraphiqlPageRequest(req: Request, config: AppConfig): boolean {
  return (
    !config.isProduction &&
    req.method === 'GET' &&
    // The original URL: under a mount path (Nest middleware) req.path is relative.
    /^\/graphql\/?$/.test((req.originalUrl ?? req.url).split('?')[0]) &&
    Object.keys(req.query ?? {}).length === 0 &&
    (req.headers.accept ?? '').includes('text/html')
  );
}

/** `application/json`, with or without parameters (charset): the only body a GraphQL POST may carry. */
function isJson(req: Request): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json';
}

/**
 * HTTP rules for /graphql: answers are never cached (C12), and operations travel only in POST
 * bodies, so no name or date of birth ever sits in a URL. A GET is answered 405, except a
 * browser's request for GraphiQL (HTML, no query string) outside production. A body of any type
 * but JSON is refused (415) before anything reads it.
 */
@Injectable()
export class GraphqlHttpPolicyMiddleware implements NestMiddleware {
  constructor(private readonly config: AppConfig) {}

  use(req: Request, res: Response, next: NextFunction): void {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    if (req.method === 'POST') {
      if (!isJson(req)) return sendErrorResponse(res, 415, ErrorCode.BAD_USER_INPUT, 'UNSUPPORTED_CONTENT_TYPE');
      return next();
    }
    if (isGraphiqlPageRequest(req, this.config)) return next();
    res
      .status(405)
      .setHeader('Allow', 'POST')
      .json({ errors: [{ message: 'GraphQL requests must be sent with POST', extensions: { code: ErrorCode.BAD_USER_INPUT, fields: [], problems: [] } }] });
  }
}
