// GraphiQL outside production works on a network without internet and keeps no token (issue 12,
// item 7): in a real Chromium that may reach nothing but this service, GraphiQL loads from the
// service's own files, runs `{ __typename }` with a token typed into its headers editor, shows the
// answer, breaks no rule of its Content-Security-Policy, and leaves nothing in any browser storage.
import { getIntrospectionQuery } from 'graphql';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { launchBrowser } from './support/browser.js';
import { TestApp } from './support/test-app.js';

/** Everything a script in the page can read: web storage, IndexedDB and non-HttpOnly cookies. */
async function scriptReadableStorage(page: Page): Promise<string> {
  // Runs in the page (a string, so the Node type check needs no DOM types).
  return page.evaluate(`(async () => {
    const dump = [];
    if (document.cookie) dump.push('cookie:' + document.cookie);
    for (const [name, storage] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
      for (let i = 0; i < storage.length; i += 1) dump.push(name + ':' + storage.key(i) + '=' + storage.getItem(storage.key(i)));
    }
    for (const database of await indexedDB.databases()) dump.push('indexedDB:' + database.name);
    return dump.join('\\n');
  })()`);
}

describe('GraphiQL (outside production): offline, strict CSP, nothing kept in the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.app.listen(0, '127.0.0.1');
    const address = t.http.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext();
  });
  afterEach(async () => {
    await context?.close();
  });

  it('loads from this service alone, runs a query with a typed token, and keeps nothing', async () => {
    const agency = await t.organization('RESPONDER_AGENCY');
    const token = await t.token('responder', agency, { name: 'Alice Responder' });

    // No network beyond the service: every other origin is refused (and remembered).
    const elsewhere: string[] = [];
    await context.route('**/*', (route) => {
      if (new URL(route.request().url()).origin === base) return route.continue();
      elsewhere.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    // Every CSP violation the page reports, whatever its kind, reaches the console.
    await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`);
    const page = await context.newPage();
    const violations: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|CSP violation|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const graphqlRequests: Array<{ authorization?: string; body: string }> = [];
    page.on('request', (req) => {
      if (req.url() === `${base}/graphql` && req.method() === 'POST') graphqlRequests.push({ authorization: req.headers().authorization, body: req.postData() ?? '' });
    });

    const response = await page.goto(`${base}/graphql`);
    expect(response!.status()).toBe(200);
    const csp = response!.headers()['content-security-policy'];
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1];
    expect(scriptSrc).toBe("'self'");
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/https?:/);

    // The headers editor, opened by default: type the token there.
    const headersEditor = page.locator('section[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror');
    await headersEditor.click();
    await page.keyboard.insertText(`{"Authorization": "Bearer ${token}"}`);

    // With the token, the schema loads (the introspection query is within the query limits),
    // and the documentation shows the root type.
    const introspection = page.waitForResponse((r) => r.url() === `${base}/graphql` && (r.request().postData() ?? '').includes('IntrospectionQuery'));
    await page.getByRole('button', { name: 'Re-fetch GraphQL schema' }).click();
    expect((await introspection).status()).toBe(200);
    await page.getByRole('button', { name: 'Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();
    // A dialog inserts style elements as it opens: the CSP allows them (styles only).
    await page.getByRole('button', { name: 'Open settings dialog' }).click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // The query editor: replace the starting text with `{ __typename }`, then run it.
    await page.locator('section[aria-label="Query Editor"] .CodeMirror').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('{ __typename }');
    const answered = page.waitForResponse((r) => r.url() === `${base}/graphql` && r.request().method() === 'POST' && (r.request().postData() ?? '').includes('__typename }'));
    await page.getByRole('button', { name: /Execute query/ }).click();
    expect((await answered).status()).toBe(200);
    await page.locator('section[aria-label="Result Window"]').getByText('"Query"').waitFor();
    expect(graphqlRequests.find((r) => r.body.includes('__typename }'))?.authorization).toBe(`Bearer ${token}`);

    expect(elsewhere).toEqual([]);
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
    // Nothing kept: no header, no token, no query, in any storage a script can read.
    expect(await scriptReadableStorage(page)).toBe('');
    for (const cookie of await context.cookies()) expect(cookie.value).not.toContain(token);
  }, 30_000);

  it('answers the standard introspection query within the query limits (documentation, completion)', async () => {
    const agency = await t.organization('RESPONDER_AGENCY');
    const answer = await t.graphql(await t.token('responder', agency), getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }));
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.__schema.queryType).toMatchObject({ name: 'Query' });
  });

  it('serves its files from the packages, with no CDN address in the page', async () => {
    const page = await request(t.http).get('/graphql').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    expect(page.text).not.toMatch(/<script>|<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page.text).not.toMatch(/<style|\sstyle=/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBe(6);
    for (const path of assets) {
      expect(path).toMatch(/^\/graphiql\/[\w.-]+$/);
      const asset = await request(t.http).get(path);
      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toMatch(/^text\/(javascript|css); charset=utf-8$/);
      expect(asset.headers['x-content-type-options']).toBe('nosniff');
      expect(asset.body.length ?? asset.text.length).toBeGreaterThan(0);
      const again = await request(t.http).get(path).set('If-None-Match', asset.headers.etag);
      expect(again.status).toBe(304);
    }
    expect((await request(t.http).get('/graphiql/..%2Fpackage.json')).status).toBe(404);
    expect((await request(t.http).get('/graphiql/react.production.min.js')).headers['cache-control']).toBe('no-cache');
    expect((await request(t.http).get('/graphiql/unknown.js')).status).toBe(404);
  });
});
