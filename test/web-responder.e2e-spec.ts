// The responder's screen, end to end in a real Chromium (issue 13): sign-in at the development
// OpenID provider, a lookup with the care team as tap-to-call links and the notice (C11, C13),
// every "no" the same on screen (C9), the medical emergency for clinical responders only (C14,
// C15), refusals a person understands, nothing left on the device (C12), a strict CSP, and the
// screen on a phone, a second phone and a vehicle laptop, light and dark, for a screen reader.
import { PARTNERSHIP_IN_FORCE_SQL } from '@libs/testing/partnership-fixture.js';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { DevIssuer, devIssuerUrl } from '@libs/auth/dev-issuer.js';
import { nonAcknowledgementCases, type OrganizationRef, person, ProviderDesk } from '@libs/testing/provider-desk.js';
import { launchBrowser } from './support/browser.js';
import { closeSql, sql } from './support/database.js';
import {
  browserStorage,
  documentState,
  enhancedContrastViolations,
  scrollsSideways,
  seriousViolations,
  setPageHidden,
  smallTargets,
  startWebApp,
  type WebApp,
} from './support/web-app.js';

const RESPONDER = 'Alice Responder';
const CLINICAL = 'Casey Medic, RN';
const PHONE = { width: 390, height: 844 };
const SMALL_PHONE = { width: 360, height: 640 };
const LAPTOP = { width: 1280, height: 800 };
const CARE_TEAM = [
  { name: 'Jordan Lee', role: 'Case manager', phone: '+1 555 0100 201', afterHoursPhone: '+1 555 0100 299', hours: 'Mon-Fri 8:00-17:00' },
  { name: 'Dr. Priya Shah', role: 'Prescriber', phone: '+1 555 0100 202', hours: 'Tue and Thu mornings' },
];

type Identity = { givenName: string; familyName: string; dateOfBirth: string };
type TokenResponse = { access_token: string; refresh_token: string; id_token: string };

/** Waits (a little) for the element with this id to have the focus; the page's CSP forbids waitForFunction's eval. */
async function expectFocusOn(page: Page, id: string): Promise<void> {
  let focused: unknown;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    focused = await page.evaluate('document.activeElement?.id');
    if (focused === id) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(focused).toBe(id);
}

/** A responder agency of the demo data, created when the shared test database does not have it. */
async function agency(key: string, name: string): Promise<OrganizationRef> {
  await sql(`INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, 'RESPONDER_AGENCY', false, 'test-fixture') ON CONFLICT (key) DO NOTHING`, [key, name]);
  const [row] = await sql<{ id: string; name: string }>(`SELECT id, name FROM organization WHERE key = $1`, [key]);
  return { id: row.id, key, name: row.name };
}

async function freshOrganization(kind: 'TREATMENT_PROVIDER' | 'RESPONDER_AGENCY', name: string, partnerOf?: OrganizationRef): Promise<OrganizationRef> {
  const key = `${kind === 'TREATMENT_PROVIDER' ? 'provider' : 'agency'}-${randomUUID().slice(0, 8)}`;
  const [row] = await sql<{ id: string }>(
    `INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, $3, $4, 'test-fixture') RETURNING id`,
    [key, name, kind, kind === 'TREATMENT_PROVIDER'],
  );
  // Issue 15: a consent may name an agency only under a partnership agreement in force.
  if (partnerOf) await sql(PARTNERSHIP_IN_FORCE_SQL, kind === 'TREATMENT_PROVIDER' ? [row.id, partnerOf.id, 'test-fixture'] : [partnerOf.id, row.id, 'test-fixture']);
  return { id: row.id, key, name };
}

describe("the responder's screen in a real browser (issue 13)", () => {
  let app: WebApp;
  let browser: Browser;
  let desk: ProviderDesk;
  let metro: OrganizationRef;
  let consented: Identity;
  const contexts: BrowserContext[] = [];

  const graphqlAs = async (token: string, query: string, variables?: Record<string, unknown>) =>
    (await request(app.built.app.getHttpServer()).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query, variables })).body;

  /** A consented person, as a provider would record them (the demo's Dana Rivera, with a unique family name). */
  async function consentedPerson(recipients: OrganizationRef[]): Promise<Identity> {
    const who = person();
    const patientId = await desk.register(who);
    await desk.enroll(patientId, {
      programName: 'Riverside Opioid Treatment Program',
      startedOn: '2025-09-02',
      careTeam: CARE_TEAM,
      engagementNotes: 'Responds well to a calm, slow approach. Prefers to be called Dee.',
    });
    await desk.consent(patientId, recipients);
    return who;
  }

  async function newPage(viewport = PHONE, options: { clock?: boolean; dark?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'America/New_York', colorScheme: options.dark ? 'dark' : 'light' });
    contexts.push(context);
    const page = await context.newPage();
    if (options.clock) await page.clock.install();
    return page;
  }

  /** Signs in at the development provider as a demo person; returns the tokens the app received. */
  async function signIn(page: Page, who: string, base = app.base): Promise<TokenResponse> {
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dev-idp\/interaction\//);
    const tokens = page.waitForResponse((r) => r.url() === `${base}/dev-idp/token` && r.request().method() === 'POST');
    await page.getByRole('button', { name: who }).click();
    const body = (await (await tokens).json()) as TokenResponse;
    await page.getByLabel('Given name').waitFor();
    return body;
  }

  async function fillPerson(page: Page, who: Identity, incidentNumber = 'INC-2026-0042'): Promise<void> {
    await page.getByLabel('Given name').fill(who.givenName);
    await page.getByLabel('Family name').fill(who.familyName);
    await page.getByLabel('Date of birth').fill(who.dateOfBirth);
    await page.getByLabel('Incident number').fill(incidentNumber);
  }

  async function lookUp(page: Page, who: Identity): Promise<void> {
    await fillPerson(page, who);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('region', { name: 'Answer' }).waitFor();
  }

  /** No serious or critical axe-core violation, in light and in dark. */
  async function accessibleInLightAndDark(page: Page): Promise<void> {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect({ colorScheme, violations: await seriousViolations(page) }).toEqual({ colorScheme, violations: [] });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  beforeAll(async () => {
    app = await startWebApp({ LOOKUP_RATE_LIMIT_PER_HOUR: '100000', EMERGENCY_RATE_LIMIT_PER_DAY: '100000' });
    metro = await agency('metro-crisis-team', 'Metro Crisis Team');
    const county = await agency('county-mobile-crisis', 'County Mobile Crisis (clinical)');
    const provider = await freshOrganization('TREATMENT_PROVIDER', 'Riverside Recovery', metro);
    await sql(PARTNERSHIP_IN_FORCE_SQL, [provider.id, county.id, 'test-fixture']);
    const issuer = await DevIssuer.open(process.env.TEST_DATA_DIR!, devIssuerUrl(app.base));
    const staffToken = await issuer.mint({ sub: `staff-${randomUUID().slice(0, 8)}`, org: provider.key, roles: ['provider_staff'], name: 'Pat Intake', amr: ['pwd', 'mfa'] }, 3600);
    desk = new ProviderDesk(graphqlAs, provider, staffToken);
    consented = await consentedPerson([metro, county]);
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

  it('signs a responder in; a consented person shows the care team as working tel: links and the notice; nothing is left in browser storage', async () => {
    const page = await newPage(PHONE);
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${app.base}/`);
    await accessibleInLightAndDark(page);
    await documentState(page, '1-sign-in');
    const tokens = await signIn(page, RESPONDER);

    // Navigation by role: a responder's pages only, and the home page is the lookup.
    const navigation = page.getByRole('navigation', { name: 'Main' });
    expect(await navigation.getByRole('link').allTextContents()).toEqual(['Look up', 'Referrals', 'Report']);
    await page.getByRole('region', { name: 'Who am I' }).getByText(RESPONDER).waitFor();
    expect(await page.getByLabel('Purpose').inputValue()).toBe('CRISIS_RESPONSE');
    for (const field of ['Given name', 'Family name', 'Date of birth', 'Incident number', 'Purpose']) {
      expect(await page.getByLabel(field).getAttribute('autocomplete')).toBe('off');
    }
    await accessibleInLightAndDark(page);
    await documentState(page, '2-form');

    // A date typed the way people write it (the native field in a US locale).
    await page.getByLabel('Given name').fill(consented.givenName);
    await page.getByLabel('Family name').fill(consented.familyName);
    await page.getByLabel('Date of birth').click();
    await page.getByLabel('Date of birth').pressSequentially('04121990');
    expect(await page.getByLabel('Date of birth').inputValue()).toBe('1990-04-12');
    await page.getByLabel('Incident number').fill('INC-2026-0042');
    const answered = page.waitForResponse((r) => r.url() === `${app.base}/graphql` && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Look up' }).click();
    const response = await answered;
    expect(response.headers()['cache-control']).toBe('no-store');
    expect(JSON.parse(response.request().postData() ?? '{}').query).toMatch(/^query ResponderLookup/);

    const answer = page.getByRole('region', { name: 'Answer' });
    await answer.waitFor();
    // The answer takes the focus, so a screen reader reads it at once.
    await expectFocusOn(page, 'answer-heading');
    await answer.getByRole('heading', { name: 'Riverside Opioid Treatment Program' }).waitFor();
    await answer.getByText('In treatment since September 2, 2025').waitFor();
    await answer.getByText('Responds well to a calm, slow approach.', { exact: false }).waitFor();
    const call = answer.getByRole('link', { name: 'Call +1 555 0100 201 (Jordan Lee)' });
    expect(await call.getAttribute('href')).toBe('tel:+15550100201');
    expect(await answer.getByRole('link', { name: 'After hours +1 555 0100 299 (Jordan Lee)' }).getAttribute('href')).toBe('tel:+15550100299');
    expect(await answer.getByRole('link', { name: 'Call +1 555 0100 202 (Dr. Priya Shah)' }).getAttribute('href')).toBe('tel:+15550100202');
    // The notice: a short line always visible, the full text one tap away (C11, C13).
    await answer.getByText('Protected by federal law (42 CFR part 2).').waitFor();
    const fullNotice = answer.getByRole('button', { name: 'Full notice' });
    expect(await fullNotice.getAttribute('aria-expanded')).toBe('false');
    expect(await answer.getByText('These rules prohibit you from using or disclosing this record', { exact: false }).isVisible()).toBe(false);
    await accessibleInLightAndDark(page);
    await documentState(page, '3-answer');
    await fullNotice.click();
    expect(await fullNotice.getAttribute('aria-expanded')).toBe('true');
    await answer.getByText('These rules prohibit you from using or disclosing this record', { exact: false }).waitFor();
    await answer.getByText('may not be used to initiate or substantiate any criminal charges', { exact: false }).waitFor();
    await answer.getByRole('heading', { name: 'Notice of redisclosure (42 CFR 2.32)' }).scrollIntoViewIfNeeded();
    await documentState(page, '4-full-notice');

    // Tapping the number hands it to the phone's dialler, and the answer stays on screen.
    const dialled = page.waitForRequest((r) => r.url().startsWith('tel:'));
    await call.click();
    expect((await dialled).url()).toBe('tel:+15550100201');
    expect(await answer.isVisible()).toBe(true);

    // Nothing of the person or the token outlives the page: no storage, no address, no title.
    const storage = await browserStorage(page);
    for (const secret of [consented.familyName, '0100 201', '+15550100201', 'Jordan Lee', tokens.access_token, tokens.refresh_token, tokens.id_token]) {
      expect(storage).not.toContain(secret);
    }
    expect(storage).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    expect(page.url()).toBe(`${app.base}/`);
    expect(await page.title()).toBe('Look up – crisis-link');
    expect(cspViolations).toEqual([]);
  }, 120_000);

  it('renders every kind of "no" with the same DOM, with the crisis line (C9, WEB_CRISIS_LINE default 988)', async () => {
    const other = await freshOrganization('RESPONDER_AGENCY', 'Another agency', desk.organization);
    const cases = nonAcknowledgementCases(desk, metro, other);
    const page = await newPage(SMALL_PHONE);
    await signIn(page, RESPONDER);
    const rendered = new Map<string, string>();
    for (const [name, setUp] of Object.entries(cases)) {
      const who = await setUp();
      await lookUp(page, who);
      rendered.set(name, await page.getByRole('region', { name: 'Answer' }).evaluate((element) => element.outerHTML));
      if (rendered.size === 1) {
        await page.getByRole('region', { name: 'Answer' }).getByText('No information can be shared. This does not mean the person is or is not in treatment.').waitFor();
        expect(await page.getByRole('link', { name: 'Call the crisis line 988' }).getAttribute('href')).toBe('tel:988');
        await accessibleInLightAndDark(page);
        await documentState(page, '5-no-information');
      }
    }
    expect(rendered.size).toBe(Object.keys(cases).length);
    const [first] = rendered.values();
    for (const [name, html] of rendered) expect({ name, html }).toEqual({ name, html: first });
    // And a disclosed person afterwards is not a "no".
    await lookUp(page, consented);
    await page.getByRole('region', { name: 'Answer' }).getByRole('heading', { name: 'Riverside Opioid Treatment Program' }).waitFor();
  }, 120_000);

  it('clears the answer with "Clear", after WEB_ANSWER_TTL_SECONDS, and when the page has been hidden for WEB_HIDDEN_CLEAR_SECONDS', async () => {
    const page = await newPage(PHONE, { clock: true });
    await signIn(page, RESPONDER);
    const answer = page.getByRole('region', { name: 'Answer' });

    // Clear: the answer and the person's name and date of birth leave the page.
    await lookUp(page, consented);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByText('Cleared. Nothing about the person is left on this screen.').waitFor();
    expect(await answer.count()).toBe(0);
    for (const field of ['Given name', 'Family name', 'Date of birth']) expect(await page.getByLabel(field).inputValue()).toBe('');
    expect(await page.content()).not.toContain(consented.familyName);
    await accessibleInLightAndDark(page);
    await documentState(page, '6-cleared');

    // The timer: still there just before 600 seconds, gone after.
    await lookUp(page, consented);
    await page.keyboard.press('Shift');
    await page.clock.fastForward(590_000);
    expect(await answer.count()).toBe(1);
    await page.keyboard.press('Shift');
    await page.clock.fastForward(15_000);
    await page.getByText('The answer was removed after 10 minutes.', { exact: false }).waitFor();
    expect(await answer.count()).toBe(0);
    expect(await page.content()).not.toContain('0100 201');

    // Hidden briefly (a glance at another app): the answer stays.
    await lookUp(page, consented);
    await setPageHidden(page, true);
    await page.clock.fastForward(30_000);
    await setPageHidden(page, false);
    expect(await answer.count()).toBe(1);
    // Hidden for a minute (the phone back in a pocket): gone, even before it is shown again.
    await page.keyboard.press('Shift');
    await setPageHidden(page, true);
    await page.clock.fastForward(61_000);
    expect(await answer.count()).toBe(0);
    await setPageHidden(page, false);
    await page.getByText('The answer was removed because the screen was hidden or locked.', { exact: false }).waitFor();
    expect(await page.content()).not.toContain(consented.familyName);
  }, 120_000);

  it("walks a clinical responder through a medical emergency: the rule before typing, the record and the program's notification, the answer marked (C14, C15)", async () => {
    const notConsented = person();
    await desk.enroll(await desk.register(notConsented), { programName: 'Riverside Opioid Treatment Program', careTeam: CARE_TEAM });
    const page = await newPage(PHONE);
    await signIn(page, CLINICAL);
    await fillPerson(page, notConsented, 'INC-2026-0107');
    const emergency = page.getByRole('button', { name: 'Medical emergency' });
    expect(await emergency.getAttribute('aria-expanded')).toBe('false');
    await emergency.click();
    const nature = page.getByLabel('Nature of the emergency');
    // The minimum length is said before anything is typed, and read with the field.
    const hintId = (await nature.getAttribute('aria-describedby'))!.split(' ')[0];
    expect(await page.locator(`[id="${hintId}"]`).textContent()).toContain('At least 10 characters');
    await page.getByText('This disclosure is recorded', { exact: false }).waitFor();
    await nature.fill('Overdose');
    let requests = 0;
    page.on('request', (r) => (r.url().endsWith('/graphql') ? (requests += 1) : undefined));
    await page.getByRole('button', { name: 'Disclose under medical emergency' }).click();
    await page.getByRole('alert').getByText('Describe the emergency in at least 10 characters').waitFor();
    expect(requests).toBe(0);
    await accessibleInLightAndDark(page);
    await nature.fill('Unresponsive, suspected opioid overdose');
    await page.getByRole('button', { name: 'Disclose under medical emergency' }).scrollIntoViewIfNeeded();
    await documentState(page, '7-emergency-form');
    await page.getByRole('button', { name: 'Disclose under medical emergency' }).click();

    const answer = page.getByRole('region', { name: 'Answer' });
    await answer.getByText('Medical emergency disclosure (42 CFR 2.51).').waitFor();
    await answer.getByText('It has been recorded with your name, and the treatment program has been notified.').waitFor();
    await answer.getByText("Disclosed under a medical emergency, without the person's consent.").waitFor();
    expect(await answer.getByRole('link', { name: 'Call +1 555 0100 201 (Jordan Lee)' }).getAttribute('href')).toBe('tel:+15550100201');
    await accessibleInLightAndDark(page);
    await documentState(page, '8-emergency-answer');

    // The §2.51(c) record exists, and the program can see it.
    const listed = await graphqlAs(desk.staffToken, '{ emergencyDisclosures(first: 50, pendingOnly: true) { nodes { incidentNumber medicalPersonnelName natureOfEmergency } } }');
    expect(listed.data.emergencyDisclosures.nodes).toContainEqual({ incidentNumber: 'INC-2026-0107', medicalPersonnelName: CLINICAL, natureOfEmergency: 'Unresponsive, suspected opioid overdose' });
  }, 120_000);

  it('shows a plain responder no emergency button, and the API refuses the emergency anyway (C14)', async () => {
    const page = await newPage(PHONE);
    const tokens = await signIn(page, RESPONDER);
    expect(await page.getByRole('button', { name: 'Medical emergency' }).count()).toBe(0);
    expect(await page.getByLabel('Nature of the emergency').count()).toBe(0);
    const refused = await graphqlAs(tokens.access_token, 'mutation($input: EmergencyAccessInput!) { emergencyAccess(input: $input) { outcome } }', {
      input: { givenName: consented.givenName, familyName: consented.familyName, dateOfBirth: consented.dateOfBirth, incidentNumber: 'INC-2026-0042', natureOfEmergency: 'Unresponsive, suspected overdose' },
    });
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');
  }, 60_000);

  it("lists each role's pages only: provider staff have no lookup, and its address tells them so", async () => {
    await sql(
      `INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ('riverside-recovery', 'Riverside Recovery', 'TREATMENT_PROVIDER', true, 'test-fixture') ON CONFLICT (key) DO NOTHING`,
    );
    const page = await newPage(PHONE);
    await page.goto(`${app.base}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Pat Intake' }).click();
    await page.getByRole('region', { name: 'Who am I' }).getByText('Provider staff').waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Look up' }).count()).toBe(0);
    // Their home is their own page (Patients), which has person fields of its own, but no lookup.
    await page.getByRole('heading', { name: 'Patients', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Look up' }).count()).toBe(0);
    expect(await page.getByLabel('Incident number').count()).toBe(0);
    // The address of a page of another role is served (it is the app's), and the app refuses it.
    await page.evaluate(`history.pushState(null, '', '/lookup'); dispatchEvent(new PopStateEvent('popstate'))`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await page.getByLabel('Given name').count()).toBe(0);
    await accessibleInLightAndDark(page);
  }, 60_000);

    it('says when the responder can look up again when rate limited, from retryAfterSeconds', async () => {
    // A second instance of the service with a limit of one lookup an hour (the count is per person, in the database).
    const limited = await startWebApp({ LOOKUP_RATE_LIMIT_PER_HOUR: '1' });
    try {
      const page = await newPage(SMALL_PHONE);
      await signIn(page, RESPONDER, limited.base);
      let retryAfterSeconds: number | undefined;
      for (let attempt = 0; attempt < 2 && retryAfterSeconds === undefined; attempt += 1) {
        await fillPerson(page, consented);
        const answered = page.waitForResponse((r) => r.url() === `${limited.base}/graphql`);
        await page.getByRole('button', { name: 'Look up' }).click();
        const body = await (await answered).json();
        retryAfterSeconds = body.errors?.[0]?.extensions?.retryAfterSeconds;
      }
      expect(retryAfterSeconds).toBeGreaterThan(0);
      const minutes = Math.max(1, Math.ceil(retryAfterSeconds! / 60));
      const alert = page.getByRole('alert');
      await alert.getByText(`You can look up again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`, { exact: false }).waitFor();
      expect(await page.getByRole('region', { name: 'Answer' }).count()).toBe(0);
      await accessibleInLightAndDark(page);
      await documentState(page, '9-rate-limited');
    } finally {
      await limited.close();
    }
  }, 90_000);

  it('keeps what was typed when the session has expired, and signs in again in a second window', async () => {
    const page = await newPage(PHONE, { clock: true });
    const tokens = await signIn(page, RESPONDER);
    await fillPerson(page, consented);
    // The provider ends the session: the app's refresh token is used elsewhere (rotation makes the app's copy worthless).
    const stolen = await fetch(`${app.base}/dev-idp/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'crisis-link-web' }),
    });
    expect(stolen.status).toBe(200);
    // Active for nine and a half minutes: the app tries to refresh before the access token expires, and is refused.
    for (let minute = 0; minute < 10; minute += 1) {
      await page.keyboard.press('Shift');
      await page.clock.fastForward(57_000);
    }
    const expired = page.getByRole('alert').filter({ hasText: 'Your session has ended.' });
    await expired.waitFor();
    await expired.getByText('What you typed is kept on this page.').waitFor();
    expect(await page.getByLabel('Family name').inputValue()).toBe(consented.familyName);
    await accessibleInLightAndDark(page);
    await documentState(page, '10-session-expired');

    // Looking up now says to sign in again, and keeps the form.
    await page.getByRole('button', { name: 'Look up' }).click();
    expect(await page.getByRole('region', { name: 'Answer' }).count()).toBe(0);
    // (The page's clock is the test's: let its frames and timers run.)
    await page.clock.runFor(500);
    await expectFocusOn(page, 'session-expired');

    const popupOpened = page.context().waitForEvent('page');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    const popup = await popupOpened;
    // The provider asks who it is, unless its own session still knows (then the window just closes).
    // (It may have come and gone already: a closed page sends no more events.)
    const closed = popup.isClosed() ? Promise.resolve() : popup.waitForEvent('close');
    await Promise.race([closed, popup.getByRole('button', { name: RESPONDER }).click()]).catch(() => undefined);
    await closed;
    await expired.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Family name').inputValue()).toBe(consented.familyName);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('region', { name: 'Answer' }).getByRole('heading', { name: 'Riverside Opioid Treatment Program' }).waitFor();
  }, 120_000);

  it('says so when offline, and never shows an old answer', async () => {
    const page = await newPage(SMALL_PHONE);
    await signIn(page, RESPONDER);
    await lookUp(page, consented);
    await page.context().setOffline(true);
    await page.getByRole('status').getByText('You are offline.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('alert').getByRole('heading', { name: 'You are offline' }).waitFor();
    expect(await page.getByRole('region', { name: 'Answer' }).count()).toBe(0);
    await accessibleInLightAndDark(page);
    await documentState(page, '11-offline');
    await page.context().setOffline(false);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('region', { name: 'Answer' }).waitFor();
  }, 60_000);

  it('serves the page with a strict CSP that blocks an injected inline script, no referrer, a Permissions-Policy and no-store', async () => {
    for (const path of ['/', '/lookup']) {
      const page = await request(app.built.app.getHttpServer()).get(path);
      expect(page.status).toBe(200);
      const csp = page.headers['content-security-policy'];
      expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|nonce-/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/connect-src 'self'(;|$)/);
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['permissions-policy']).toMatch(/camera=\(\)/);
      expect(page.headers['permissions-policy']).toMatch(/microphone=\(\)/);
      expect(page.headers['permissions-policy']).toMatch(/geolocation=\(\)/);
      expect(page.headers['cache-control']).toBe('no-store');
    }
    expect((await request(app.built.app.getHttpServer()).get('/app-config.json')).headers['cache-control']).toBe('no-store');
    expect((await request(app.built.app.getHttpServer()).get('/no-such-page')).status).toBe(404);
    // The app's code goes to a phone compressed.
    const index = await request(app.built.app.getHttpServer()).get('/');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)![1];
    for (const encoding of ['br', 'gzip']) {
      const asset = await request(app.built.app.getHttpServer()).get(script).set('Accept-Encoding', encoding);
      expect(asset.headers['content-encoding']).toBe(encoding);
      expect(asset.headers.vary).toMatch(/Accept-Encoding/);
    }

    const page = await newPage(PHONE);
    await signIn(page, RESPONDER);
    await lookUp(page, consented);
    const outcome = await page.evaluate(`(async () => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (event) => violations.push(event.effectiveDirective));
      const script = document.createElement('script');
      script.textContent = 'window.injected = document.body.innerText';
      document.body.appendChild(script);
      const holder = document.createElement('div');
      holder.innerHTML = '<img src="data:," onerror="window.injectedHandler = 1">';
      document.body.appendChild(holder);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { injected: typeof window.injected, handler: typeof window.injectedHandler, violations };
    })()`);
    expect(outcome).toEqual({ injected: 'undefined', handler: 'undefined', violations: expect.arrayContaining(['script-src-elem', 'script-src-attr']) });
    await expect(page.addScriptTag({ content: 'window.injectedTag = 1' })).rejects.toThrow();
    expect(await page.evaluate('typeof window.injectedTag')).toBe('undefined');
  }, 60_000);

  it('is made for the road: 360×640, 390×844 and 1280×800, 44 px targets, 7:1 contrast for the answer in light and dark, a screen reader', async () => {
    for (const viewport of [SMALL_PHONE, PHONE, LAPTOP]) {
      const page = await newPage(viewport);
      await signIn(page, RESPONDER);
      expect({ viewport, sideways: await scrollsSideways(page) }).toEqual({ viewport, sideways: false });
      expect({ viewport, small: await smallTargets(page) }).toEqual({ viewport, small: [] });
      await lookUp(page, consented);
      // On a phone the first number to call is on the first screen, without scrolling.
      const call = page.getByRole('link', { name: 'Call +1 555 0100 201 (Jordan Lee)' });
      await page.evaluate('window.scrollTo(0, 0)');
      const box = (await call.boundingBox())!;
      expect({ viewport, bottom: box.y + box.height <= viewport.height }).toEqual({ viewport, bottom: true });
      await page.getByRole('button', { name: 'Full notice' }).click();
      expect({ viewport, sideways: await scrollsSideways(page) }).toEqual({ viewport, sideways: false });
      expect({ viewport, small: await smallTargets(page) }).toEqual({ viewport, small: [] });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        expect({ viewport, colorScheme, contrast: await enhancedContrastViolations(page, '.answer') }).toEqual({ viewport, colorScheme, contrast: [] });
        expect({ viewport, colorScheme, violations: await seriousViolations(page) }).toEqual({ viewport, colorScheme, violations: [] });
      }
      if (viewport === PHONE) {
        await page.getByRole('button', { name: 'Full notice' }).click();
        await page.evaluate('window.scrollTo(0, 0)');
        await documentState(page, '12-answer-dark');
        await page.emulateMedia({ colorScheme: 'light' });
        // What a screen reader is given: a region named Answer, headings, the calls as links.
        const tree = await page.getByRole('region', { name: 'Answer' }).ariaSnapshot();
        expect(tree).toContain('heading "Answer" [level=2]');
        expect(tree).toContain('heading "Riverside Opioid Treatment Program" [level=3]');
        expect(tree).toContain('link "Call +1 555 0100 201 (Jordan Lee)"');
        expect(tree).toContain('button "Full notice"');
      }
    }
  }, 180_000);
});
