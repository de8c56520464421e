import type { Response } from 'express';
import { MESSAGES } from './error-formatter.js';
import type { ErrorCode } from './errors.js';

/** Machine-readable reasons of refusals made at the HTTP edge, before Apollo. */
export type HttpRefusalReason = 'MALFORMED_JSON' | 'BODY_TOO_LARGE' | 'UNSUPPORTED_CONTENT_TYPE' | 'UNSUPPORTED_CONTENT_ENCODING' | 'UNREADABLE_BODY';

/**
 * The one error shape, for refusals made outside Apollo (body parsing, HTTP rules): a
 * GraphQL-shaped body with one error, the fixed message of its code and never a value of the
 * request (C3, house rule 8), never cached (C12).
 */
export function sendErrorResponse(res: Response, status: number, code: ErrorCode, reason?: HttpRefusalReason): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  // BAD_USER_INPUT always lists its fields and problems; a refusal of the whole body names none.
  const extensions: Record<string, unknown> = code === 'BAD_USER_INPUT' ? { code, fields: [], problems: [] } : { code };
  if (reason) extensions.reason = reason;
  res.status(status).json({ errors: [{ message: MESSAGES[code], extensions }] });
}
