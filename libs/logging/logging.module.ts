import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '@libs/config/app-config.js';

/**
 * Keys whose values are patient identifying information (C3) or secrets. Redacted wherever they
 * appear, up to four levels deep, whatever logged them.
 */
export const REDACTED_KEYS = [
  'givenName',
  'familyName',
  'dateOfBirth',
  'aliases',
  'phone',
  'afterHoursPhone',
  'engagementNotes',
  'natureOfEmergency',
  'careTeam',
  'variables',
  'password',
  'authorization',
  'cookie',
  'token',
];

/**
 * The request id is the server's own, a fresh UUID, and the one the audit records (C16): a
 * caller-chosen X-Request-Id would let two callers share one, or one caller pose as another's
 * request. It is sent back as X-Request-Id, for the caller to quote when reporting a problem.
 */
export function generateRequestId(_req: IncomingMessage, res: ServerResponse): string {
  const id = randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * The caller's own X-Request-Id, logged apart as `clientRequestId` (never audited) so a client's
 * trace can be matched to ours. Only a UUID or a 32-hex-digit trace id is kept, anything else is
 * dropped: a freer format could carry a name or a date of birth into the logs (C3).
 */
const CLIENT_REQUEST_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;
export function clientRequestIdOf(headers: IncomingMessage['headers'] | undefined): string | undefined {
  const given = headers?.['x-request-id'];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given.toLowerCase() : undefined;
}

export function redactionPaths(): string[] {
  const prefixes = ['', '*.', '*.*.', '*.*.*.'];
  return [...prefixes.flatMap((prefix) => REDACTED_KEYS.map((key) => `${prefix}${key}`)), 'req.headers.authorization', 'req.headers.cookie', 'req.body', 'req.query'];
}

/** Structured JSON logs (pino) with PHI redaction and a request id on every line. */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.env.LOG_LEVEL,
            redact: { paths: redactionPaths(), censor: '[redacted]' },
            genReqId: generateRequestId,
            // Only method and path: a query string could carry a value, and bodies are never logged.
            serializers: {
              req: (req: { id: unknown; method: string; url: string; headers?: IncomingMessage['headers'] }) => ({
                id: req.id,
                clientRequestId: clientRequestIdOf(req.headers),
                method: req.method,
                path: String(req.url).split('?')[0],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            // In the base bindings rather than per request: a per-request child logger costs CPU on every call.
            base: { service: 'crisis-link', pid: process.pid },
            autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
          },
        }),
      ],
    };
  }
}
