// The accounting of disclosures as a CSV file (issue 14, C19): the first line names the patient's
// record, the program and the period (ISO dates), the column row follows, then one row per
// disclosure with the integrity of its audit row. Another organisation's patient gets exactly the
// file of an unknown one.
import { randomUUID } from 'node:crypto';
import { AuditSealer } from '@libs/ledger/audit-sealer.js';
import { LOOKUP, lookupInput, openProviderDesk, type ProviderDesk } from './support/scenario.js';
import { TestApp, type TestOrganization } from './support/test-app.js';

const EXPORT = `query($patientId: ID!, $format: AccountingFormat!, $from: DateTime, $to: DateTime) {
  accountingOfDisclosuresExport(patientId: $patientId, format: $format, from: $from, to: $to) { format contentType content fileName } }`;
const ACCOUNTING = 'query($patientId: ID!) { accountingOfDisclosures(patientId: $patientId) { disclosureId integrity } }';

/** Parses RFC 4180 CSV as written here (every cell quoted). */
function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split('\r\n')
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1].replace(/""/g, '"')));
}

describe('the accounting of disclosures as a CSV file', () => {
  let t: TestApp;
  let desk: ProviderDesk;
  let agency: TestOrganization;
  let patientId: string;
  let disclosures: string[];

  beforeAll(async () => {
    t = await TestApp.start();
    desk = await openProviderDesk(t, { part2Program: true });
    agency = await t.organization('RESPONDER_AGENCY');
    const consented = await desk.consentedPatient([agency]);
    patientId = consented.patientId;
    const responder = await t.token('responder', agency, { name: 'Robin Responder' });
    disclosures = [];
    for (const incident of ['INC-CSV-1', 'INC-CSV-2']) {
      disclosures.push((await t.graphql(responder, LOOKUP, { input: lookupInput(consented.who, { incidentNumber: incident }) })).data!.responderLookup.disclosureId);
    }
    await t.app.get(AuditSealer).sealEverythingCommitted();
  });
  afterAll(() => t.close());

  it('opens with a line naming the patient record, the program and the period, then the column row', async () => {
    const answer = await t.graphql(desk.staffToken, EXPORT, { patientId, format: 'CSV', from: '2026-01-01T00:00:00Z', to: '2099-12-31T00:00:00Z' });
    expect(answer.errors).toBeUndefined();
    const file = answer.data!.accountingOfDisclosuresExport;
    expect(file).toMatchObject({ format: 'CSV', contentType: 'text/csv; charset=utf-8', fileName: 'accounting-of-disclosures-2026-01-01-to-2099-12-31.csv' });
    const [title, columns, ...rows] = parseCsv(file.content);
    expect(title).toEqual([
      'Accounting of disclosures',
      `Patient record: ${patientId}`,
      `Program: ${desk.organization.name} (${desk.organization.key})`,
      'Period: 2026-01-01 to 2099-12-31',
    ]);
    expect(columns[0]).toBe('disclosed_at');
    expect(columns).toEqual(expect.arrayContaining(['recipient_organization', 'recipient_person', 'information_disclosed', 'purpose_or_legal_basis', 'disclosure_id', 'integrity']));
    expect(rows).toHaveLength(2);
    const at = (name: string) => columns.indexOf(name);
    expect(rows.map((r) => r[at('disclosure_id')])).toEqual(disclosures);
    expect(rows.map((r) => r[at('integrity')])).toEqual(['VERIFIED', 'VERIFIED']);
    expect(rows[0][at('recipient_person')]).toBe('Robin Responder');
  });

  it('names the default period: the six years up to now', async () => {
    const file = (await t.graphql(desk.staffToken, EXPORT, { patientId, format: 'CSV' })).data!.accountingOfDisclosuresExport;
    const [title] = parseCsv(file.content);
    const today = new Date();
    const sixYearsAgo = new Date(Date.UTC(today.getUTCFullYear() - 6, today.getUTCMonth(), today.getUTCDate()));
    expect(title[3]).toMatch(/^Period: \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}$/);
    expect(title[3].slice(8, 12)).toBe(String(sixYearsAgo.getUTCFullYear()));
    expect(title[3].slice(-10)).toBe(new Date(Date.now() + 60_000).toISOString().slice(0, 10));
  });

  it('shows each disclosure\'s integrity in the accounting too', async () => {
    const entries = (await t.graphql(desk.staffToken, ACCOUNTING, { patientId })).data!.accountingOfDisclosures;
    expect(entries).toEqual(disclosures.map((disclosureId) => ({ disclosureId, integrity: 'VERIFIED' })));
  });

  it('gives another organisation\'s patient exactly the file of an unknown one: no program, no rows', async () => {
    const other = await openProviderDesk(t);
    const input = { format: 'CSV', from: '2026-01-01T00:00:00Z', to: '2099-12-31T00:00:00Z' };
    const theirs = (await t.graphql(other.staffToken, EXPORT, { ...input, patientId })).data!.accountingOfDisclosuresExport;
    const unknownId = randomUUID();
    const unknown = (await t.graphql(other.staffToken, EXPORT, { ...input, patientId: unknownId })).data!.accountingOfDisclosuresExport;
    expect(theirs.content.replace(patientId, 'ID')).toBe(unknown.content.replace(unknownId, 'ID'));
    expect(theirs.content).not.toContain(desk.organization.key);
    expect(parseCsv(theirs.content)).toHaveLength(2);
  });
});
