import type { AppConfig } from '@libs/config/app-config.js';
import { DEV_AUDIENCE, devIssuerUrl } from './dev-issuer.js';

/**
 * The one identity provider the app and the API use: AUTH_ISSUER when set (in development too),
 * otherwise the development provider at `<PUBLIC_URL>/dev-idp` (never in production).
 */
export function authIssuerOf(config: AppConfig): string {
  return config.usesDevIssuer ? devIssuerUrl(config.publicUrl) : config.env.AUTH_ISSUER!;
}

/** The API's audience: what access tokens must carry in `aud`, and the app's resource indicator. */
export function authAudienceOf(config: AppConfig): string {
  return config.usesDevIssuer ? DEV_AUDIENCE : config.env.AUTH_AUDIENCE!;
}
