import { createHash } from 'node:crypto';
// The admins' Agreements screen, end to end in a real Chromium (issue 15): a treatment provider's
// admin proposes an agreement (a refusal shown at its field first), the responder agency's admin
// accepts it, and then ends it; real OpenID Connect sign-in through the development provider, an
// axe-core check at each step, everything by keyboard where it matters. A database of its own:
// the demo organisations' keys are fixed, and their agreements must not reach other tests.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import pg from 'pg';
import { launchBrowser } from './support/browser.js';
import { isolatedDatabase } from './support/database-outage.js';
import { closeSql, sql } from './support/database.js';
import { browserStorage, seriousViolations, startWebApp, type WebApp, waitUntil } from './support/web-app.js';

const PROVIDER_ADMIN = 'Rosa Admin (Riverside)';
const AGENCY_ADMIN = 'Miles Admin (Metro Police)';
const PROVIDER = 'Riverside Recovery';
const AGENCY = 'Metro Police Department';
const PHONE = { width: 360, height: 740 };
const LAPTOP = { width: 1280, height: 800 };

describe("the admins' Agreements screen in a real browser (issue 15)", () => {
  let app: WebApp;
  let browser: Browser;
  let database: { url: string; drop(): Promise<void> };
  const contexts: BrowserContext[] = [];

  const query = async <T>(text: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    database = await isolatedDatabase();
    app = await startWebApp({ DATABASE_URL: database.url });
    await query(
      `INSERT INTO organization (key, name, kind, part2_program, agency_type, created_by) VALUES
         ('riverside-recovery', $1, 'TREATMENT_PROVIDER', true, NULL, 'test-fixture'),
         ('metro-police', $2, 'RESPONDER_AGENCY', false, 'LAW_ENFORCEMENT', 'test-fixture')
       ON CONFLICT (key) DO NOTHING`,
      [PROVIDER, AGENCY],
    );
    browser = await launchBrowser();
  }, 120_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    const name = database ? new URL(database.url).pathname.slice(1) : '';
    if (name) await sql(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await closeSql();
  });

  async function agreementsAs(person: string, viewport = LAPTOP): Promise<{ page: Page; csp: string[] }> {
    const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'America/New_York' });
    contexts.push(context);
    const page = await context.newPage();
    const csp: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) csp.push(message.text());
    });
    await page.goto(`${app.base}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dev-idp\/interaction\//);
    await page.getByRole('button', { name: person }).click();
    // An admin's home depends on the organisation (a responder agency's admin also has its report).
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agreements' }).click();
    await page.getByRole('heading', { name: 'Agreements', level: 1 }).waitFor();
    return { page, csp };
  }

  it('propose (provider admin) -> accept (agency admin) -> end, with refusals shown at their fields', async () => {
    // The provider's admin proposes, on a phone.
    const provider = await agreementsAs(PROVIDER_ADMIN, PHONE);
    let page = provider.page;
    await page.getByText('There are no agreements yet.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Nothing chosen: the summary takes the focus and the field says what to do.
    await page.getByRole('button', { name: 'Propose agreement' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Choose the counterpart organization');

    await page.getByLabel('Counterpart organization').selectOption({ label: AGENCY });
    await page.getByLabel('Kind').selectOption({ label: 'Memorandum of understanding' });
    await page.getByLabel('Expires at').fill('2031-01-01');
    await page.getByLabel('Document reference').fill('MOU-2026-RIV-MPD');
    await page.getByLabel('Document SHA-256').fill('not a digest');
    await page.getByLabel('Signatories').fill('R. Director, Riverside Recovery\nC. Chief, Metro Police');
    await page.getByRole('button', { name: 'Propose agreement' }).click();
    await page.getByText('Document SHA-256 is not in the right form').first().waitFor();
    expect(await page.getByLabel('Document SHA-256').getAttribute('aria-invalid')).toBe('true');
    // The refused value is not echoed anywhere on the page.
    expect(await page.locator('.error-summary').textContent()).not.toContain('not a digest');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await query('SELECT id FROM partnership_agreement')).toEqual([]);

    // The digest worked out in the browser from the signed file, the file sent nowhere.
    const signed = Buffer.from('Memorandum of understanding, signed');
    await page.getByLabel('Signed file').setInputFiles({ name: 'mou.pdf', mimeType: 'application/pdf', buffer: signed });
    await waitUntil(page, `document.getElementById('documentSha256').value === '${createHash('sha256').update(signed).digest('hex')}'`);
    await page.getByLabel('Document SHA-256').fill('c0ffee'.repeat(10) + 'c0ff');
    await page.getByLabel('Document SHA-256').press('Enter');
    await page.getByText(`Agreement proposed to ${AGENCY}. Their administrator accepts it.`).waitFor();
    const row = page.getByRole('row', { name: new RegExp(AGENCY) });
    expect(await row.textContent()).toContain('Proposed');
    expect(await row.textContent()).toContain(`waiting for ${AGENCY}`);
    // The proposer's side cannot accept its own proposal: no such button.
    expect(await page.getByRole('button', { name: `Accept agreement with ${AGENCY}` }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing of the agreement in the address or the title.
    expect(new URL(page.url()).pathname).toBe('/agreements');
    expect(new URL(page.url()).search).toBe('');
    expect(await page.title()).not.toMatch(/MOU|Metro/);
    expect(await browserStorage(page)).not.toContain('access_token');
    expect(provider.csp).toEqual([]);

    // The agency's admin accepts, by keyboard.
    const agency = await agreementsAs(AGENCY_ADMIN);
    page = agency.page;
    const accept = page.getByRole('button', { name: `Accept agreement with ${PROVIDER}` });
    await accept.focus();
    await page.keyboard.press('Enter');
    await page.getByText(`The agreement with ${PROVIDER} is accepted.`).waitFor();
    expect(await page.getByRole('row', { name: new RegExp(PROVIDER) }).textContent()).toContain('In force');
    expect(await seriousViolations(page)).toEqual([]);

    // And ends it, confirming first.
    await page.getByRole('button', { name: `End agreement with ${PROVIDER}` }).click();
    const confirm = page.getByRole('group', { name: `Confirm ending the agreement with ${PROVIDER}` });
    expect(await confirm.textContent()).toContain('Sharing under it stops at once.');
    expect(await seriousViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'End agreement now' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`The agreement with ${PROVIDER} is ended.`, { exact: false }).waitFor();
    expect(await page.getByRole('row', { name: new RegExp(PROVIDER) }).textContent()).toContain('Ended');
    expect(await page.getByRole('button', { name: `End agreement with ${PROVIDER}` }).count()).toBe(0);
    expect(agency.csp).toEqual([]);

    // Each step left its audit event, by the admin who took it (C16).
    const events = await query<{ action: string; outcome: string; actor_sub: string }>(
      `SELECT action, outcome, actor_sub FROM audit_event WHERE action IN ('proposePartnership', 'acceptPartnership', 'endPartnership') ORDER BY sequence`,
    );
    expect(events).toEqual([
      { action: 'proposePartnership', outcome: 'REFUSED', actor_sub: 'rosa' },
      { action: 'proposePartnership', outcome: 'SUCCESS', actor_sub: 'rosa' },
      { action: 'acceptPartnership', outcome: 'SUCCESS', actor_sub: 'miles' },
      { action: 'endPartnership', outcome: 'SUCCESS', actor_sub: 'miles' },
    ]);
  }, 120_000);
});
