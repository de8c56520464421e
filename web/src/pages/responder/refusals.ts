import { ApiError, OfflineError, SessionExpiredError } from '../../api/graphql';

/** Why no answer is shown, in words a person on the way to a call can act on. */
export type Refusal =
  | { kind: 'rate-limited'; waitText?: string }
  | { kind: 'offline' }
  | { kind: 'session-expired' }
  | { kind: 'forbidden' }
  | { kind: 'unavailable' }
  | { kind: 'invalid'; fields: string[] };

export function refusalOf(error: unknown): Refusal {
  if (error instanceof OfflineError) return { kind: 'offline' };
  if (error instanceof SessionExpiredError) return { kind: 'session-expired' };
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'RATE_LIMITED':
        return { kind: 'rate-limited', waitText: error.retryAfterSeconds === undefined ? undefined : waitInWords(error.retryAfterSeconds) };
      case 'UNAUTHENTICATED':
        return { kind: 'session-expired' };
      case 'FORBIDDEN':
        return { kind: 'forbidden' };
      case 'BAD_USER_INPUT':
        return { kind: 'invalid', fields: error.fields };
      default:
        return { kind: 'unavailable' };
    }
  }
  return { kind: 'unavailable' };
}

/** `retryAfterSeconds` as a person says it: "12 minutes", "1 minute", "3 hours". */
export function waitInWords(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes <= 90) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.ceil(seconds / 3600);
  return `${hours} hours`;
}
