import { ApiError, OfflineError, SessionExpiredError } from '../../api/graphql';

/** What went wrong, in words a compliance officer can act on (never the input's values). */
export function problemText(error: unknown): string {
  if (error instanceof OfflineError) return 'You are offline. Try again when the connection is back.';
  if (error instanceof SessionExpiredError) return 'Your sign-in has ended. Sign in again to go on.';
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'UNAUTHENTICATED':
        return 'Your sign-in has ended. Sign in again to go on.';
      case 'FORBIDDEN':
        return 'Your role may not see this. Ask your administrator if you need it.';
      case 'RATE_LIMITED':
        return 'Too many requests for now. Wait a few minutes and try again.';
      case 'BAD_USER_INPUT': {
        const fields = error.fields.map((f) => sentenceCase(f.split('.').pop() ?? f));
        return fields.length ? `Check these fields: ${fields.join(', ')}.` : 'Check what you entered.';
      }
    }
  }
  return 'The service could not answer. Try again in a moment.';
}

/** `incidentNumber` -> `Incident number` (DESIGN.md: fields are labelled with the input field in sentence case). */
export function sentenceCase(field: string): string {
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `2026-01-05` (a date field) -> the start of that day where the officer is, as an instant. */
export function startOfDay(date: string): string | undefined {
  return date ? new Date(`${date}T00:00:00`).toISOString() : undefined;
}

/** The instant after the last moment of that day (filters' `to` is exclusive). */
export function endOfDay(date: string): string | undefined {
  if (!date) return undefined;
  const next = new Date(`${date}T00:00:00`);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
}

export function when(instant: string): string {
  return new Date(instant).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const INTEGRITY_WORDS: Record<string, string> = {
  VERIFIED: 'Verified: sealed by the ledger and unchanged',
  PENDING: 'Not sealed yet (sealed within seconds)',
  FAILED: 'Failed: does not match what the ledger sealed',
};
