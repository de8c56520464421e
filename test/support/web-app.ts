import { AxeBuilder } from '@axe-core/playwright';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { buildApp, type BuiltApp } from '@app/bootstrap.js';
import { projectRoot } from '@libs/config/project-root.js';
import { migrateTestDatabase, testDatabaseUrl } from './database.js';

export async function freePort(): Promise<number> {
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

export interface WebApp {
  built: BuiltApp;
  /** The origin the browser opens (PUBLIC_URL); the development provider is at `<base>/dev-idp`. */
  base: string;
  close(): Promise<void>;
}

/** The whole service with the browser app and the development OpenID provider, on a free loopback port. */
export async function startWebApp(env: Record<string, string> = {}): Promise<WebApp> {
  await migrateTestDatabase();
  await buildWebAppIfMissing();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const built = await buildApp({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: testDatabaseUrl(),
    DATA_DIR: process.env.TEST_DATA_DIR,
    AUDIT_SEAL_INTERVAL_MS: '0',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: base,
    AUTH_MFA_ROLES: 'all',
    ...env,
  });
  await built.app.listen(port, '127.0.0.1');
  return { built, base, close: () => built.close() };
}

/** A laptop's window, and a phone's (the narrowest the screens must work at without scrolling sideways). */
export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

export interface SignedInPage {
  page: Page;
  /** Content-Security-Policy refusals the page reported on its console: a test expects none. */
  csp: string[];
}

/**
 * A fresh browser context (English, New York time, a laptop's window unless `context` says
 * otherwise) signed in through the development OpenID provider as one of its demo people, on the
 * page that person's role opens first (`home`, its level-1 heading). The context is added to
 * `contexts` for the test file to close after each test.
 */
export async function signedInPage(
  browser: Browser,
  app: Pick<WebApp, 'base'>,
  options: { person: string; home: string; contexts: BrowserContext[]; context?: BrowserContextOptions },
): Promise<SignedInPage> {
  const context = await browser.newContext({ viewport: LAPTOP, locale: 'en-US', timezoneId: 'America/New_York', ...options.context });
  options.contexts.push(context);
  const page = await context.newPage();
  const csp: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) csp.push(message.text());
  });
  await page.goto(`${app.base}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dev-idp\/interaction\//);
  await page.getByRole('button', { name: options.person }).click();
  await page.getByRole('heading', { name: options.home, level: 1 }).waitFor();
  return { page, csp };
}

/**
 * Everything a script in the page can read that would outlive the page: cookies, web storage,
 * IndexedDB, Cache Storage and service workers.
 */
export async function browserStorage(page: Page): Promise<string> {
  // Runs in the page (a string, so the Node type check needs no DOM types).
  return page.evaluate(`(async () => {
    const dump = ['cookie:' + document.cookie];
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i += 1) dump.push(storage.key(i) + '=' + storage.getItem(storage.key(i)));
    }
    for (const database of await indexedDB.databases()) dump.push('indexedDB:' + database.name);
    for (const name of await caches.keys()) {
      dump.push('cache:' + name);
      const cache = await caches.open(name);
      for (const request of await cache.keys()) dump.push('cached:' + request.url + ' ' + (await (await cache.match(request)).text()));
    }
    for (const registration of await navigator.serviceWorker.getRegistrations()) dump.push('serviceWorker:' + registration.scope);
    return dump.join('\\n');
  })()`);
}

/** axe-core's serious and critical violations on the page as it is. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** WCAG AAA contrast (7:1, axe's color-contrast-enhanced) inside `selector`. */
export async function enhancedContrastViolations(page: Page, selector: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include(selector).withRules(['color-contrast-enhanced']).analyze();
  return results.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
}

/** Controls smaller than 44 × 44 CSS pixels (links inside running text excepted: there are none on these screens). */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const small = [];
    for (const element of document.querySelectorAll('a[href], button, input, select, textarea')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (getComputedStyle(element).visibility === 'hidden') continue;
      if (element.classList.contains('skip-link')) continue;
      if (box.height < 44 || box.width < 44) small.push((element.getAttribute('aria-label') || element.textContent || element.id).trim() + ' ' + Math.round(box.width) + 'x' + Math.round(box.height));
    }
    return small;
  })()`);
}

/** True when the page is wider than the window (a sideways scroll on a phone). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth > window.innerWidth');
}

/**
 * Headless Chromium never hides a page, so this does what the browser does when the screen is
 * locked or another app comes to the front: `visibilityState` becomes hidden and
 * `visibilitychange` fires (and the reverse when `hidden` is false).
 */
export async function setPageHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate(`(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => ${hidden ? "'hidden'" : "'visible'"} });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${hidden} });
    document.dispatchEvent(new Event('visibilitychange'));
  })()`);
}

/**
 * Screenshots of each state for docs/responder.md, taken by the browser tests. They are written
 * to docs/images/responder only with UPDATE_SCREENSHOTS=1 (`npm run docs:screenshots`), so an
 * ordinary `npm test` leaves the work tree as it was.
 */
export async function documentState(page: Page, name: string): Promise<void> {
  const image = await page.screenshot({ type: 'png', fullPage: false });
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const folder = join(projectRoot(), 'docs', 'images', 'responder');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${name}.png`), image);
}

/** A phone's window in dark mode: the responder's car at night, a provider's tablet in a dim room. */
export const PHONE_DARK: BrowserContextOptions = { viewport: { width: 360, height: 740 }, colorScheme: 'dark' };

/**
 * Opens every page of the navigation named `Main` in turn (`prepare` may fill a page first, e.g.
 * show the audit log's events) and returns what a phone user in dark mode would trip on: a page
 * wider than the window, or axe-core's serious and critical violations (contrast included).
 */
export async function phonePageProblems(page: Page, prepare: (page: Page, name: string) => Promise<void> = async () => undefined): Promise<string[]> {
  const problems: string[] = [];
  const names = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
  for (const name of names) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await prepare(page, name);
    if (await scrollsSideways(page)) problems.push(`${name}: scrolls sideways at ${page.viewportSize()?.width} px`);
    for (const violation of await seriousViolations(page)) problems.push(`${name}: ${violation}`);
  }
  return problems;
}

/**
 * Waits until `expression` is truthy in the page, asking again every 50 ms. Playwright's
 * `waitForFunction` with a string polls through `eval` inside the page, which the app's CSP
 * (`script-src 'self'`, no `'unsafe-eval'`) refuses whenever the first answer is not yet true;
 * `page.evaluate` goes through the DevTools protocol, which the CSP does not govern.
 */
export async function waitUntil(page: Page, expression: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(expression)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
