// A referral walked end to end in a real Chromium (issue 15): the responder, on a phone, refers a
// person straight from a lookup answer (`Refer` pre-fills the form, nothing in the address); the
// provider's staff, on a laptop, find it in the `Referrals` queue, accept it (registering the
// person as a patient), record the outcome; the responder sees "not shared" until the patient's
// REFERRAL_OUTCOME consent names their agency, then the outcome. Axe-core clean at each step.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { DevIssuer, devIssuerUrl } from '@libs/auth/dev-issuer.js';
import { person, ProviderDesk } from '@libs/testing/provider-desk.js';
import { launchBrowser } from './support/browser.js';
import { closeSql, sql } from './support/database.js';
import { agreementInForce } from './support/partnerships.js';
import { browserStorage, documentState, scrollsSideways, seriousViolations, startWebApp, type WebApp, waitUntil } from './support/web-app.js';

const RESPONDER = 'Alice Responder';
const STAFF = 'Pat Intake';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };

async function organization(key: string, name: string, kind: 'RESPONDER_AGENCY' | 'TREATMENT_PROVIDER') {
  await sql(`INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, $3, $4, 'test-fixture') ON CONFLICT (key) DO NOTHING`, [key, name, kind, kind === 'TREATMENT_PROVIDER']);
  const [row] = await sql<{ id: string; name: string }>('SELECT id, name FROM organization WHERE key = $1', [key]);
  return { id: row.id, key, name: row.name };
}

describe('a referral from the responder’s phone to the provider’s queue and the outcome back (issue 15)', () => {
  let app: WebApp;
  let browser: Browser;
  let desk: ProviderDesk;
  let metro: { id: string; key: string; name: string };
  let riverside: { id: string; key: string; name: string };
  const contexts: BrowserContext[] = [];

  const graphqlAs = async (token: string, query: string, variables?: Record<string, unknown>) =>
    (await request(app.built.app.getHttpServer()).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query, variables })).body;

  beforeAll(async () => {
    app = await startWebApp({ LOOKUP_RATE_LIMIT_PER_HOUR: '100000' });
    metro = await organization('metro-crisis-team', 'Metro Crisis Team', 'RESPONDER_AGENCY');
    riverside = await organization('riverside-recovery', 'Riverside Recovery', 'TREATMENT_PROVIDER');
    await agreementInForce(riverside, metro);
    const issuer = await DevIssuer.open(process.env.TEST_DATA_DIR!, devIssuerUrl(app.base));
    const staffToken = await issuer.mint({ sub: `staff-${randomUUID().slice(0, 8)}`, org: riverside.key, roles: ['provider_staff'], name: STAFF, amr: ['pwd', 'mfa'] }, 3600);
    desk = new ProviderDesk(graphqlAs, riverside, staffToken);
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

  async function signedIn(who: string, viewport: { width: number; height: number }, home = who === STAFF ? 'Patients' : 'Look up a person'): Promise<{ page: Page; csp: string[] }> {
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
    await page.getByRole('button', { name: who }).click();
    await page.getByRole('heading', { name: home, level: 1 }).waitFor();
    return { page, csp };
  }

  const nothingOfThePerson = async (page: Page, who: { givenName: string; familyName: string }) => {
    expect(page.url()).not.toMatch(new RegExp(`${who.familyName}|${who.givenName}`));
    expect(await page.title()).not.toMatch(new RegExp(who.familyName));
    expect(await browserStorage(page)).not.toMatch(new RegExp(who.familyName));
  };

  it('walks a referral from a lookup answer to the queue, accept and link, the outcome, and back to the responder under consent', async () => {
    const who = person({ givenName: 'Jamie' });

    // The responder, on a phone: a lookup (no information: not yet in treatment), then Refer.
    const { page: phone, csp } = await signedIn(RESPONDER, PHONE);
    expect(await phone.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Look up', 'Referrals', 'Report']);
    await phone.getByLabel('Given name').fill(who.givenName);
    await phone.getByLabel('Family name').fill(who.familyName);
    await phone.getByLabel('Date of birth').fill(who.dateOfBirth);
    await phone.getByLabel('Incident number').fill('INC-2026-0777');
    await phone.getByRole('button', { name: 'Look up' }).click();
    const answer = phone.getByRole('region', { name: 'Answer' });
    await answer.waitFor();
    await answer.getByRole('button', { name: 'Refer' }).click();
    await phone.getByRole('heading', { name: 'Refer a person', level: 1 }).waitFor();
    expect(new URL(phone.url()).pathname).toBe('/refer');
    expect(await phone.getByLabel('Given name').inputValue()).toBe(who.givenName);
    expect(await phone.getByLabel('Family name').inputValue()).toBe(who.familyName);
    expect(await phone.getByLabel('Date of birth').inputValue()).toBe(who.dateOfBirth);
    expect(await phone.getByLabel('Incident number').inputValue()).toBe('INC-2026-0777');
    await documentState(phone, '13-refer');
    expect(await seriousViolations(phone)).toEqual([]);
    expect(await scrollsSideways(phone)).toBe(false);

    // Not agreed yet: refused inline, with the summary on top.
    // By key: other browser tests share this database and may hold another provider of the same name.
    await phone.getByLabel('Provider organization').selectOption(riverside.key);
    await phone.getByLabel('Reason').selectOption('SUBSTANCE_USE');
    await phone.getByLabel('Urgency').selectOption('URGENT');
    await phone.getByLabel('Callback phone').fill('+1 555 0100 777');
    await phone.getByLabel('Note').fill('Call after 5pm.');
    await phone.getByRole('button', { name: 'Send referral' }).click();
    const summary = phone.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Ask the person whether they agree to be referred');
    await documentState(phone, '14-refer-problem');
    expect(await seriousViolations(phone)).toEqual([]);
    // Keyboard: the summary's link takes the focus to the field.
    await summary.getByRole('link').first().click();
    await waitUntil(phone, "document.activeElement?.id === 'referral-personAgreed'");
    await phone.keyboard.press('Space');
    await phone.getByRole('button', { name: 'Send referral' }).click();
    await phone.getByText(`Referral sent to ${riverside.name}.`).waitFor();
    // The line saying it was sent has the focus (a screen reader reads it; the next Tab is the form).
    await waitUntil(phone, 'document.activeElement?.getAttribute("role") === "status"', 5000);
    await nothingOfThePerson(phone, who);

    // The provider's staff, on a laptop: the queue, accept (registering the person), the outcome.
    const { page: desktop, csp: staffCsp } = await signedIn(STAFF, LAPTOP);
    await desktop.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
    await desktop.getByRole('heading', { name: 'Referrals', level: 1 }).waitFor();
    const card = desktop.getByRole('region', { name: `${who.givenName} ${who.familyName}` });
    await card.waitFor();
    expect(await card.textContent()).toContain('Call after 5pm.');
    expect(await card.getByRole('link', { name: '+1 555 0100 777' }).getAttribute('href')).toBe('tel:+15550100777');
    expect(await seriousViolations(desktop)).toEqual([]);
    await card.getByRole('button', { name: 'Accept and link patient' }).click();
    await desktop.getByText(`Accepted: ${who.givenName} ${who.familyName} is linked to a patient record.`).waitFor();
    await desktop.getByLabel('Status').selectOption('ACCEPTED');
    const accepted = desktop.getByRole('region', { name: `${who.givenName} ${who.familyName}` });
    await accepted.getByRole('button', { name: 'Record outcome' }).waitFor();
    await accepted.getByLabel('Outcome').selectOption('ENGAGED');
    expect(await seriousViolations(desktop)).toEqual([]);
    await accepted.getByRole('button', { name: 'Record outcome' }).click();
    await desktop.getByText(`Recorded the outcome for ${who.givenName} ${who.familyName}; the referral is closed.`).waitFor();
    await nothingOfThePerson(desktop, who);

    // Back on the phone: closed, the outcome not shared, until a REFERRAL_OUTCOME consent names the agency.
    const ours = async () => {
      await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
      await phone.getByRole('heading', { name: 'Our referrals', level: 1 }).waitFor();
      const mine = phone.getByRole('region').filter({ hasText: 'INC-2026-0777' }).first();
      await mine.waitFor();
      return (await mine.textContent()) ?? '';
    };
    const before = await ours();
    // The blank form is one link away.
    expect(await phone.getByRole('link', { name: 'Refer a person' }).getAttribute('href')).toBe('/refer');
    expect(before).toContain('StatusClosed');
    expect(before).toContain('OutcomeNot shared');
    expect(before).not.toContain(who.familyName);
    expect(await seriousViolations(phone)).toEqual([]);

    const closed = (await desk.call('query { referrals(status: CLOSED, first: 100) { nodes { patientId familyName } } }', {})).referrals.nodes.find(
      (n: { familyName: string }) => n.familyName === who.familyName,
    );
    await desk.consent(closed.patientId, [metro], { purpose: 'CARE_COORDINATION', dataCategories: ['REFERRAL_OUTCOME'] });
    await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Look up' }).click();
    const after = await ours();
    expect(after).toContain('OutcomeEngaged in care');
    await documentState(phone, '15-our-referrals');
    expect(await seriousViolations(phone)).toEqual([]);
    await nothingOfThePerson(phone, who);
    expect([...csp, ...staffCsp]).toEqual([]);
  }, 90_000);

  it('lets the provider link a referral to a patient it already has, found by family name and date of birth; declines another', async () => {
    const registered = person({ givenName: 'Jay' });
    const patientId = await desk.register(registered);
    const responderToken = await (await DevIssuer.open(process.env.TEST_DATA_DIR!, devIssuerUrl(app.base))).mint(
      { sub: `alice-${randomUUID().slice(0, 8)}`, org: metro.key, roles: ['responder'], name: RESPONDER, amr: ['pwd', 'mfa'] },
      3600,
    );
    const refer = (who: { givenName: string; familyName: string; dateOfBirth?: string }) =>
      graphqlAs(responderToken, 'mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }', {
        input: { providerOrganizationKey: riverside.key, reason: 'MENTAL_HEALTH', urgency: 'ROUTINE', ...who, incidentNumber: 'INC-2026-0888', personAgreed: true },
      });
    // Referred as "Jamie": the duplicate check would not match "Jay", but the family name and date of birth do.
    const { aliases: _aliases, ...identity } = registered;
    expect((await refer({ ...identity, givenName: 'Jamie' })).errors).toBeUndefined();
    // Robin's responder did not know the date of birth.
    const { aliases: _none, dateOfBirth: _unknown, ...other } = person({ givenName: 'Robin' });
    expect((await refer(other)).errors).toBeUndefined();

    const { page } = await signedIn(STAFF, LAPTOP);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
    const card = page.getByRole('region', { name: `Jamie ${registered.familyName}` });
    await card.getByRole('button', { name: 'Find existing patient' }).click();
    await card.getByRole('button', { name: `Link to Jay ${registered.familyName}, born ${registered.dateOfBirth}` }).click();
    await page.getByText(`Accepted: Jamie ${registered.familyName} is linked to a patient record.`).waitFor();
    const [row] = await sql<{ patient_id: string }>(`SELECT r.patient_id FROM referral r WHERE r.incident_number = 'INC-2026-0888' AND r.status = 'ACCEPTED'`);
    expect(row.patient_id).toBe(patientId);

    const declining = page.getByRole('region', { name: `Robin ${other.familyName}` });
    // Accepting without the date of birth asks for it, at the field, and blames nothing else.
    await declining.getByRole('button', { name: 'Accept and link patient' }).click();
    await declining.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    expect(await declining.textContent()).not.toContain('could not answer');
    await waitUntil(page, 'document.activeElement?.type === "date"', 5000);
    await declining.getByLabel('Reason').selectOption('OUT_OF_AREA');
    expect(await seriousViolations(page)).toEqual([]);
    await declining.getByRole('button', { name: 'Decline' }).click();
    await page.getByText(`Declined the referral of Robin ${other.familyName}.`).waitFor();
  }, 60_000);

  it('shows the agency its monthly report, small counts as "Fewer than 11"', async () => {
    const { page } = await signedIn(RESPONDER, PHONE);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Report', exact: true }).click();
    await page.getByRole('heading', { name: 'Monthly report', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Show report' }).click();
    const table = page.getByRole('table');
    await table.waitFor();
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Month', 'Referrals made', 'Accepted', 'With an outcome shared', 'Engaged in care', 'Lookups made', 'Lookups that found information']);
    // The one referral of the walk above, this month: counted, but shown as fewer than 11.
    const thisMonth = new Date().toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: thisMonth }) });
    expect((await row.getByRole('cell').allTextContents())[0]).toBe('Fewer than 11');
    await table.scrollIntoViewIfNeeded();
    await documentState(page, '16-report');
    expect(await seriousViolations(page)).toEqual([]);
    // A report from a later month than the end: refused inline.
    await page.getByLabel('From', { exact: true }).fill('2026-03-01');
    await page.getByLabel('To', { exact: true }).fill('2026-01-01');
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);
});
