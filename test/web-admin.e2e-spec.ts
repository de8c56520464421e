// The admin's Policies screen, end to end in a real Chromium (issue 14): a role's versions, a
// publish refused with the problems shown by rule, a narrower version published and running, and
// a rollback to the version before. Policies are global, so this runs on a database of its own.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import pg from 'pg';
import { launchBrowser } from './support/browser.js';
import { isolatedDatabase } from './support/database-outage.js';
import { closeSql, sql } from './support/database.js';
import { browserStorage, seriousViolations, signedInPage, startWebApp, type WebApp } from './support/web-app.js';

const ADMIN = 'Adam Admin';

describe("the admin's Policies screen in a real browser (issue 14)", () => {
  let app: WebApp;
  let browser: Browser;
  let database: { url: string; drop(): Promise<void> };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    database = await isolatedDatabase();
    app = await startWebApp({ DATABASE_URL: database.url });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      `INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ('state-oversight', 'State Behavioral Health Oversight', 'OVERSIGHT', false, 'test-fixture') ON CONFLICT (key) DO NOTHING`,
    );
    await client.end();
    browser = await launchBrowser();
  }, 120_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    // Without FORCE: terminating a connection the closed app's pool still holds would surface as an
    // unhandled error in this process. A database left behind goes with the test cluster.
    const name = database ? new URL(database.url).pathname.slice(1) : '';
    if (name) await sql(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await closeSql();
  });

  const signIn = () => signedInPage(browser, app, { person: ADMIN, home: 'Policies', contexts });

  /** The version in the row that says Running. */
  async function running(page: Page): Promise<number> {
    const row = page.getByRole('table').locator('tbody tr', { hasText: 'Running' });
    return Number(await row.locator('td').first().textContent());
  }

  it('refuses a bad rule by number, publishes a narrower version, and rolls back to the one before', async () => {
    const { page, csp } = await signIn();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policies' }).count()).toBe(1);
    await page.getByLabel('Role').selectOption('responder');
    await page.getByRole('table', { name: 'Responder policy versions, newest first' }).waitFor();
    const before = await running(page);
    const rules = JSON.parse(await page.getByRole('textbox', { name: 'Rules' }).inputValue()) as unknown[];
    expect(rules.length).toBeGreaterThan(1);
    expect(await seriousViolations(page)).toEqual([]);

    // Refused: the second rule would grant everything; nothing is published.
    await page.getByRole('textbox', { name: 'Rules' }).fill(JSON.stringify([rules[0], { action: 'manage', subject: 'all' }]));
    await page.getByRole('button', { name: 'Publish' }).click();
    const problems = page.getByRole('alert').filter({ hasText: 'Not published: fix these rules' });
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/Rule 2: .*everything/);
    expect(await running(page)).toBe(before);
    expect(await seriousViolations(page)).toEqual([]);

    // A narrower version: one rule fewer.
    await page.getByRole('textbox', { name: 'Rules' }).fill(JSON.stringify(rules.slice(0, -1), null, 2));
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(`Version ${before + 1} of the Responder policy published and running.`).waitFor();
    expect(await running(page)).toBe(before + 1);
    expect((JSON.parse(await page.getByRole('textbox', { name: 'Rules' }).inputValue()) as unknown[]).length).toBe(rules.length - 1);

    // Rolled back, by keyboard.
    await page.getByRole('button', { name: `Roll back to version ${before}` }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`Version ${before} of the Responder policy is running again.`).waitFor();
    expect(await running(page)).toBe(before);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await browserStorage(page)).not.toContain('access_token');
    expect(csp).toEqual([]);
  }, 90_000);
});
