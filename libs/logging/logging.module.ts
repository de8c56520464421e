import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
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
            genReqId: (req: IncomingMessage) => {
              const given = req.headers['x-request-id'];
              return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
            },
            // Only method and path: a query string could carry a value, and bodies are never logged.
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
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
