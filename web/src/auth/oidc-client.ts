import * as oauth from 'oauth4webapi';
import type { AppConfig } from './app-config';

/** Tokens, held in memory only (HIPAA 164.312(a)(2)(iii); never in any browser storage). */
export interface Tokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Epoch milliseconds (by this page's clock) when the access token stops being accepted. */
  expiresAt: number;
  lifetimeMs: number;
  /** Who signed in (the ID token's `sub`), to tell a second sign-in by someone else. */
  subject?: string;
}

/**
 * The one thing that survives the round trip to the identity provider: the PKCE verifier, state
 * and nonce of a sign-in in progress. It is not a token; it is read and removed on the callback.
 */
const PENDING_SIGN_IN = 'crisis-link.pending-sign-in';
interface PendingSignIn {
  codeVerifier: string;
  state: string;
  nonce: string;
}

export class SignInError extends Error {}

/** The provider could not be reached (no network): not a refusal, the tokens may still be good. */
export class ProviderUnreachableError extends Error {}

/**
 * A sign-in again in a second window, while the page keeps what was typed: its `state` starts
 * with this, so the callback in that window hands the answer back instead of starting the app.
 */
export const SIGN_IN_AGAIN_STATE_PREFIX = 'again.';
const SIGN_IN_AGAIN_CHANNEL = 'crisis-link.sign-in-again';

/** Called on `/auth/callback` in the second window: hands the provider's answer to the page that asked. */
export function isSignInAgainCallback(url: URL): boolean {
  return url.pathname === '/auth/callback' && (url.searchParams.get('state') ?? '').startsWith(SIGN_IN_AGAIN_STATE_PREFIX);
}

export function handBackSignInAgain(url: URL): void {
  const channel = new BroadcastChannel(SIGN_IN_AGAIN_CHANNEL);
  channel.postMessage(url.href);
  channel.close();
}

/** A network failure (fetch's TypeError), as opposed to an answer from the provider. */
function unreachable(error: unknown): boolean {
  return error instanceof TypeError || (typeof navigator !== 'undefined' && navigator.onLine === false);
}

/**
 * OpenID Connect for a public browser client, with oauth4webapi: authorization code + PKCE S256,
 * response_mode=query, state and nonce, a resource indicator for the API (RFC 8707), refresh
 * tokens, and RP-initiated logout.
 */
export class OidcClient {
  private constructor(
    private readonly config: AppConfig,
    private readonly server: oauth.AuthorizationServer,
    private readonly client: oauth.Client,
    private readonly options: { [oauth.allowInsecureRequests]?: boolean },
  ) {}

  static async discover(config: AppConfig): Promise<OidcClient> {
    const issuer = new URL(config.issuer);
    // Plain http only for a development provider on this machine.
    const local = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
    const options = local ? { [oauth.allowInsecureRequests]: true } : {};
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options });
    const server = await oauth.processDiscoveryResponse(issuer, response);
    return new OidcClient(config, server, { client_id: config.clientId }, options);
  }

  get endSessionSupported(): boolean {
    return typeof this.server.end_session_endpoint === 'string';
  }

  async signIn(): Promise<never> {
    const pending: PendingSignIn = {
      codeVerifier: oauth.generateRandomCodeVerifier(),
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
    };
    const url = await this.authorizationUrl(pending);
    sessionStorage.setItem(PENDING_SIGN_IN, JSON.stringify(pending));
    window.location.assign(url);
    return new Promise<never>(() => {});
  }

  /**
   * Signs in again in a second window (a popup, or a tab on a phone) so that this page, and what
   * was typed in it, stays as it is. The verifier, state and nonce stay in this page's memory; the
   * second window's callback hands the provider's answer back over a BroadcastChannel (which
   * works whatever the provider's pages do to `window.opener`) and closes itself. `window`
   * must be opened in the click that asked, before anything asynchronous.
   */
  async signInAgain(popup: Window): Promise<Tokens> {
    const pending: PendingSignIn = {
      codeVerifier: oauth.generateRandomCodeVerifier(),
      state: `${SIGN_IN_AGAIN_STATE_PREFIX}${oauth.generateRandomState()}`,
      nonce: oauth.generateRandomNonce(),
    };
    const channel = new BroadcastChannel(SIGN_IN_AGAIN_CHANNEL);
    try {
      const answered = new Promise<URL>((resolve) => {
        channel.onmessage = (event: MessageEvent<unknown>) => {
          if (typeof event.data !== 'string') return;
          const url = new URL(event.data);
          if (url.origin === window.location.origin && url.searchParams.get('state') === pending.state) resolve(url);
        };
      });
      popup.location.href = await this.authorizationUrl(pending);
      return await this.exchange(await answered, pending);
    } finally {
      channel.close();
    }
  }

  private async authorizationUrl(pending: PendingSignIn): Promise<string> {
    const url = new URL(this.server.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: this.config.clientId,
      redirect_uri: this.config.redirectUri,
      response_type: 'code',
      response_mode: 'query',
      scope: this.config.scopes,
      code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      resource: this.config.audience,
    }).toString();
    return url.href;
  }

  /** Completes a sign-in from the callback URL's query; the pending entry is removed first, whatever happens. */
  async completeSignIn(callbackUrl: URL): Promise<Tokens> {
    const saved = sessionStorage.getItem(PENDING_SIGN_IN);
    sessionStorage.removeItem(PENDING_SIGN_IN);
    if (!saved) throw new SignInError('no sign-in in progress');
    return this.exchange(callbackUrl, JSON.parse(saved) as PendingSignIn);
  }

  private async exchange(callbackUrl: URL, pending: PendingSignIn): Promise<Tokens> {
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(this.server, this.client, callbackUrl, pending.state);
    } catch {
      throw new SignInError('the identity provider refused or the answer did not match');
    }
    const response = await oauth.authorizationCodeGrantRequest(this.server, this.client, oauth.None(), params, this.config.redirectUri, pending.codeVerifier, {
      ...this.options,
      additionalParameters: { resource: this.config.audience },
    });
    const result = await oauth.processAuthorizationCodeResponse(this.server, this.client, response, { expectedNonce: pending.nonce, requireIdToken: true });
    return { ...this.tokensFrom(result), subject: oauth.getValidatedIdTokenClaims(result)?.sub };
  }

  async refresh(tokens: Tokens): Promise<Tokens> {
    if (!tokens.refreshToken) throw new SignInError('no refresh token');
    let response: Response;
    try {
      response = await oauth.refreshTokenGrantRequest(this.server, this.client, oauth.None(), tokens.refreshToken, {
        ...this.options,
        additionalParameters: { resource: this.config.audience },
      });
    } catch (error) {
      if (unreachable(error)) throw new ProviderUnreachableError('the identity provider cannot be reached');
      throw error;
    }
    const result = await oauth.processRefreshTokenResponse(this.server, this.client, response);
    const next = this.tokensFrom(result);
    return { ...next, refreshToken: next.refreshToken ?? tokens.refreshToken, idToken: next.idToken ?? tokens.idToken, subject: tokens.subject };
  }

  /** Where to send the browser to end the provider's session (RP-initiated logout). */
  endSessionUrl(idToken: string | undefined, reason: string): string {
    if (!this.server.end_session_endpoint) return `${this.config.postLogoutRedirectUri}?state=${encodeURIComponent(reason)}`;
    const url = new URL(this.server.end_session_endpoint);
    const params = new URLSearchParams({ client_id: this.config.clientId, post_logout_redirect_uri: this.config.postLogoutRedirectUri, state: reason });
    if (idToken) params.set('id_token_hint', idToken);
    url.search = params.toString();
    return url.href;
  }

  private tokensFrom(result: oauth.TokenEndpointResponse): Tokens {
    const lifetimeMs = (result.expires_in ?? 300) * 1000;
    return {
      accessToken: result.access_token,
      refreshToken: result.refresh_token,
      idToken: result.id_token,
      expiresAt: Date.now() + lifetimeMs,
      lifetimeMs,
    };
  }
}
