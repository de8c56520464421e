import { ApiError, OfflineError, SessionExpiredError } from '../../api/graphql';

/** One problem of a `BAD_USER_INPUT` refusal (DESIGN.md): a dotted input path, a rule, a limit. */
export interface Problem {
  field: string;
  rule: string;
  limit?: number | string;
  /** The service's own word for why, where it gave one (`PARTNERSHIP_REQUIRED`). */
  reason?: string;
}

/**
 * `extensions.problems`, with `input.` dropped from the paths (`signedBy.name`, `expiresAt`); a
 * consent naming an agency without a partnership agreement in force (`PARTNERSHIP_REQUIRED`)
 * carries its problems the same way, by recipient.
 */
export function problemsOf(error: unknown): Problem[] {
  if (!(error instanceof ApiError) || (error.code !== 'BAD_USER_INPUT' && error.code !== 'PARTNERSHIP_REQUIRED')) return [];
  const raw = error.extensions.problems;
  const problems = Array.isArray(raw)
    ? raw.filter((p): p is Problem => typeof p === 'object' && p !== null && typeof (p as Problem).field === 'string').map((p) => ({ ...p, field: p.field.replace(/^input\./, '') }))
    : [];
  return problems.length ? problems : error.fields.map((field) => ({ field: field.replace(/^input\./, ''), rule: 'INVALID_FORMAT' }));
}

/** A rule in words, for the field's label (`Expires at must be in the future`). */
export function ruleText(label: string, problem: Problem): string {
  const limit = problem.limit;
  switch (problem.rule) {
    case 'REQUIRED':
      return `Enter ${label.toLowerCase()}`;
    case 'TOO_SHORT':
      return `${label} is too short${limit ? ` (at least ${limit})` : ''}`;
    case 'TOO_LONG':
      return `${label} is too long${limit ? ` (at most ${limit})` : ''}`;
    case 'TOO_MANY':
      return `${label}: too many${limit ? ` (at most ${limit})` : ''}`;
    case 'INVALID_DATE':
      return `${label} must be a real date`;
    case 'MUST_BE_IN_FUTURE':
      return `${label} must be in the future`;
    case 'MUST_NOT_BE_IN_FUTURE':
      return `${label} must not be in the future`;
    case 'MUST_BE_AFTER':
      return `${label} must be later${limit ? ` than ${sentenceCase(String(limit))}` : ''}`;
    case 'NOT_ALLOWED_VALUE':
      return problem.reason === 'PARTNERSHIP_REQUIRED' ? `${label}: an agency has no partnership agreement in force with your program` : `${label}: this value is not allowed`;
    case 'UNKNOWN_ORGANIZATION':
      return `${label}: an organisation is not one your consents may name`;
    default:
      return `${label} is not in the right form`;
  }
}

/** `recipientOrganizationKeys` -> `Recipient organizations` (DESIGN.md's label rule). */
export function sentenceCase(field: string): string {
  const special: Record<string, string> = { recipientOrganizationKeys: 'Recipient organizations' };
  const last = field.split('.').pop() ?? field;
  if (special[last]) return special[last];
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Anything else that went wrong, in words staff can act on. */
export function problemText(error: unknown): string {
  if (error instanceof OfflineError) return 'You are offline. Try again when the connection is back.';
  if (error instanceof SessionExpiredError) return 'Your sign-in has ended. Sign in again to go on.';
  if (error instanceof ApiError) {
    if (error.code === 'UNAUTHENTICATED') return 'Your sign-in has ended. Sign in again to go on.';
    if (error.code === 'FORBIDDEN') return 'Your role may not do this. Ask your administrator if you need it.';
    if (error.code === 'NOT_FOUND') return 'This record is not there any more.';
    if (error.code === 'BAD_USER_INPUT') return 'Check what you entered.';
  }
  return 'The service could not answer. Try again in a moment.';
}

export function when(instant: string): string {
  return new Date(instant).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function day(instant: string): string {
  return new Date(instant).toLocaleDateString(undefined, { dateStyle: 'long' });
}

/** Now, as a `datetime-local` input's value where the staff member is. */
export function localNow(): string {
  const now = new Date();
  now.setSeconds(0, 0);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
