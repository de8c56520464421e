import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { contentSecurityPolicy, strictTransportSecurity } from 'helmet';
import { createHash } from 'node:crypto';
import type { AppConfig } from '@libs/config/app-config.js';
import { isGraphiqlPageRequest } from '@libs/graphql/http-policy.middleware.js';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Every answer of the API is data, never a document: nothing may load or run in it, or frame it. */
const API_DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * What GraphiQL's page (from @nestjs/apollo, outside production only) loads: React, ReactDOM and
 * GraphiQL from unpkg, plus one inline script (allowed by its hash, computed from the page sent);
 * GraphiQL's stylesheet, which @imports its fonts from Google Fonts, its inline <style> and the
 * style elements its dialogs insert; and its queries to /graphql.
 */
const GRAPHIQL_DIRECTIVES: Record<string, string[]> = {
  ...API_DIRECTIVES,
  'script-src': ['https://unpkg.com'],
  'style-src': ['https://unpkg.com', 'https://fonts.googleapis.com', "'unsafe-inline'"],
  'font-src': ['https://fonts.gstatic.com', 'data:'],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
};

/** CSP source expressions for each inline <script> of a page. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1]).digest('base64')}'`,
  );
}

/** Replaces the strict policy by GraphiQL's when its page is sent: the inline script's hash needs the page. */
function graphiqlPagePolicy(): RequestHandler {
  let cached: { key: string; policy: ReturnType<typeof contentSecurityPolicy> } | undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    const send = res.send.bind(res);
    res.send = ((body?: unknown) => {
      if (typeof body === 'string') {
        const hashes = inlineScriptHashes(body);
        const key = hashes.join(' ');
        if (cached?.key !== key) {
          const directives = { ...GRAPHIQL_DIRECTIVES, 'script-src': [...GRAPHIQL_DIRECTIVES['script-src'], ...hashes] };
          cached = { key, policy: contentSecurityPolicy({ useDefaults: false, directives }) };
        }
        cached.policy(req, res, () => undefined);
      }
      return send(body);
    }) as Response['send'];
    next();
  };
}

/**
 * Security headers on every answer, errors included (helmet): nosniff, no referrer, a CSP that
 * forbids framing and loading anything, and HSTS behind TLS. HSTS is sent always in production,
 * where TLS is mandatory (C23) and terminated by a proxy, and otherwise only when the request came
 * over TLS (directly, or through the trusted loopback proxy's X-Forwarded-Proto), so a developer's
 * plain-http localhost is never pinned to https.
 */
export function securityHeaders(config: AppConfig): RequestHandler[] {
  const common = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: API_DIRECTIVES },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  }) as unknown as RequestHandler;
  const hsts = strictTransportSecurity({ maxAge: ONE_YEAR_SECONDS, includeSubDomains: true }) as unknown as RequestHandler;
  const graphiql = graphiqlPagePolicy();
  return [
    common,
    (req, res, next) => (config.isProduction || req.secure ? hsts(req, res, next) : next()),
    (req, res, next) => (isGraphiqlPageRequest(req, config) ? graphiql(req, res, next) : next()),
  ];
}
