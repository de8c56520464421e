// The admin's screens, end to end in a real Chromium (issue 14): Organizations (list, create with
// the problems shown by field, rename, deactivate); Policies (a role's versions, a publish refused
// with the problems shown by rule, a narrower version published and compared with the one before
// rule by rule, a rollback, and a decision explained). Policies are global, so this runs on a
// database of its own.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import pg from 'pg';
import { launchBrowser } from './support/browser.js';
import { isolatedDatabase } from './support/database-outage.js';
import { closeSql, sql } from './support/database.js';
import { browserStorage, PHONE_DARK, phonePageProblems, seriousViolations, signedInPage, startWebApp, type WebApp } from './support/web-app.js';

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

  const signIn = () => signedInPage(browser, app, { person: ADMIN, home: 'Organizations', contexts });

  async function policiesPage(): Promise<{ page: Page; csp: string[] }> {
    const signedIn = await signIn();
    await signedIn.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policies' }).click();
    await signedIn.page.getByRole('heading', { name: 'Policies', level: 1 }).waitFor();
    return signedIn;
  }

  /** Whether the element has the focus, waiting a little: the pages move the focus after the screen is drawn. */
  const focused = async (locator: Locator): Promise<boolean> => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (await locator.evaluate((element: unknown) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  };

  /** The version in the row that says Running. */
  async function running(page: Page): Promise<number> {
    const row = page.getByRole('table').locator('tbody tr', { hasText: 'Running' });
    return Number(await row.locator('td').first().textContent());
  }

  it('lists, creates (the problems shown by field), renames and deactivates organisations, by keyboard', async () => {
    const { page, csp } = await signIn();
    // Organizations first (the admin's home), then Policies; other admin pages may follow.
    expect((await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).slice(0, 2)).toEqual(['Organizations', 'Policies']);
    expect(await page.title()).toBe('Organizations – crisis-link');
    const table = page.getByRole('table', { name: /organisations, by name$/ });
    const home = table.locator('tbody tr', { hasText: 'State Behavioral Health Oversight' });
    await home.waitFor();
    // The admin's own organisation cannot be deactivated from here.
    expect(await home.textContent()).toContain('Your organisation');
    expect(await home.getByRole('button', { name: /^Deactivate / }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    // Refused by field: no name, a key that is not a key.
    const create = page.getByRole('form', { name: 'Create an organization' });
    await create.getByLabel('Key').fill('Lakeside Crisis!');
    await create.getByRole('button', { name: 'Create organization' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Not created: check these' });
    await summary.waitFor();
    expect(await focused(summary)).toBe(true);
    expect(await summary.textContent()).toContain('Key: lower-case letters, digits and hyphens');
    expect(await summary.textContent()).toContain('Enter the name');
    expect(await create.getByLabel('Key').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);

    // Created: a responder agency.
    await create.getByLabel('Key').fill('lakeside-crisis');
    await create.getByLabel('Name').fill('Lakeside Crisis Team');
    await create.getByLabel('Kind').selectOption('RESPONDER_AGENCY');
    await create.getByLabel('Agency type').selectOption({ label: 'Law enforcement' });
    expect(await create.getByLabel('Part 2 program').isChecked()).toBe(false);
    await create.getByRole('button', { name: 'Create organization' }).click();
    await page.getByText('Lakeside Crisis Team created (key lakeside-crisis).').waitFor();
    const row = table.locator('tbody tr', { hasText: 'lakeside-crisis' });
    expect(await row.textContent()).toContain('Responder agency: law enforcement');
    expect(await row.textContent()).toContain('Active');

    // Renamed, by keyboard: the form takes the focus, Enter saves, the focus comes back to the row.
    await row.getByRole('button', { name: 'Rename Lakeside Crisis Team' }).focus();
    await page.keyboard.press('Enter');
    const rename = page.getByRole('form', { name: 'Rename Lakeside Crisis Team' });
    const name = rename.getByLabel('Name');
    await name.waitFor();
    expect(await focused(name)).toBe(true);
    await name.fill('');
    await page.keyboard.press('Enter');
    await rename.getByRole('alert').filter({ hasText: 'Enter the name' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await name.fill('Lakeside Mobile Crisis');
    await page.keyboard.press('Enter');
    await page.getByText('Lakeside Crisis Team is now called Lakeside Mobile Crisis.').waitFor();
    expect(await row.textContent()).toContain('Lakeside Mobile Crisis');
    expect(await focused(row.getByRole('button', { name: 'Rename Lakeside Mobile Crisis' }))).toBe(true);

    // Its type changed (docs/partnerships.md), by keyboard: the select takes the focus, saying
    // what the type decides; the focus comes back to the row.
    await row.getByRole('button', { name: 'Change type of Lakeside Mobile Crisis' }).press('Enter');
    const retype = page.getByRole('form', { name: 'Change the type of Lakeside Mobile Crisis' });
    const type = retype.getByLabel('Agency type');
    await type.waitFor();
    expect(await focused(type)).toBe(true);
    expect(await type.inputValue()).toBe('LAW_ENFORCEMENT');
    expect(await retype.textContent()).toContain('law enforcement receives the program');
    expect(await seriousViolations(page)).toEqual([]);
    await type.selectOption({ label: 'Mobile crisis team' });
    await retype.getByRole('button', { name: 'Save type' }).press('Enter');
    await page.getByText('Lakeside Mobile Crisis is now a mobile crisis team agency.', { exact: false }).waitFor();
    expect(await row.textContent()).toContain('Responder agency: mobile crisis team');
    expect(await focused(row.getByRole('button', { name: 'Rename Lakeside Mobile Crisis' }))).toBe(true);
    // The admin's own organisation (an oversight body) has no type to change, and no agency's own admin sees the button for it.
    expect(await home.getByRole('button', { name: /^Change type of / }).count()).toBe(0);

    // Deactivated, after saying what it means.
    await row.getByRole('button', { name: 'Deactivate Lakeside Mobile Crisis' }).press('Enter');
    const confirm = page.getByRole('form', { name: 'Deactivate Lakeside Mobile Crisis' });
    await confirm.waitFor();
    expect(await focused(confirm.getByRole('heading', { name: 'Deactivate Lakeside Mobile Crisis' }))).toBe(true);
    expect(await confirm.textContent()).toContain('its people can no longer sign in');
    expect(await seriousViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Confirm deactivation' }).press('Enter');
    await page.getByText('Lakeside Mobile Crisis is deactivated. Its people can no longer sign in.').waitFor();
    expect(await row.textContent()).toMatch(/Deactivated on /);
    expect(await row.getByRole('button').count()).toBe(0);
    // The row has no button left: the focus goes to the list's heading, not to nowhere.
    expect(await focused(page.getByRole('heading', { name: 'All organisations' }))).toBe(true);

    // What the service holds, and who it says did it.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT name, deactivated_at IS NOT NULL AS deactivated FROM organization WHERE key = 'lakeside-crisis'`);
      expect(rows).toEqual([{ name: 'Lakeside Mobile Crisis', deactivated: true }]);
      const events = await client.query(`SELECT action FROM audit_event WHERE actor_name = $1 AND action LIKE '%Organization' ORDER BY sequence`, [ADMIN]);
      expect(events.rows.map((r) => r.action)).toEqual(['createOrganization', 'createOrganization', 'renameOrganization', 'renameOrganization', 'deactivateOrganization']);
      const retyped = await client.query(`SELECT details->>'previousAgencyType' AS previous, details->>'agencyType' AS type FROM audit_event WHERE actor_name = $1 AND action = 'changeAgencyType'`, [ADMIN]);
      expect(retyped.rows).toEqual([{ previous: 'LAW_ENFORCEMENT', type: 'MOBILE_CRISIS' }]);
    } finally {
      await client.end();
    }
    expect(await browserStorage(page)).not.toContain('access_token');
    expect(csp).toEqual([]);
  }, 90_000);

  it('refuses a bad rule by number, publishes a narrower version, compares it with the one before, and rolls back', async () => {
    const { page, csp } = await policiesPage();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policies' }).count()).toBe(1);
    // The first "Role" is the versions'; the explain form has its own.
    await page.getByLabel('Role').first().selectOption('responder');
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

    // Compared with the version before, rule by rule, in words: one removed, nothing else.
    const compare = page.getByRole('form', { name: 'Compare versions' });
    expect(await compare.getByLabel('From version').inputValue()).toBe(String(before));
    expect(await compare.getByLabel('To version').inputValue()).toBe(String(before + 1));
    await compare.getByRole('button', { name: 'Compare' }).press('Enter');
    const differences = page.getByRole('region', { name: `Differences from version ${before} to version ${before + 1}` });
    await differences.waitFor();
    expect(await differences.textContent()).toContain(`0 added, 1 removed, 0 changed, ${rules.length - 1} the same.`);
    expect(await differences.getByRole('list', { name: 'Removed rules' }).getByRole('listitem').allTextContents()).toEqual([expect.stringMatching(/^May (not )?\S+/)]);
    expect(await seriousViolations(page)).toEqual([]);
    // The other way round: the rule comes back.
    await compare.getByLabel('From version').selectOption(String(before + 1));
    await compare.getByLabel('To version').selectOption(String(before));
    await compare.getByRole('button', { name: 'Compare' }).click();
    const back = page.getByRole('region', { name: `Differences from version ${before + 1} to version ${before}` });
    await back.waitFor();
    expect(await back.getByRole('list', { name: 'Added rules' }).getByRole('listitem').count()).toBe(1);

    // Rolled back, by keyboard.
    await page.getByRole('button', { name: `Roll back to version ${before}` }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`Version ${before} of the Responder policy is running again.`).waitFor();
    expect(await running(page)).toBe(before);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await browserStorage(page)).not.toContain('access_token');
    expect(csp).toEqual([]);
  }, 90_000);

  it('explains a decision: which rule of which version allows it, or that nothing does', async () => {
    const { page, csp } = await policiesPage();
    const explain = page.getByRole('form', { name: 'Explain a decision' });
    await explain.getByLabel('Role').selectOption('responder');
    await explain.getByLabel('Subject').selectOption('ResponderView');
    await explain.getByLabel('Action').selectOption('lookup');
    await explain.getByLabel('Field').selectOption('engagementNotes');
    await explain.getByRole('button', { name: 'Explain' }).press('Enter');
    const decision = explain.getByRole('region', { name: 'Decision' });
    await decision.waitFor();
    expect(await decision.textContent()).toMatch(/Allowed\. Rule \d+ of the Responder policy, version \d+, decides it: May lookup ResponderView/);
    expect(await focused(decision.getByRole('heading', { name: 'Decision' }))).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    // An admin never reads patients (guard rail 1): denied by default.
    await explain.getByLabel('Role').selectOption('admin');
    await explain.getByLabel('Subject').selectOption('Patient');
    await explain.getByLabel('Action').selectOption('read');
    await explain.getByRole('button', { name: 'Explain' }).click();
    await decision.getByText(/^Refused\. No rule of the Admin policy, version \d+, allows it, so it is denied by default\.$/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(csp).toEqual([]);
  }, 60_000);

  it("every admin page works on a phone in dark mode: nothing wider than the window, no serious axe violation", async () => {
    const { page } = await signedInPage(browser, app, { person: ADMIN, home: 'Organizations', contexts, context: PHONE_DARK });
    expect(await phonePageProblems(page)).toEqual([]);
  }, 60_000);
});
