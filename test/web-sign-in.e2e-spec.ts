// The browser app's shell, end to end in a real Chromium: sign-in at the development OpenID
// provider (authorization code + PKCE S256), "who am I" from the API with the access token, a
// silent refresh while the person is active, automatic logoff after the idle time (HIPAA
// 164.312(a)(2)(iii)) that also ends the provider's session, and no token in any browser storage.
import { AxeBuilder } from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request as PwRequest } from 'playwright-core';
import request from 'supertest';
import { buildApp, type BuiltApp } from '@app/bootstrap.js';
import { projectRoot } from '@libs/config/project-root.js';
import { launchBrowser } from './support/browser.js';
import { closeSql, migrateTestDatabase, sql, testDatabaseUrl } from './support/database.js';

const IDLE_SECONDS = 120;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function buildWebAppIfMissing(): Promise<void> {
  if (existsSync(join(projectRoot(), 'dist', 'web', 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(projectRoot(), 'web', 'vite.config.ts'), logLevel: 'warn' });
}

/** Everything a script in the page can read: web storage, IndexedDB and non-HttpOnly cookies. */
async function scriptReadableStorage(page: Page): Promise<string> {
  // Runs in the page (a string, so the Node type check needs no DOM types).
  return page.evaluate(`(async () => {
    const dump = [document.cookie];
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i += 1) dump.push(storage.key(i) + '=' + storage.getItem(storage.key(i)));
    }
    for (const database of await indexedDB.databases()) dump.push('indexedDB:' + database.name);
    return dump.join('\\n');
  })()`);
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

describe('the web app: sign-in, who am I, refresh, automatic logoff (PKCE, 164.312(a)(2)(iii))', () => {
  let built: BuiltApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    await migrateTestDatabase();
    await buildWebAppIfMissing();
    // Alice's agency, as in the demo data (the shared test database is not seeded).
    await sql(
      `INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ('metro-crisis-team', 'Metro Crisis Team', 'RESPONDER_AGENCY', false, 'test-fixture') ON CONFLICT (key) DO NOTHING`,
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    built = await buildApp({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: testDatabaseUrl(),
      DATA_DIR: process.env.TEST_DATA_DIR,
      AUDIT_SEAL_INTERVAL_MS: '0',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: base,
      WEB_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
      AUTH_MFA_ROLES: 'all',
    });
    await built.app.listen(port, '127.0.0.1');
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await built?.close();
    await closeSql();
  });

  it('signs in with PKCE, shows who I am, refreshes while I am active, signs me out when I am idle, and keeps no token', async () => {
    // The page's clock is under the test's control (timers included), so ten minutes of
    // activity and two of idleness take a few seconds.
    await page.clock.install();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    const authorizations: URL[] = [];
    const graphqlAuthorizations: string[] = [];
    page.on('request', (req: PwRequest) => {
      if (req.url().startsWith(`${base}/dev-idp/auth?`)) authorizations.push(new URL(req.url()));
      if (req.url() === `${base}/graphql`) graphqlAuthorizations.push(req.headers().authorization ?? '');
    });

    const home = await page.goto(`${base}/`);
    expect(home!.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(home!.headers()['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(home!.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ state: 'visible' });
    expect(await seriousViolations(page)).toEqual([]);

    // Sign in: authorization code, PKCE S256, state, nonce, resource, response_mode=query.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dev-idp\/interaction\//);
    const authorization = authorizations[0];
    expect(Object.fromEntries(authorization.searchParams)).toMatchObject({
      response_type: 'code',
      response_mode: 'query',
      code_challenge_method: 'S256',
      client_id: 'crisis-link-web',
      redirect_uri: `${base}/auth/callback`,
      resource: 'urn:crisis-link:api',
      scope: 'openid profile',
    });
    expect(authorization.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    expect(await seriousViolations(page)).toEqual([]);

    const tokenResponse = page.waitForResponse((r) => r.url() === `${base}/dev-idp/token` && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Alice Responder' }).click();
    const firstTokens = await (await tokenResponse).json();
    expect(firstTokens.token_type).toMatch(/bearer/i);
    expect(firstTokens.expires_in).toBe(600);
    expect(firstTokens.refresh_token).toBeTruthy();

    // Who am I: name, organisation, roles, from the API with the access token.
    const whoAmI = page.getByRole('region', { name: 'Who am I' });
    await whoAmI.getByText('Alice Responder').waitFor();
    await whoAmI.getByText('Metro Crisis Team').waitFor();
    await whoAmI.getByText('Responder', { exact: true }).waitFor();
    expect(page.url()).toBe(`${base}/`);
    expect(graphqlAuthorizations).toEqual([`Bearer ${firstTokens.access_token}`]);
    expect(await seriousViolations(page)).toEqual([]);

    // Nothing a script could read holds a token.
    const storage = await scriptReadableStorage(page);
    for (const token of [firstTokens.access_token, firstTokens.refresh_token, firstTokens.id_token]) expect(storage).not.toContain(token);
    expect(storage).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    for (const cookie of await context.cookies()) {
      if (!cookie.httpOnly) expect(cookie.value).not.toMatch(/eyJ|\./);
    }

    // Active for ten minutes (a key press every minute): the access token is refreshed silently.
    const refreshed = page.waitForResponse((r) => r.url() === `${base}/dev-idp/token` && (r.request().postData() ?? '').includes('grant_type=refresh_token'));
    for (let minute = 0; minute < 10; minute += 1) {
      await page.keyboard.press('Shift');
      await page.clock.fastForward(60_000);
    }
    const refreshResponse = await refreshed;
    const refreshBody = refreshResponse.request().postData() ?? '';
    expect(new URLSearchParams(refreshBody).get('resource')).toBe('urn:crisis-link:api');
    const secondTokens = await refreshResponse.json();
    expect(secondTokens.access_token).not.toBe(firstTokens.access_token);
    // Rotation: a new refresh token on every use.
    expect(secondTokens.refresh_token).toBeTruthy();
    expect(secondTokens.refresh_token).not.toBe(firstTokens.refresh_token);
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
    const me = await request(built.app.getHttpServer())
      .post('/graphql')
      .set('Authorization', `Bearer ${secondTokens.access_token}`)
      .send({ query: '{ me { name roles organization { key } multiFactor } }' });
    expect(me.body.data.me).toEqual({ name: 'Alice Responder', roles: ['responder'], organization: { key: 'metro-crisis-team' }, multiFactor: true });
    const storageAfterRefresh = await scriptReadableStorage(page);
    for (const token of [secondTokens.access_token, secondTokens.refresh_token]) expect(storageAfterRefresh).not.toContain(token);

    // Idle past WEB_IDLE_TIMEOUT_SECONDS: signed out, and the provider's session ended too.
    const endSession = page.waitForRequest((r) => r.url().startsWith(`${base}/dev-idp/session/end?`));
    await page.clock.fastForward((IDLE_SECONDS + 2) * 1000);
    const logout = new URL((await endSession).url());
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${base}/`);
    expect(logout.searchParams.get('id_token_hint')).toBeTruthy();
    await page.waitForURL(`${base}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByText('no activity').waitFor();
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    const storageAfterLogoff = await scriptReadableStorage(page);
    expect(storageAfterLogoff).not.toMatch(/eyJ[\w-]+\.[\w-]+/);

    // The previous refresh token no longer works, and signing in asks who you are again.
    const reuse = await fetch(`${base}/dev-idp/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: secondTokens.refresh_token, client_id: 'crisis-link-web' }),
    });
    expect(reuse.status).toBe(400);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dev-idp\/interaction\//);
    await page.getByRole('button', { name: 'Alice Responder' }).waitFor();
    // Nothing on any page (the app's, the provider's) needed inline script or style.
    expect(cspViolations).toEqual([]);
  }, 90_000);

  it('signs out on request through the provider (RP-initiated logout)', async () => {
    await page.getByRole('button', { name: 'Casey Medic, RN' }).waitFor();
    await sql(
      `INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ('county-mobile-crisis', 'County Mobile Crisis (clinical)', 'RESPONDER_AGENCY', false, 'test-fixture') ON CONFLICT (key) DO NOTHING`,
    );
    await page.getByRole('button', { name: 'Casey Medic, RN' }).click();
    await page.getByRole('region', { name: 'Who am I' }).getByText('Clinical responder').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/`);
    await page.getByText('You have signed out.').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dev-idp\/interaction\//);
  }, 60_000);
});
