import type { RequestHandler } from 'express';
import helmet, { strictTransportSecurity } from 'helmet';
import type { AppConfig } from '@libs/config/app-config.js';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Every answer of the API is data, never a document: nothing may load or run in it, or frame it. */
const API_DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Security headers on every answer, errors included (helmet): nosniff, no referrer, a CSP that
 * forbids framing and loading anything, and HSTS behind TLS. HSTS is sent always in production,
 * where TLS is mandatory (C23) and terminated by a proxy, and otherwise only when the request came
 * over TLS (directly, or through the trusted loopback proxy's X-Forwarded-Proto), so a developer's
 * plain-http localhost is never pinned to https. The pages (the browser app, GraphiQL outside
 * production) replace the CSP with their own, set where they are served.
 */
export function securityHeaders(config: AppConfig): RequestHandler[] {
  const common = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: API_DIRECTIVES },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  }) as unknown as RequestHandler;
  const hsts = strictTransportSecurity({ maxAge: ONE_YEAR_SECONDS, includeSubDomains: true }) as unknown as RequestHandler;
  return [common, (req, res, next) => (config.isProduction || req.secure ? hsts(req, res, next) : next())];
}
