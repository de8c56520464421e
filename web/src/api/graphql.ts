import type { Session } from '../auth/session';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sends one GraphQL operation with the access token (POST only: no person's data in a URL, C3).
 * An access token the API calls expired is refreshed once and the operation sent again.
 */
export async function graphql<T>(session: Session, query: string, variables?: Record<string, unknown>): Promise<T> {
  const send = async () =>
    fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${await session.accessToken()}` },
      body: JSON.stringify({ query, variables }),
      cache: 'no-store',
      credentials: 'omit',
    });
  let response = await send();
  if (response.status === 401 && /error="invalid_token"/.test(response.headers.get('WWW-Authenticate') ?? '')) {
    await session.refresh();
    response = await send();
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ApiError(first.extensions?.code ?? 'INTERNAL', first.message);
  }
  if (!response.ok || !body.data) throw new ApiError('UNAVAILABLE', `HTTP ${response.status}`);
  return body.data;
}
