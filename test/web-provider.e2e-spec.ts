// Provider staff's screens, end to end in a real Chromium (issue 14): sign-in at the development
// OpenID provider; a patient found by name and date of birth or registered, a possible duplicate
// refused until the staff member says it is a different person; a consent recorded (the API's
// problems shown inline first), its one-page print view, then revoked. Then a patient's record kept
// right: found through the API, corrected (the old name stops matching, the new one matches), the
// care team edited, a consent superseded pre-filled from its current version, two records merged,
// and a medical-emergency disclosure of the program acknowledged. Axe-core clean on every screen,
// usable at phone width, nothing of the person in the address, the title or browser storage.
import { PARTNERSHIP_IN_FORCE_SQL } from '@libs/testing/partnership-fixture.js';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { DevIssuer, devIssuerUrl } from '@libs/auth/dev-issuer.js';
import { type OrganizationRef, person, ProviderDesk } from '@libs/testing/provider-desk.js';
import { launchBrowser } from './support/browser.js';
import { closeSql, sql } from './support/database.js';
import { browserStorage, PHONE, PHONE_DARK, phonePageProblems, scrollsSideways, seriousViolations, signedInPage, startWebApp, type WebApp, waitUntil } from './support/web-app.js';

const STAFF = 'Pat Intake';

describe("provider staff's screens in a real browser (issue 14)", () => {
  let app: WebApp;
  let browser: Browser;
  let issuer: DevIssuer;
  let desk: ProviderDesk;
  let agency: OrganizationRef;
  const agencyName = `Harbor Crisis Unit ${randomUUID().slice(0, 6)}`;
  const contexts: BrowserContext[] = [];

  const graphqlAs = async (token: string, query: string, variables?: Record<string, unknown>) =>
    (await request(app.built.app.getHttpServer()).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query, variables })).body;

  beforeAll(async () => {
    app = await startWebApp();
    await sql(`INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ('riverside-recovery', 'Riverside Recovery', 'TREATMENT_PROVIDER', true, 'test-fixture') ON CONFLICT (key) DO NOTHING`);
    const agencyKey = `agency-${randomUUID().slice(0, 8)}`;
    const [agencyRow] = await sql<{ id: string }>(`INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, 'RESPONDER_AGENCY', false, 'test-fixture') RETURNING id`, [
      agencyKey,
      agencyName,
    ]);
    agency = { id: agencyRow.id, key: agencyKey, name: agencyName };
    // The same organisation as the demo's Pat Intake, for what the walk needs set up through the API.
    const [provider] = await sql<{ id: string }>(`SELECT id FROM organization WHERE key = 'riverside-recovery'`);
    issuer = await DevIssuer.open(process.env.TEST_DATA_DIR!, devIssuerUrl(app.base));
    const staffToken = await issuer.mint({ sub: `staff-${randomUUID().slice(0, 8)}`, org: 'riverside-recovery', roles: ['provider_staff'], name: 'Pat Setup', amr: ['pwd', 'mfa'] }, 3600);
    desk = new ProviderDesk(graphqlAs, { id: provider.id, key: 'riverside-recovery', name: 'Riverside Recovery' }, staffToken);
    // Issue 15: the agencies a consent may name are those with an agreement in force.
    await sql(PARTNERSHIP_IN_FORCE_SQL, [provider.id, agency.id, 'test-fixture']);
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

  const signIn = () => signedInPage(browser, app, { person: STAFF, home: 'Patients', contexts });

  async function findPatient(page: Page, who: { givenName: string; familyName: string; dateOfBirth: string }, answer: RegExp | string): Promise<void> {
    await page.getByLabel('Given name', { exact: true }).fill(who.givenName);
    await page.getByLabel('Family name').fill(who.familyName);
    await page.getByLabel('Date of birth').fill(who.dateOfBirth);
    await page.getByRole('button', { name: 'Find patient' }).click();
    await page.getByText(answer).waitFor();
  }

  async function fillPerson(page: Page, who: ReturnType<typeof person>): Promise<void> {
    await page.getByLabel('Given name', { exact: true }).fill(who.givenName);
    await page.getByLabel('Family name').fill(who.familyName);
    await page.getByLabel('Date of birth').fill(who.dateOfBirth);
  }

  it('registers a patient, refuses a possible duplicate until confirmed, records a consent, prints it and revokes it', async () => {
    const { page, csp } = await signIn();
    const who = person();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(expect.arrayContaining(['Patients', 'Referrals', 'Emergency disclosures']));
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
    // The form's own heading has the focus: the next Tab is its first field.
    await waitUntil(page, "document.activeElement?.textContent === 'Record consent'", 5000);
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

  it('finds a patient through the API, corrects them, edits the care team, supersedes a consent pre-filled, merges two records and acknowledges an emergency disclosure', async () => {
    const who = person();
    const patientId = await desk.register(who);
    await desk.enroll(patientId, { programName: 'Riverside outpatient' });
    await desk.consent(patientId, [agency]);
    const { page, csp } = await signIn();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(expect.arrayContaining(['Patients', 'Emergency disclosures']));

    // Found through findPatients, by an upper-cased name as staff may type it.
    await findPatient(page, { ...who, givenName: who.givenName.toUpperCase() }, '1 patient matches.');
    await page.getByRole('button', { name: `Open ${who.givenName} ${who.familyName}, born ${who.dateOfBirth}` }).click();
    await page.getByRole('heading', { name: 'Details' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Corrected: the old family name stops matching, the new one matches.
    const newFamilyName = `Okoro${randomUUID().slice(0, 6)}`;
    await page.getByRole('button', { name: 'Correct details' }).click();
    await page.getByRole('heading', { name: 'Correct details' }).waitFor();
    expect(await page.getByLabel('Family name').inputValue()).toBe(who.familyName);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Family name').fill(newFamilyName);
    await page.getByLabel('Aliases').fill('Dee');
    await page.getByRole('button', { name: 'Save correction' }).click();
    await page.getByText('Details corrected.').waitFor();
    await page.getByRole('heading', { name: `${who.givenName} ${newFamilyName}, born ${who.dateOfBirth}` }).waitFor();
    await page.getByRole('button', { name: 'Back to patients' }).click();
    await findPatient(page, who, 'No patient of your organisation matches');
    await findPatient(page, { ...who, givenName: 'Dee', familyName: newFamilyName }, '1 patient matches.');
    await page.getByRole('button', { name: `Open ${who.givenName} ${newFamilyName}, born ${who.dateOfBirth}` }).click();

    // The care team: a problem shown at its field first, then a second member added and saved.
    const enrollment = page.getByRole('article', { name: 'Enrollment: Riverside outpatient' });
    await enrollment.getByRole('button', { name: 'Edit enrollment' }).click();
    await page.getByRole('heading', { name: 'Edit enrollment: Riverside outpatient' }).waitFor();
    expect(await page.getByLabel('Program name').inputValue()).toBe('Riverside outpatient');
    const first = page.getByRole('group', { name: 'Care team member 1' });
    expect(await first.getByLabel('Name').inputValue()).toBe('Jordan Lee');
    await first.getByLabel('Phone', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save enrollment' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Care team member 1: ');
    expect(await first.locator('.field-error').count()).toBe(1);
    expect(await first.getByLabel('Phone', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    await first.getByLabel('Phone', { exact: true }).fill('+1 555 0100 777');
    await page.getByRole('button', { name: 'Add care team member' }).click();
    const second = page.getByRole('group', { name: 'Care team member 2' });
    await second.getByLabel('Name', { exact: true }).fill('Sam Ortiz');
    await second.getByLabel('Role', { exact: true }).fill('Peer support');
    await second.getByLabel('Phone', { exact: true }).fill('+1 555 0100 888');
    await second.getByLabel('Hours', { exact: true }).fill('Evenings');
    await page.getByLabel('Engagement notes').fill('Speak softly; offer water.');
    await page.getByRole('button', { name: 'Save enrollment' }).click();
    await page.getByText('Enrollment saved.').waitFor();
    const saved = page.getByRole('article', { name: 'Enrollment: Riverside outpatient' });
    expect(await saved.textContent()).toContain('Speak softly; offer water.');
    expect(await saved.getByRole('link', { name: '+1 555 0100 888' }).getAttribute('href')).toBe('tel:+15550100888');
    expect(await saved.getByRole('link', { name: '+1 555 0100 777' }).getAttribute('href')).toBe('tel:+15550100777');

    // A new version of the consent, filled in from the current one.
    await page.getByRole('article', { name: 'Consent version 1: In force' }).getByRole('button', { name: 'Supersede consent' }).click();
    await page.getByRole('heading', { name: 'New version of consent version 1' }).waitFor();
    expect(await page.getByLabel(agencyName).isChecked()).toBe(true);
    expect(await page.getByLabel(/^Engagement notes:/).isChecked()).toBe(true);
    expect(await page.getByLabel('Name of the signer').inputValue()).toBe('The Patient');
    expect(await page.getByLabel('Expires at').inputValue()).toBe('2029-12-31');
    expect(await page.getByLabel(/^Right to revoke/).isChecked()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel(/^Engagement notes:/).uncheck();
    await page.getByLabel(/^Right to revoke/).check();
    await page.getByLabel(/^Redisclosure restricted/).check();
    await page.getByLabel(/^Treatment not conditioned/).check();
    await page.getByRole('button', { name: 'Record consent' }).click();
    await page.getByText('Consent version 2 recorded; version 1 is replaced.').waitFor();
    const newest = page.getByRole('article', { name: 'Consent version 2: In force' });
    await newest.waitFor();
    expect(await newest.textContent()).not.toContain('Engagement notes');
    await page.getByRole('article', { name: 'Consent version 1: Replaced by a newer version' }).waitFor();

    // A second record of the person, registered under another given name: merged into this one.
    const twin = await desk.register({ givenName: 'Danni', familyName: newFamilyName, dateOfBirth: who.dateOfBirth, aliases: [] });
    await desk.enroll(twin, { programName: 'Harbor peer program' });
    await page.getByRole('button', { name: 'Merge records' }).click();
    await page.getByRole('heading', { name: 'Merge records' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Given name', { exact: true }).fill('Danni');
    await page.getByRole('button', { name: 'Find records' }).click();
    await page.getByText('1 other record matches.').waitFor();
    await page.getByRole('button', { name: new RegExp(`^Choose Danni ${newFamilyName}`) }).click();
    await page.getByRole('heading', { name: 'Merge two records of one person' }).waitFor();
    expect(await page.getByLabel(/^This record:/).isChecked()).toBe(true);
    const consequences = (await page.locator('#merge-consequences').textContent()) ?? '';
    expect(consequences).toContain(`The record that stays: ${who.givenName} ${newFamilyName}, born ${who.dateOfBirth}, also known as Dee`);
    expect(consequences).toContain(`The enrollments and consents of the other record, Danni ${newFamilyName}`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Merge records' }).click();
    await page.getByText(/^Records merged/).waitFor();
    await page.getByRole('article', { name: 'Enrollment: Harbor peer program' }).waitFor();
    await page.getByRole('button', { name: 'Back to patients' }).click();
    await findPatient(page, { ...who, familyName: newFamilyName }, '1 patient matches.');

    // A medical emergency at a responder agency discloses the record (§2.51); the program acknowledges it.
    const incidentNumber = `INC-${randomUUID().slice(0, 8).toUpperCase()}`;
    const medic = await issuer.mint({ sub: `medic-${randomUUID().slice(0, 8)}`, org: agency.key, roles: ['clinical_responder'], name: 'Casey Medic, RN', amr: ['pwd', 'mfa'] }, 3600);
    const emergency = await graphqlAs(medic, 'mutation($input: EmergencyAccessInput!) { emergencyAccess(input: $input) { outcome } }', {
      input: { givenName: who.givenName, familyName: newFamilyName, dateOfBirth: who.dateOfBirth, incidentNumber, natureOfEmergency: 'Unresponsive, suspected overdose' },
    });
    expect(emergency.errors).toBeUndefined();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Emergency disclosures' }).click();
    await page.getByRole('heading', { name: 'Emergency disclosures', level: 1 }).waitFor();
    const disclosure = page.getByRole('article', { name: new RegExp(`incident ${incidentNumber}$`) });
    await disclosure.waitFor();
    await disclosure.getByText(`${who.givenName} ${newFamilyName}, born ${who.dateOfBirth}`).waitFor();
    const shown = (await disclosure.textContent()) ?? '';
    expect(shown).toContain('Casey Medic, RN');
    expect(shown).toContain('Unresponsive, suspected overdose');
    expect(await seriousViolations(page)).toEqual([]);
    // At phone width, by keyboard.
    await page.setViewportSize(PHONE);
    expect(await scrollsSideways(page)).toBe(false);
    await disclosure.getByRole('button', { name: 'Acknowledge' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(/^Emergency disclosure of .* acknowledged\.$/).waitFor();
    expect(await page.getByRole('article', { name: new RegExp(`incident ${incidentNumber}$`) }).count()).toBe(0);
    await page.getByLabel('Include acknowledged disclosures').check();
    const acknowledged = page.getByRole('article', { name: new RegExp(`incident ${incidentNumber}$`) });
    await acknowledged.getByText('Acknowledged', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);

    // Nothing of the person in the address, the title or storage.
    expect(page.url()).not.toContain(newFamilyName);
    expect(page.url()).not.toContain(patientId);
    expect(await page.title()).toBe('Emergency disclosures – crisis-link');
    const storage = await browserStorage(page);
    expect(storage).not.toContain(newFamilyName);
    expect(storage).not.toContain(who.familyName);
    expect(csp).toEqual([]);
  }, 120_000);

  it("works at phone width and by keyboard alone: the patient's screen and each of its forms", async () => {
    const who = person();
    const patientId = await desk.register(who);
    await desk.enroll(patientId, { programName: 'Riverside outpatient' });
    await desk.consent(patientId, [agency]);
    const { page, csp } = await signedInPage(browser, app, { person: STAFF, home: 'Patients', contexts, context: { viewport: PHONE } });
    const fitsAndPasses = async () => {
      expect(await scrollsSideways(page)).toBe(false);
      expect(await seriousViolations(page)).toEqual([]);
    };

    // Found with the keyboard: Enter in the last field submits the search, Enter opens the record.
    await page.getByLabel('Given name', { exact: true }).fill(who.givenName);
    await page.getByLabel('Family name').fill(who.familyName);
    await page.getByLabel('Date of birth').fill(who.dateOfBirth);
    await page.getByLabel('Date of birth').press('Enter');
    await page.getByText('1 patient matches.').waitFor();
    await page.getByRole('button', { name: new RegExp(`^Open ${who.givenName}`) }).press('Enter');
    await page.getByRole('heading', { name: 'Details' }).waitFor();
    await fitsAndPasses();

    // Record enrollment: "Add care team member" puts the focus in the new member's first field.
    await page.getByRole('button', { name: 'Record enrollment' }).press('Enter');
    await page.getByRole('heading', { name: 'Record enrollment' }).waitFor();
    await fitsAndPasses();
    await page.getByRole('button', { name: 'Add care team member' }).press('Enter');
    // The focus moves after the screen is drawn: wait for it rather than race it.
    await waitUntil(page, "document.activeElement?.id === 'careTeam.1.name'");
    await page.getByRole('button', { name: 'Remove care team member 2' }).press('Enter');
    expect(await page.getByRole('group', { name: 'Care team member 2' }).count()).toBe(0);
    // Asked of the page itself: `:focus` also needs the window to have the system focus.
    await waitUntil(page, "document.activeElement?.textContent?.trim() === 'Add care team member'");
    await page.getByRole('button', { name: 'Cancel' }).press('Enter');

    // A correction that would make this record look like another patient's is refused, and the
    // other record is offered for a merge instead.
    const other = person();
    await desk.register(other);
    await page.getByRole('button', { name: 'Correct details' }).press('Enter');
    await page.getByRole('heading', { name: 'Correct details' }).waitFor();
    await fitsAndPasses();
    await page.getByLabel('Family name').fill(other.familyName);
    await page.getByRole('button', { name: 'Save correction' }).press('Enter');
    await page.getByRole('alert').filter({ hasText: 'These details match another patient' }).waitFor();
    expect(await page.getByRole('button', { name: 'Save correction' }).isDisabled()).toBe(true);
    await fitsAndPasses();
    await page.getByRole('button', { name: 'Merge with that record instead' }).press('Enter');
    await page.getByRole('heading', { name: 'Merge two records of one person' }).waitFor();
    expect(await page.getByLabel(/^This record:/).isChecked()).toBe(true);
    expect(await page.getByText(new RegExp(`^The other record: ${other.givenName} ${other.familyName}`)).count()).toBe(1);
    await fitsAndPasses();
    await page.getByRole('button', { name: 'Cancel' }).press('Enter');
    // The confirmation (whose submit is also called 'Merge records') gone before the page's own button is pressed.
    await page.getByRole('heading', { name: 'Merge two records of one person' }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Merge records' }).press('Enter');
    await page.getByRole('heading', { name: 'Merge records', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Find records' }).press('Enter');
    await page.getByText('No other record of your organisation matches.').waitFor();
    await fitsAndPasses();
    await page.getByRole('button', { name: 'Cancel' }).press('Enter');

    await page.getByRole('article', { name: 'Consent version 1: In force' }).getByRole('button', { name: 'Supersede consent' }).press('Enter');
    await page.getByRole('heading', { name: 'New version of consent version 1' }).waitFor();
    await fitsAndPasses();
    await page.getByRole('button', { name: 'Cancel' }).press('Enter');
    await page.getByRole('heading', { name: 'Enrollments' }).waitFor();
    await fitsAndPasses();
    expect(await page.title()).toBe('Patients – crisis-link');
    expect(page.url()).not.toContain(patientId);
    expect(csp).toEqual([]);
  }, 90_000);

  it("every provider page works on a phone in dark mode: nothing wider than the window, no serious axe violation", async () => {
    const { page } = await signedInPage(browser, app, { person: STAFF, home: 'Patients', contexts, context: PHONE_DARK });
    expect(await phonePageProblems(page)).toEqual([]);
  }, 60_000);
});
