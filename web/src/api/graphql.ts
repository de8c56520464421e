import { OfflineError, SessionExpiredError, type Session } from '../auth/session';
import type { Operation } from './operation';

/** A refusal or failure the API answered with (`errors[0].extensions.code`, DESIGN.md). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** `RATE_LIMITED`: seconds until the next attempt is within the limit. */
  get retryAfterSeconds(): number | undefined {
    const value = this.extensions.retryAfterSeconds;
    return typeof value === 'number' && value >= 0 ? value : undefined;
  }

  /** `BAD_USER_INPUT`: the offending input fields (names, never values), e.g. `input.givenName`. */
  get fields(): string[] {
    const value = this.extensions.fields;
    return Array.isArray(value) ? value.filter((f): f is string => typeof f === 'string') : [];
  }
}

export { OfflineError, SessionExpiredError };

type GraphqlBody<T> = { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

/**
 * Sends one typed GraphQL operation (generated from schema.gql beside its `.graphql` file) with
 * the access token: POST only, so no person's data is ever in a URL (C3), and never cached.
 * An access token the API calls expired is refreshed once and the operation sent again.
 * Throws OfflineError (no network: nothing was sent or answered), SessionExpiredError (sign in
 * again) or ApiError (the API's refusal).
 */
export async function graphql<Result, Variables>(session: Session, operation: Operation<Result, Variables>, variables?: Variables): Promise<Result> {
  if (navigator.onLine === false) throw new OfflineError('offline');
  const send = async () => {
    const token = await session.accessToken();
    try {
      return await fetch('/graphql', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: operation, variables }),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      // fetch rejects only when no answer came at all.
      if (navigator.onLine === false) throw new OfflineError('offline');
      throw new ApiError('UNAVAILABLE', 'the service did not answer');
    }
  };
  let response = await send();
  if (response.status === 401 && /error="invalid_token"/.test(response.headers.get('WWW-Authenticate') ?? '')) {
    await session.refresh();
    response = await send();
    if (response.status === 401) throw new SessionExpiredError('the API refused the new token');
  }
  const body = (await response.json().catch(() => ({}))) as GraphqlBody<Result>;
  if (body.errors?.length) {
    const [first] = body.errors;
    const extensions = first.extensions ?? {};
    throw new ApiError(typeof extensions.code === 'string' ? extensions.code : 'INTERNAL', first.message, extensions);
  }
  if (!response.ok || !body.data) throw new ApiError('UNAVAILABLE', `HTTP ${response.status}`);
  return body.data;
}
