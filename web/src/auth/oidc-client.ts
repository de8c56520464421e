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
    sessionStorage.setItem(PENDING_SIGN_IN, JSON.stringify(pending));
    window.location.assign(url.href);
    return new Promise<never>(() => {});
  }

  /** Completes a sign-in from the callback URL's query; the pending entry is removed first, whatever happens. */
  async completeSignIn(callbackUrl: URL): Promise<Tokens> {
    const saved = sessionStorage.getItem(PENDING_SIGN_IN);
    sessionStorage.removeItem(PENDING_SIGN_IN);
    if (!saved) throw new SignInError('no sign-in in progress');
    const pending = JSON.parse(saved) as PendingSignIn;
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
    return this.tokensFrom(result);
  }

  async refresh(tokens: Tokens): Promise<Tokens> {
    if (!tokens.refreshToken) throw new SignInError('no refresh token');
    const response = await oauth.refreshTokenGrantRequest(this.server, this.client, oauth.None(), tokens.refreshToken, {
      ...this.options,
      additionalParameters: { resource: this.config.audience },
    });
    const result = await oauth.processRefreshTokenResponse(this.server, this.client, response);
    const next = this.tokensFrom(result);
    return { ...next, refreshToken: next.refreshToken ?? tokens.refreshToken, idToken: next.idToken ?? tokens.idToken };
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
