import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '@libs/auth/public.decorator.js';
import { GRAPHIQL_CONTENT_SECURITY_POLICY, GRAPHIQL_PAGE, GraphiqlFiles } from './graphiql-files.js';

/**
 * GraphiQL, outside production only (GraphiqlModule is not imported in production): its page at
 * GET /graphql (a browser asking for HTML; GraphqlHttpPolicyMiddleware answers every other GET
 * 405 before this runs) and its files under /graphiql/, all from this service, so it works on a
 * network without internet. No inline script: the page's CSP allows scripts from 'self' only.
 */
@Controller()
export class GraphiqlController {
  constructor(private readonly files: GraphiqlFiles) {}

  @Public()
  @Get('graphql')
  page(@Res() res: Response): void {
    res.setHeader('Content-Security-Policy', GRAPHIQL_CONTENT_SECURITY_POLICY);
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    if (this.files.missing.length > 0) {
      res
        .status(503)
        .type('text/plain')
        .send(`GraphiQL's files are not installed (${this.files.missing.join(', ')}): run \`npm install\` (development dependencies included), then start the service again.\n`);
      return;
    }
    res.status(200).type('text/html; charset=utf-8').send(GRAPHIQL_PAGE);
  }

  @Public()
  @Get('graphiql/:file')
  asset(@Param('file') name: string, @Req() req: Request, @Res() res: Response): void {
    const found = this.files.get(name);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!found) return void res.status(404).type('text/plain').send('Not found');
    // Revalidated on every load (names carry no version), answered 304 while unchanged.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', found.etag);
    if (req.headers['if-none-match'] === found.etag) return void res.status(304).end();
    res.status(200).type(found.contentType).send(found.body);
  }
}
