import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '@libs/config/app-config.js';
import { ErrorCode } from './errors.js';

/**
 * HTTP rules for /graphql: answers are never cached (C12), and operations travel only in POST
 * bodies, so no name or date of birth ever sits in a URL. A GET is answered 405, except a
 * browser's request for GraphiQL (HTML, no query string) outside production.
 */
@Injectable()
export class GraphqlHttpPolicyMiddleware implements NestMiddleware {
  constructor(private readonly config: AppConfig) {}

  use(req: Request, res: Response, next: NextFunction): void {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    if (req.method === 'POST') return next();
    const landingPage =
      !this.config.isProduction &&
      req.method === 'GET' &&
      Object.keys(req.query ?? {}).length === 0 &&
      (req.headers.accept ?? '').includes('text/html');
    if (landingPage) return next();
    res
      .status(405)
      .setHeader('Allow', 'POST')
      .json({ errors: [{ message: 'GraphQL requests must be sent with POST', extensions: { code: ErrorCode.BAD_USER_INPUT, fields: [] } }] });
  }
}
