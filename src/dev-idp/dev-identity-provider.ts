import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { AppConfig } from '@libs/config/app-config.js';
import { DEV_AUDIENCE, DevIssuer, devIssuerUrl } from '@libs/auth/dev-issuer.js';
import { DEMO_ORGANIZATIONS, DEMO_PRINCIPALS } from '@app/demo/demo-data.js';
import { DevIdpMemoryStore } from './dev-idp-adapter.js';
import {
  DEV_IDP_PAGE_CSP,
  DEV_IDP_SIGN_OUT_SCRIPT,
  DEV_IDP_STYLESHEET,
  type DemoPerson,
  errorPage,
  loginPage,
  logoutPage,
  signedOutPage,
} from './dev-idp-pages.js';

/** Lifetimes (seconds). Access tokens for the API live 10 minutes; the app refreshes them. */
export const DEV_IDP_TTL = {
  AccessToken: 600,
  AuthorizationCode: 60,
  IdToken: 3600,
  RefreshToken: 8 * 3600,
  Interaction: 600,
  Session: 8 * 3600,
  Grant: 8 * 3600,
} as const;

/**
 * What the development provider says about how a demo person signed in (RFC 8176). It has no
 * password at all; it asserts multi-factor so that MFA policies can be exercised end to end.
 */
export const DEMO_AMR = ['mfa'];

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

interface DemoAccount extends DemoPerson {
  org: string;
}

function demoAccounts(): DemoAccount[] {
  return DEMO_PRINCIPALS.map((p) => ({
    sub: p.sub,
    name: p.name,
    role: p.role,
    org: p.org,
    organizationName: DEMO_ORGANIZATIONS.find((o) => o.key === p.org)?.name ?? p.org,
  }));
}

/** Where the provider lives and whom it knows: what every part of it below needs. */
interface DevIdpSite {
  publicUrl: string;
  issuer: string;
  /** The issuer's path, where the service mounts the provider. */
  mountPath: string;
  assets: string;
  accounts: DemoAccount[];
}

type OidcProvider = InstanceType<(typeof import('oidc-provider'))['default']>;

/** A provider page, with the pages' CSP (no inline script or style). */
function htmlPage(ctx: KoaContextWithOIDC, body: string): void {
  ctx.set('Content-Security-Policy', DEV_IDP_PAGE_CSP);
  ctx.type = 'html';
  ctx.body = body;
}

/** The one first-party client: the browser app, a public client with PKCE. */
function webClient(site: DevIdpSite, clientId: string): NonNullable<Configuration['clients']>[number] {
  return {
    client_id: clientId,
    client_name: 'crisis-link (development)',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [`${site.publicUrl}/auth/callback`],
    post_logout_redirect_uris: [`${site.publicUrl}/`],
    id_token_signed_response_alg: 'ES256',
  };
}

/** Accounts, grants and the claims of the API's access tokens: the demo people and their roles. */
function accountsAndTokens(site: DevIdpSite): Pick<Configuration, 'findAccount' | 'loadExistingGrant' | 'issueRefreshToken' | 'extraTokenClaims'> {
  const { accounts } = site;
  return {
    findAccount: (_ctx, sub) => {
      const account = accounts.find((a) => a.sub === sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: account.name }) };
    },
    // Every scope and the API's resource are granted to the one first-party client: no consent page.
    loadExistingGrant: async (ctx) => {
      const { client, session, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const grant = (grantId && (await provider.Grant.find(grantId))) || new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile offline_access');
      grant.addResourceScope(DEV_AUDIENCE, 'api');
      await grant.save();
      return grant;
    },
    // A browser app gets refresh tokens (rotated on every use) without asking for offline_access.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    extraTokenClaims: (ctx, token) => {
      if (token.kind !== 'AccessToken' || !('accountId' in token)) return undefined;
      const account = accounts.find((a) => a.sub === token.accountId);
      if (!account) return undefined;
      const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
      return { org: account.org, roles: [account.role], name: account.name, amr: source?.amr ?? DEMO_AMR };
    },
  };
}

/** RP-initiated logout with our pages, and JWT access tokens for the API's audience only (RFC 8707). */
function features(site: DevIdpSite, InvalidTarget: new () => Error): Configuration['features'] {
  return {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: (ctx: KoaContextWithOIDC, form: string) => htmlPage(ctx, logoutPage(site.assets, form)),
      postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => htmlPage(ctx, signedOutPage(site.assets)),
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => DEV_AUDIENCE,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => {
        if (resource !== DEV_AUDIENCE) throw new InvalidTarget();
        return { scope: 'api', audience: DEV_AUDIENCE, accessTokenTTL: DEV_IDP_TTL.AccessToken, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
      },
    },
  };
}

function configurationOf(site: DevIdpSite, config: AppConfig, issuerKeys: DevIssuer, InvalidTarget: new () => Error): Configuration {
  return {
    adapter: new DevIdpMemoryStore().adapterFor,
    clients: [webClient(site, config.env.AUTH_WEB_CLIENT_ID)],
    jwks: { keys: [issuerKeys.signingJwk as never] },
    cookies: {
      keys: issuerKeys.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    claims: { openid: ['sub'], profile: ['name'] },
    scopes: ['openid', 'offline_access'],
    clockTolerance: 5,
    ttl: { ...DEV_IDP_TTL },
    pkce: { required: () => true },
    responseTypes: ['code'],
    enabledJWA: { idTokenSigningAlgValues: ['ES256'], requestObjectSigningAlgValues: ['ES256'] },
    clientBasedCORS: (_ctx, origin) => origin === new URL(site.publicUrl).origin,
    interactions: { url: (_ctx, interaction) => `${site.mountPath}/interaction/${interaction.uid}` },
    ...accountsAndTokens(site),
    features: features(site, InvalidTarget),
    renderError: (ctx, out) => htmlPage(ctx, errorPage(site.assets, String(out.error), out.error_description ? String(out.error_description) : undefined)),
  };
}

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': DEV_IDP_PAGE_CSP,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(html);
}

/** The sign-in interaction: the list of demo people, a choice, or a cancellation. */
async function interaction(provider: OidcProvider, site: DevIdpSite, req: IncomingMessage, res: ServerResponse, path: string): Promise<unknown> {
  const { assets, mountPath, accounts } = site;
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login|\/abort)?$/.exec(path);
  if (!match) return sendPage(res, 404, errorPage(assets, 'not_found', undefined));
  const [, uid, action] = match;
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return sendPage(res, 400, errorPage(assets, 'invalid_request', 'interaction mismatch'));
  if (req.method === 'GET' && !action) {
    return sendPage(res, 200, loginPage(assets, `${mountPath}/interaction/${uid}/login`, `${mountPath}/interaction/${uid}/abort`, accounts));
  }
  if (req.method !== 'POST') return sendPage(res, 405, errorPage(assets, 'method_not_allowed', undefined));
  if (action === '/abort') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'sign-in cancelled' }, { mergeWithLastSubmission: false });
  }
  const sub = new URLSearchParams(await readBody(req)).get('sub');
  const account = accounts.find((a) => a.sub === sub);
  if (!account) return sendPage(res, 400, errorPage(assets, 'invalid_request', 'unknown person'));
  return provider.interactionFinished(req, res, { login: { accountId: account.sub, amr: DEMO_AMR, remember: false } }, { mergeWithLastSubmission: false });
}

const STATIC_ASSETS: Record<string, { type: string; body: string }> = {
  '/assets/dev-idp.css': { type: 'text/css; charset=utf-8', body: DEV_IDP_STYLESHEET },
  '/assets/sign-out.js': { type: 'text/javascript; charset=utf-8', body: DEV_IDP_SIGN_OUT_SCRIPT },
};

/** Mounted under the issuer's path (express strips it from req.url, as oidc-provider expects). */
function nodeHandler(provider: OidcProvider, site: DevIdpSite): NodeHandler {
  const callback = provider.callback();
  return (req, res, next) => {
    const path = (req.url ?? '/').split('?')[0];
    const asset = req.method === 'GET' ? STATIC_ASSETS[path] : undefined;
    if (asset) {
      res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
      return void res.end(asset.body);
    }
    if (path.startsWith('/interaction/')) {
      interaction(provider, site, req, res, path).catch((error: unknown) => {
        if (res.headersSent) return next(error);
        const name = error instanceof Error ? error.name : 'error';
        sendPage(res, 400, errorPage(site.assets, name === 'SessionNotFound' ? 'session_expired' : 'invalid_request', 'start the sign-in again from the app'));
      });
      return;
    }
    callback(req, res);
  };
}

/**
 * A real OpenID Connect provider (oidc-provider, the certified Node implementation) for
 * development, mounted by the service at `<PUBLIC_URL>/dev-idp` only outside production. The
 * browser app signs in here exactly as it signs in at an agency's provider: authorization code
 * with PKCE (S256), refresh tokens rotated on use, JWT access tokens for the API's audience
 * (resource indicators, RFC 8707), RP-initiated logout. The login page lists the demo people.
 */
export class DevIdentityProvider {
  private constructor(
    readonly issuer: string,
    readonly handler: NodeHandler,
  ) {}

  static async create(config: AppConfig, issuerKeys: DevIssuer): Promise<DevIdentityProvider> {
    // Belt and braces: the module is never imported in production, and refuses if it were.
    if (config.isProduction || !config.usesDevIssuer) throw new Error('the development identity provider never runs in production or beside AUTH_ISSUER');
    const { default: Provider, errors } = await import('oidc-provider');
    const issuer = devIssuerUrl(config.publicUrl);
    const mountPath = new URL(issuer).pathname;
    const site: DevIdpSite = { publicUrl: config.publicUrl, issuer, mountPath, assets: `${mountPath}/assets`, accounts: demoAccounts() };
    const provider = new Provider(issuer, configurationOf(site, config, issuerKeys, errors.InvalidTarget));
    // PUBLIC_URL names the outside scheme; a TLS-terminating proxy in front sets X-Forwarded-Proto.
    provider.proxy = true;
    return new DevIdentityProvider(issuer, nodeHandler(provider, site));
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 4096) throw new Error('request body too large');
  }
  return body;
}
