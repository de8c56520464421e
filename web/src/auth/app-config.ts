/** What the service tells the app at start (`/app-config.json`); see src/web-app/web-app-settings.ts. */
export interface AppConfig {
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

export async function loadAppConfig(): Promise<AppConfig> {
  const response = await fetch('/app-config.json', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`app configuration: HTTP ${response.status}`);
  return (await response.json()) as AppConfig;
}
