import type { AppConfig } from '@libs/config/app-config.js';
import { authAudienceOf, authIssuerOf } from '@libs/auth/auth-endpoints.js';

export const WEB_APP_SETTINGS = Symbol('WEB_APP_SETTINGS');

/** What the browser app learns at start from `/app-config.json`. Nothing secret: it is a public client. */
export interface WebClientConfig {
  issuer: string;
  clientId: string;
  audience: string;
  scopes: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  publicUrl: string;
  idleTimeoutSeconds: number;
  /** The responder's answer is removed from the page after this long (WEB_ANSWER_TTL_SECONDS). */
  answerTtlSeconds: number;
  /** ... or once the page has been hidden this long (WEB_HIDDEN_CLEAR_SECONDS). */
  hiddenClearSeconds: number;
  /** The local crisis line offered with "no information" (WEB_CRISIS_LINE). */
  crisisLine: string;
}

export interface WebAppSettings {
  clientConfig: WebClientConfig;
  contentSecurityPolicy: string;
}

export function webAppSettingsOf(config: AppConfig): WebAppSettings {
  const issuer = authIssuerOf(config);
  const publicUrl = config.publicUrl;
  const scopes = ['openid', 'profile', ...config.webScopes.filter((s) => s !== 'openid' && s !== 'profile')].join(' ');
  const issuerOrigin = new URL(issuer).origin;
  const connect = ["'self'", ...(issuerOrigin === new URL(publicUrl).origin ? [] : [issuerOrigin])].join(' ');
  return {
    clientConfig: {
      issuer,
      clientId: config.env.AUTH_WEB_CLIENT_ID,
      audience: authAudienceOf(config),
      scopes,
      redirectUri: `${publicUrl}/auth/callback`,
      postLogoutRedirectUri: `${publicUrl}/`,
      publicUrl,
      idleTimeoutSeconds: config.env.WEB_IDLE_TIMEOUT_SECONDS,
      answerTtlSeconds: config.env.WEB_ANSWER_TTL_SECONDS,
      hiddenClearSeconds: config.env.WEB_HIDDEN_CLEAR_SECONDS,
      crisisLine: config.env.WEB_CRISIS_LINE,
    },
    // script-src 'self' with no 'unsafe-inline' and no nonce (docs/architecture.md, the page's CSP).
    contentSecurityPolicy: [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src ${connect}`,
      "manifest-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}
