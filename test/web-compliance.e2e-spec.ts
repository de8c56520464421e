// The compliance officer's screens, end to end in a real Chromium (issue 14): sign-in at the
// development OpenID provider as an oversight body's officer; the audit log filtered by person and
// incident, a page at a time, each event in words with its integrity; a person's accounting and
// its CSV download (made in memory, never stored); the ledger verified on demand. Keyboard only
// where it matters, axe-core clean, nothing of the person in the address, the title or storage.
import { PARTNERSHIP_IN_FORCE_SQL } from '@libs/testing/partnership-fixture.js';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { DevIssuer, devIssuerUrl } from '@libs/auth/dev-issuer.js';
import { AuditSealer } from '@libs/ledger/audit-sealer.js';
import { type OrganizationRef, person, ProviderDesk } from '@libs/testing/provider-desk.js';
import { launchBrowser } from './support/browser.js';
import { closeSql, sql } from './support/database.js';
import { browserStorage, PHONE_DARK, phonePageProblems, seriousViolations, signedInPage, startWebApp, type WebApp, waitUntil } from './support/web-app.js';

const OFFICER = 'Olive Oversight';
const LOOKUP = 'query($input: LookupInput!) { responderLookup(input: $input) { outcome } }';
const VERIFY = '{ verifyAuditLog { valid firstInvalidSequence } }';
/** Runs in the page: whether the element has the focus. */
const isFocused = (element: unknown) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement;
/** Whether the element has the focus, waiting a little: the pages move the focus after the screen is drawn. */
async function hasFocus(locator: { evaluate(fn: (element: unknown) => boolean): Promise<boolean> }): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await locator.evaluate(isFocused)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function organization(key: string, name: string, kind: 'RESPONDER_AGENCY' | 'OVERSIGHT'): Promise<OrganizationRef> {
  await sql(`INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, $3, false, 'test-fixture') ON CONFLICT (key) DO NOTHING`, [key, name, kind]);
  const [row] = await sql<{ id: string; name: string }>(`SELECT id, name FROM organization WHERE key = $1`, [key]);
  return { id: row.id, key, name: row.name };
}

describe("the compliance officer's screens in a real browser (issue 14)", () => {
  let app: WebApp;
  let browser: Browser;
  let who: ReturnType<typeof person>;
  let patientId: string;
  let officerToken: string;
  const incident = `INC-${randomUUID().slice(0, 8).toUpperCase()}`;
  const LOOKUPS = 22;
  const contexts: BrowserContext[] = [];

  const graphqlAs = async (token: string, query: string, variables?: Record<string, unknown>) =>
    (await request(app.built.app.getHttpServer()).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query, variables })).body;

  beforeAll(async () => {
    app = await startWebApp({ LOOKUP_RATE_LIMIT_PER_HOUR: '100000' });
    const metro = await organization('metro-crisis-team', 'Metro Crisis Team', 'RESPONDER_AGENCY');
    const oversight = await organization('state-oversight', 'State Behavioral Health Oversight', 'OVERSIGHT');
    const providerKey = `provider-${randomUUID().slice(0, 8)}`;
    const [provider] = await sql<{ id: string }>(
      `INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, 'Riverside Recovery', 'TREATMENT_PROVIDER', true, 'test-fixture') RETURNING id`,
      [providerKey],
    );
    // Issue 15: the consent below may name the agency only under an agreement in force.
    await sql(PARTNERSHIP_IN_FORCE_SQL, [provider.id, metro.id, 'test-fixture']);
    const issuer = await DevIssuer.open(process.env.TEST_DATA_DIR!, devIssuerUrl(app.base));
    const staffToken = await issuer.mint({ sub: `staff-${randomUUID().slice(0, 8)}`, org: providerKey, roles: ['provider_staff'], name: 'Pat Intake', amr: ['pwd', 'mfa'] }, 3600);
    const desk = new ProviderDesk(graphqlAs, { id: provider.id, key: providerKey, name: 'Riverside Recovery' }, staffToken);
    ({ who, patientId } = await desk.consentedPatient([metro]));
    const responderToken = await issuer.mint({ sub: `alice-${randomUUID().slice(0, 8)}`, org: metro.key, roles: ['responder'], name: 'Alice Responder', amr: ['pwd', 'mfa'] }, 3600);
    // More disclosures on one incident than one page of the log holds.
    for (let i = 0; i < LOOKUPS; i += 1) {
      const answer = await graphqlAs(responderToken, LOOKUP, { input: { ...pick(who), incidentNumber: incident, purpose: 'CRISIS_RESPONSE' } });
      expect(answer.data.responderLookup.outcome).toBe('INFORMATION_AVAILABLE');
    }
    // Sealed, so an event's detail names its checkpoint and the ledger has a last checkpoint to show.
    await app.built.app.get(AuditSealer).sealEverythingCommitted();
    officerToken = await issuer.mint({ sub: `olive-${randomUUID().slice(0, 8)}`, org: oversight.key, roles: ['compliance_officer'], name: OFFICER, amr: ['pwd', 'mfa'] }, 3600);
    browser = await launchBrowser();
  }, 120_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await closeSql();
  });

  function pick(p: ReturnType<typeof person>) {
    return { givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth };
  }

  const signIn = () => signedInPage(browser, app, { person: OFFICER, home: 'Audit log', contexts, context: { acceptDownloads: true } });

  async function findPerson(page: Page): Promise<void> {
    await page.getByLabel('Given name').fill(who.givenName);
    await page.getByLabel('Family name').fill(who.familyName);
    await page.getByLabel('Date of birth').fill(who.dateOfBirth);
    await page.getByRole('button', { name: 'Find person' }).click();
    await page.getByRole('button', { name: new RegExp(`^Choose ${who.givenName} ${who.familyName}, born ${who.dateOfBirth}`) }).click();
    await page.getByText(`Person: ${who.givenName} ${who.familyName}`).waitFor();
  }

  async function expectNothingLeft(page: Page): Promise<void> {
    expect(page.url()).not.toContain(who.familyName);
    expect(page.url()).not.toContain(patientId);
    expect(await page.title()).not.toContain(who.familyName);
    const storage = await browserStorage(page);
    expect(storage).not.toContain(who.familyName);
    expect(storage).not.toContain(patientId);
  }

  it('reviews the log: the person found by name and date of birth, one incident, a page at a time, each event in words with its integrity', async () => {
    const { page, csp } = await signIn();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Audit log', 'Accounting', 'Ledger']);
    expect(await page.title()).toBe('Audit log – crisis-link');
    expect(await seriousViolations(page)).toEqual([]);

    await findPerson(page);
    // The button pressed is gone: the focus is on the person chosen, not lost at the top of the page.
    await waitUntil(page, `document.activeElement?.textContent.includes('Person: ${who.givenName} ${who.familyName}')`, 5000);
    await page.getByLabel('Incident number').fill(incident);
    // The action is chosen in words; no code such as responderLookup is shown.
    const actions = await page.getByLabel('Action').locator('option').allTextContents();
    expect(actions).toContain('Looked up a person for an incident');
    expect(actions.filter((a) => /^[a-z]+[A-Z]/.test(a))).toEqual([]);
    await page.getByLabel('Action').selectOption({ label: 'Looked up a person for an incident' });
    await page.getByRole('button', { name: 'Show events' }).click();
    await page.getByRole('heading', { name: 'Events, page 1' }).waitFor();
    // While the request ran its button was disabled; the focus comes back to it.
    await waitUntil(page, "document.activeElement?.textContent.trim() === 'Show events'", 5000);
    const rows = page.getByRole('table', { name: 'Audit events, newest first' }).locator('tbody tr');
    expect(await rows.count()).toBe(20);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    const first = (await rows.first().textContent()) ?? '';
    expect(first).toContain(incident);
    expect(first).toContain('Alice Responder');
    expect(first).toMatch(/Verified: sealed by the ledger and unchanged|Not sealed yet/);
    expect(await seriousViolations(page)).toEqual([]);

    // Keyset paging, by keyboard: the rest of the incident's events on the next page, and back.
    await page.getByRole('button', { name: 'Next page' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Events, page 2' }).waitFor();
    expect(await rows.count()).toBe(LOOKUPS - 20);
    expect(await page.getByRole('button', { name: 'Next page' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('heading', { name: 'Events, page 1' }).waitFor();
    expect(await rows.count()).toBe(20);

    await expectNothingLeft(page);
    expect(csp).toEqual([]);
  });

  it("opens an event in words by keyboard: what happened, who, the incident, purpose, basis, categories, request, sequence, the sealing checkpoint; and back to its row", async () => {
    const { page, csp } = await signIn();
    await page.getByLabel('Incident number').fill(incident);
    await page.getByRole('button', { name: 'Show events' }).click();
    await page.getByRole('heading', { name: 'Events, page 1' }).waitFor();
    const rows = page.getByRole('table', { name: 'Audit events, newest first' }).locator('tbody tr');
    // The oldest of the incident's lookups is sealed (beforeAll): it is on the second page.
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('heading', { name: 'Events, page 2' }).waitFor();
    const opener = rows.last().getByRole('button', { name: /^Details of event \d+$/ });
    const sequence = ((await opener.textContent()) ?? '').replace('Details of event ', '');
    await opener.focus();
    await page.keyboard.press('Enter');

    const heading = page.getByRole('heading', { name: `Event ${sequence}`, level: 2 });
    await heading.waitFor();
    expect(await hasFocus(heading)).toBe(true);
    const detail = page.getByRole('region', { name: `Event ${sequence}` });
    const shown = (await detail.textContent()) ?? '';
    expect(shown).toContain("Looked up a person for an incident. Information was disclosed under the patient's written consent (42 CFR 2.31).");
    expect(shown).toContain('Alice Responder');
    expect(shown).toContain('OrganisationMetro Crisis Team (metro-crisis-team)');
    expect(shown).toMatch(/Records ofRiverside Recovery \(provider-[0-9a-f]{8}\)/);
    expect(shown).toContain(incident);
    expect(shown).toContain('Crisis response');
    expect(shown).toContain("The patient's written consent (42 CFR 2.31)");
    expect(shown).toContain('Disclosed categoriesHow to reach the care team, Engagement notes, Treatment status');
    expect(shown).toMatch(/Request id[0-9a-f-]{36}/);
    expect(shown).toContain(`Sequence${sequence}`);
    expect(shown).toMatch(new RegExp(`Sealed by checkpoint \\d+ \\(sequences \\d+ to \\d+\\)`));
    expect(shown).not.toContain(who.familyName);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Back to the events' }).press('Enter');
    await page.getByRole('heading', { name: 'Events, page 2' }).waitFor();
    expect(await hasFocus(page.getByRole('button', { name: `Details of event ${sequence}` }))).toBe(true);
    await expectNothingLeft(page);
    // Opening an event changes nothing in the address: no id, no sequence.
    expect(new URL(page.url()).pathname).toBe('/');
    expect(new URL(page.url()).search + new URL(page.url()).hash).toBe('');
    expect(csp).toEqual([]);
  });

  it("downloads a person's accounting as CSV, made in memory: the first line names the record and the period", async () => {
    const { page, csp } = await signIn();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounting' }).click();
    await page.getByRole('heading', { name: 'Accounting', level: 1 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await findPerson(page);
    const table = page.getByRole('table', { name: `${LOOKUPS} disclosures, oldest first` });
    await table.waitFor();
    expect(await table.locator('tbody tr').first().textContent()).toContain('Metro Crisis Team');
    expect(await seriousViolations(page)).toEqual([]);

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).not.toContain(who.familyName);
    const csv = await readFile((await download.path())!, 'utf8');
    const [firstLine, columns] = csv.split(/\r?\n/);
    const expected = await graphqlAs(officerToken, 'query($id: ID!) { accountingOfDisclosuresExport(patientId: $id, format: CSV) { content } }', { id: patientId });
    expect(firstLine).toBe(expected.data.accountingOfDisclosuresExport.content.split(/\r?\n/)[0]);
    expect(firstLine).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(columns.length).toBeGreaterThan(0);
    await page.getByText(/^Downloaded /).waitFor();

    await expectNothingLeft(page);
    expect(new URL(page.url()).pathname).toBe('/accounting');
    expect(csp).toEqual([]);
  });

  it('verifies the ledger on demand, by keyboard, and says the result', async () => {
    const { page, csp } = await signIn();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ledger' }).click();
    await page.getByRole('heading', { name: 'Ledger', level: 1 }).waitFor();
    // The state before verifying: the last checkpoint, who witnessed it, what waits to be sealed.
    const state = page.getByRole('region', { name: 'Ledger state' });
    await state.getByText(/^Checkpoint \d+, sealing sequences \d+ to \d+/).waitFor();
    const before = (await state.textContent()) ?? '';
    expect(before).toContain('Witnessed byA folder outside the database (AUDIT_WITNESS_DIR)');
    expect(before).toMatch(/Events not sealed yet(None|\d+, the oldest waiting)/);
    expect(before).toMatch(/Last verification(None you may see yet\.|.+ by )/);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Verify now' }).focus();
    await page.keyboard.press('Enter');
    const result = page.getByRole('region', { name: /^Result of / });
    await result.waitFor();
    const shown = (await result.textContent()) ?? '';
    expect(shown).toContain('Checkpoints checked');
    expect(shown).toContain('Events checked');
    const now = (await graphqlAs(officerToken, VERIFY)).data.verifyAuditLog;
    // Another test file may be proving tampering on the shared database at this moment: the
    // screen says what the service says, the first bad sequence included when there is one.
    if (now.valid) expect(shown).toContain('Intact: every sealed event is as it was sealed.');
    else expect(shown).toContain('First bad sequence');
    // And the state now names this verification as the last one.
    await state.getByText(new RegExp(`by ${OFFICER}: (intact|not intact)`)).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(csp).toEqual([]);
  });

  it("every compliance page works on a phone in dark mode, the log's events shown: nothing wider than the window, no serious axe violation", async () => {
    const { page } = await signedInPage(browser, app, { person: OFFICER, home: 'Audit log', contexts, context: PHONE_DARK });
    const problems = await phonePageProblems(page, async (shown, name) => {
      if (name !== 'Audit log') return;
      await shown.getByRole('button', { name: 'Show events' }).click();
      await shown.getByRole('heading', { name: 'Events, page 1' }).waitFor();
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
