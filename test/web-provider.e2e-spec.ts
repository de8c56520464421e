// Provider staff's screens, end to end in a real Chromium (issue 14): sign-in at the development
// OpenID provider; a patient found by name and date of birth or registered, a possible duplicate
// refused until the staff member says it is a different person; a consent recorded (the API's
// problems shown inline first), its one-page print view, then revoked. Axe-core clean, nothing of
// the person in the address, the title or browser storage.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { person } from '@libs/testing/provider-desk.js';
import { launchBrowser } from './support/browser.js';
import { closeSql, sql } from './support/database.js';
import { browserStorage, seriousViolations, startWebApp, type WebApp } from './support/web-app.js';

const STAFF = 'Pat Intake';
const LAPTOP = { width: 1280, height: 800 };

describe("provider staff's screens in a real browser (issue 14)", () => {
  let app: WebApp;
  let browser: Browser;
  const agencyName = `Harbor Crisis Unit ${randomUUID().slice(0, 6)}`;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startWebApp();
    await sql(`INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ('riverside-recovery', 'Riverside Recovery', 'TREATMENT_PROVIDER', true, 'test-fixture') ON CONFLICT (key) DO NOTHING`);
    await sql(`INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, 'RESPONDER_AGENCY', false, 'test-fixture')`, [`agency-${randomUUID().slice(0, 8)}`, agencyName]);
    browser = await launchBrowser();
  }, 90_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await closeSql();
  });

  async function signedInPage(): Promise<{ page: Page; csp: string[] }> {
    const context = await browser.newContext({ viewport: LAPTOP, locale: 'en-US', timezoneId: 'America/New_York' });
    contexts.push(context);
    const page = await context.newPage();
    const csp: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) csp.push(message.text());
    });
    await page.goto(`${app.base}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dev-idp\/interaction\//);
    await page.getByRole('button', { name: STAFF }).click();
    await page.getByRole('heading', { name: 'Patients', level: 1 }).waitFor();
    return { page, csp };
  }

  async function fillPerson(page: Page, who: ReturnType<typeof person>): Promise<void> {
    await page.getByLabel('Given name', { exact: true }).fill(who.givenName);
    await page.getByLabel('Family name').fill(who.familyName);
    await page.getByLabel('Date of birth').fill(who.dateOfBirth);
  }

  it('registers a patient, refuses a possible duplicate until confirmed, records a consent, prints it and revokes it', async () => {
    const { page, csp } = await signedInPage();
    const who = person();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Patients', 'Referrals']);
    expect(await seriousViolations(page)).toEqual([]);

    // Not found, then registered.
    await fillPerson(page, who);
    await page.getByRole('button', { name: 'Find patient' }).click();
    await page.getByText('No patient of your organisation matches').waitFor();
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByRole('heading', { name: 'Register a patient' }).waitFor();
    expect(await page.getByLabel('Family name').inputValue()).toBe(who.familyName);
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByText('Patient registered.').waitFor();
    await page.getByRole('heading', { name: `${who.givenName} ${who.familyName}, born ${who.dateOfBirth}` }).waitFor();

    // The same person again: refused as a possible duplicate, registered only once confirmed.
    await page.getByRole('button', { name: 'Back to patients' }).click();
    await page.getByRole('button', { name: 'Register patient' }).click();
    await fillPerson(page, who);
    await page.getByRole('button', { name: 'Register patient' }).click();
    const warning = page.getByRole('alert').filter({ hasText: 'This may be someone already registered' });
    await warning.waitFor();
    expect(await page.getByRole('button', { name: 'Register patient' }).isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel(/This is a different person/).check();
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByText('Patient registered.').waitFor();

    // Both records are found by name and date of birth.
    await page.getByRole('button', { name: 'Back to patients' }).click();
    await fillPerson(page, who);
    await page.getByRole('button', { name: 'Find patient' }).click();
    await page.getByText('2 patients match.').waitFor();
    await page.getByRole('button', { name: `Open ${who.givenName} ${who.familyName}, born ${who.dateOfBirth}` }).first().click();
    await page.getByText('No consent recorded for this patient.').waitFor();

    // A consent: the API's problems inline first, then recorded.
    await page.getByRole('button', { name: 'Record consent' }).click();
    await page.getByRole('heading', { name: 'Record consent' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const nextYear = `${new Date().getFullYear() + 1}-06-30`;
    await page.getByLabel('Expires at').fill(nextYear);
    await page.getByRole('button', { name: 'Record consent' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Enter recipient organizations');
    expect(await summary.textContent()).toContain('Tell the patient, then tick "Right to revoke"');
    expect(await page.locator('fieldset', { hasText: 'Recipient organizations' }).locator('.field-error').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel(agencyName).check();
    await page.getByLabel(/^Right to revoke/).check();
    await page.getByLabel(/^Redisclosure restricted/).check();
    await page.getByLabel(/^Treatment not conditioned/).check();
    await page.getByRole('button', { name: 'Record consent' }).click();
    await page.getByText('Consent recorded.').waitFor();
    const card = page.getByRole('article', { name: 'Consent version 1: In force' });
    await card.waitFor();
    expect(await card.textContent()).toContain(agencyName);

    // The print view: the consent and the receipt, nothing of the app around it when printed.
    await card.getByRole('button', { name: 'Print' }).click();
    await page.getByRole('heading', { name: /^Consent to disclose/ }).waitFor();
    const printed = (await page.locator('.print-view').textContent()) ?? '';
    expect(printed).toContain(agencyName);
    expect(printed).toContain('Receipt for the patient');
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print this page' }).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: 'Back to consents' }).click();

    // Revoked wholly, received in writing now.
    await page.getByRole('article', { name: 'Consent version 1: In force' }).getByRole('button', { name: 'Revoke consent' }).click();
    await page.getByLabel('Received at').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Revoke consent' }).click();
    await page.getByText('Consent revoked.').waitFor();
    const revoked = page.getByRole('article', { name: 'Consent version 1: Revoked' });
    await revoked.waitFor();
    expect(await revoked.textContent()).toContain('Wholly, in writing');

    // Nothing of the person in the address, the title or storage.
    expect(page.url()).not.toContain(who.familyName);
    expect(await page.title()).toBe('Patients – crisis-link');
    expect(await browserStorage(page)).not.toContain(who.familyName);
    expect(csp).toEqual([]);
  }, 90_000);
});
