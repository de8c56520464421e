// Compliance officers review the audit log (C16, C20, C24) and produce a patient's accounting
// of disclosures (C19). Each sees their own organisation's events; an oversight body sees all.
import { randomUUID } from 'node:crypto';
import { sql } from './support/database.js';
import { fhirValidator } from './support/fhir.js';
import { EMERGENCY, LOOKUP, lookupInput, openProviderDesk, type ProviderDesk } from './support/scenario.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) { auditEvents(filter: $filter, first: $first, after: $after) {
  nodes { id sequence occurredAt action outcome actorSubject actorOrganizationKey patientIds subjectOrganizationKeys incidentNumber consentIds disclosedCategories policyRule }
  pageInfo { endCursor hasNextPage } } }`;
const EVENT = 'query($id: ID!) { auditEvent(id: $id) { id action outcome fhir } }';
const ACCOUNTING = `query($patientId: ID!) { accountingOfDisclosures(patientId: $patientId) {
  disclosureId disclosedAt disclosingOrganizationKey recipient { organizationKey organizationName personName personId }
  description categories basis purpose consentId natureOfEmergency legalBasis incidentNumber } }`;
const EXPORT = 'query($patientId: ID!, $format: AccountingFormat!) { accountingOfDisclosuresExport(patientId: $patientId, format: $format) { format contentType content } }';

describe('audit review and accounting of disclosures', () => {
  let t: TestApp;
  let riverside: ProviderDesk;
  let metro: TestOrganization;
  let county: TestOrganization;
  let oversight: TestOrganization;
  let patientId: string;
  let consentId: string;
  let metroResponder: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await TestApp.start();
    riverside = await openProviderDesk(t, { part2Program: true });
    metro = await t.organization('RESPONDER_AGENCY');
    county = await t.organization('RESPONDER_AGENCY');
    oversight = await t.organization('OVERSIGHT');
    const consented = await riverside.consentedPatient([metro]);
    patientId = consented.patientId;
    consentId = consented.consentId;
    metroResponder = uniqueSub();
    const metroToken = await t.token('responder', metro, { sub: metroResponder, name: 'Alice Responder' });
    ids.first = (await t.graphql(metroToken, LOOKUP, { input: lookupInput(consented.who, { incidentNumber: 'INC-A-1' }) })).data!.responderLookup.disclosureId;
    ids.second = (await t.graphql(metroToken, LOOKUP, { input: lookupInput(consented.who, { incidentNumber: 'INC-A-2' }) })).data!.responderLookup.disclosureId;
    const medic = await t.token('clinical_responder', county, { name: 'Casey Medic' });
    const { purpose: _p, ...identity } = lookupInput(consented.who, { incidentNumber: 'EMS-9' });
    ids.emergency = (await t.graphql(medic, EMERGENCY, { input: { ...identity, natureOfEmergency: 'Unconscious after suspected overdose' } })).data!.emergencyAccess.disclosureId;
    ids.countyNo = (await t.graphql(await t.token('responder', county), LOOKUP, { input: lookupInput(consented.who, { incidentNumber: 'INC-B-1' }) })).data!.responderLookup.disclosureId;
  });
  afterAll(() => t.close());

  const officer = (org: { key: string }, sub = uniqueSub()) => t.token('compliance_officer', org, { sub });
  const visibleIds = async (token: string, filter: Record<string, unknown>) => {
    const answer = await t.graphql(token, EVENTS, { filter, first: 100 });
    expect(answer.errors).toBeUndefined();
    return answer.data!.auditEvents.nodes.map((n: { id: string }) => n.id) as string[];
  };

  it('shows an agency\'s officer their own agency\'s events only', async () => {
    const token = await officer(metro);
    const seen = await visibleIds(token, { patientId });
    expect(seen).toEqual(expect.arrayContaining([ids.first, ids.second]));
    expect(seen).not.toContain(ids.emergency);
    expect(await visibleIds(await officer(county), { actorOrganizationKey: metro.key })).toEqual([]);
  });

  it('shows the disclosing program\'s officer the disclosures of its records', async () => {
    const seen = await visibleIds(await officer(riverside.organization), { patientId });
    expect(seen).toEqual(expect.arrayContaining([ids.first, ids.second, ids.emergency]));
    // A "no" names no program, so the program does not see it.
    expect(await visibleIds(await officer(riverside.organization), { incidentNumber: 'INC-B-1' })).toEqual([]);
  });

  it('shows a program\'s officer only its own part of a disclosure that also came from another program (C9)', async () => {
    const who = (await import('./support/scenario.js')).person();
    const harbor = await openProviderDesk(t);
    const a = await riverside.consentedPatient([metro], who);
    const b = await harbor.consentedPatient([metro], who);
    const lookup = await t.graphql(await t.token('responder', metro), LOOKUP, { input: lookupInput(who, { incidentNumber: 'INC-TWO' }) });
    const id = lookup.data!.responderLookup.disclosureId;
    const full = (await t.graphql(await officer(oversight), 'query($id: ID!) { auditEvent(id: $id) { patientIds subjectOrganizationKeys consentIds details } }', { id })).data!.auditEvent;
    expect(full.patientIds.sort()).toEqual([a.patientId, b.patientId].sort());
    const riversideView = (await t.graphql(await officer(riverside.organization), 'query($id: ID!) { auditEvent(id: $id) { patientIds subjectOrganizationKeys consentIds details fhir } }', { id })).data!.auditEvent;
    expect(riversideView).toMatchObject({ patientIds: [a.patientId], subjectOrganizationKeys: [riverside.organization.key], consentIds: [a.consentId] });
    expect(JSON.stringify(riversideView)).not.toContain(b.patientId);
    expect(JSON.stringify(riversideView)).not.toContain(harbor.organization.key);
    expect(JSON.stringify(riversideView)).not.toContain(b.consentId);
  });

  it('shows an oversight body\'s officer everything', async () => {
    const token = await officer(oversight);
    expect(await visibleIds(token, { patientId })).toEqual(expect.arrayContaining([ids.first, ids.second, ids.emergency]));
    expect(await visibleIds(token, { incidentNumber: 'INC-B-1' })).toEqual([ids.countyNo]);
  });

  it('filters by action, outcome, actor and time, newest first', async () => {
    const token = await officer(oversight);
    const answer = await t.graphql(token, EVENTS, { filter: { actorSubject: metroResponder, action: 'responderLookup', outcome: 'DISCLOSED' }, first: 10 });
    const nodes = answer.data!.auditEvents.nodes;
    expect(nodes.map((n: { id: string }) => n.id)).toEqual([ids.second, ids.first]);
    expect(nodes[0]).toMatchObject({ actorOrganizationKey: metro.key, patientIds: [patientId], subjectOrganizationKeys: [riverside.organization.key], consentIds: [consentId], incidentNumber: 'INC-A-2' });
    const later = new Date(Date.parse(nodes[0].occurredAt) + 1).toISOString();
    expect(await visibleIds(token, { actorSubject: metroResponder, from: later })).toEqual([]);
    expect(await visibleIds(token, { actorSubject: metroResponder, to: later, action: 'responderLookup' })).toEqual([ids.second, ids.first]);
  });

  it('pages with a keyset cursor, without gaps or repeats', async () => {
    const token = await officer(oversight);
    const filter = { patientId };
    const all = await visibleIds(token, filter);
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await t.graphql(token, EVENTS, { filter, first: 2, after })).data!.auditEvents;
      paged.push(...page.nodes.map((n: { id: string }) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all);
  });

  it('answers an event one may not see exactly like an unknown id, and exports FHIR AuditEvents that validate', async () => {
    const validate = await fhirValidator();
    const mine = await t.graphql(await officer(riverside.organization), EVENT, { id: ids.emergency });
    expect(mine.data!.auditEvent).toMatchObject({ id: ids.emergency, action: 'emergencyAccess', outcome: 'DISCLOSED' });
    const fhir = mine.data!.auditEvent.fhir;
    validate(fhir);
    expect(fhir).toMatchObject({ resourceType: 'AuditEvent', action: 'R', outcome: '0', purposeOfEvent: [{ coding: [{ code: 'ETREAT' }] }] });
    expect(fhir.agent[0]).toMatchObject({ requestor: true, who: { identifier: { value: expect.any(String) } } });
    expect(fhir.entity[0]).toMatchObject({ what: { reference: `Patient/${patientId}` } });
    const theirs = await t.graphql(await officer(metro), EVENT, { id: ids.emergency });
    const unknown = await t.graphql(await officer(metro), EVENT, { id: randomUUID() });
    expect(theirs.body).toEqual({ data: { auditEvent: null } });
    expect(unknown.body).toEqual(theirs.body);
    const denied = await t.graphql(await officer(oversight), EVENTS, { filter: { outcome: 'DENIED' }, first: 1 });
    if (denied.data!.auditEvents.nodes.length > 0) validate((await t.graphql(await officer(oversight), EVENT, { id: denied.data!.auditEvents.nodes[0].id })).data!.auditEvent.fhir);
  });

  it('audits every read of the log', async () => {
    const sub = uniqueSub();
    const token = await officer(oversight, sub);
    await t.graphql(token, EVENTS, { filter: { patientId }, first: 5 });
    await t.graphql(token, EVENT, { id: ids.first });
    expect((await sql<{ action: string }>('SELECT action FROM audit_event WHERE actor_sub = $1 ORDER BY sequence', [sub])).map((r) => r.action)).toEqual(['auditEvents', 'auditEvent']);
  });

  it('refuses bad filters by name and other roles', async () => {
    const token = await officer(oversight);
    for (const [filter, field] of [
      [{ outcome: 'WHATEVER' }, 'outcome'],
      [{ patientId: 'not-a-uuid' }, 'patientId'],
      [{ incidentNumber: 'x' }, 'incidentNumber'],
      [{ from: 'yesterday' }, 'from'],
    ] as const) {
      const answer = await t.graphql(token, EVENTS, { filter });
      expect(codeOf(answer)).toBe('BAD_USER_INPUT');
      expect(answer.errors![0].extensions!.fields).toEqual([field]);
    }
    expect((await t.graphql(token, EVENTS, { first: 500 })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['first'] });
    // A forged cursor is refused as input, never sent to the database.
    const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000000Z', "1; DROP TABLE audit_event"])).toString('base64url');
    expect((await t.graphql(token, EVENTS, { after: forged })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['after'] });
    for (const role of ['admin', 'provider_staff', 'responder', 'clinical_responder'] as const) {
      expect(codeOf(await t.graphql(await t.token(role, await t.homeOf(role)), EVENTS, {}))).toBe('FORBIDDEN');
    }
  });

  describe('accounting of disclosures (C19)', () => {
    it('lists every disclosure with when, to whom, what in words and why', async () => {
      const answer = await t.graphql(riverside.staffToken, ACCOUNTING, { patientId });
      expect(answer.errors).toBeUndefined();
      const entries = answer.data!.accountingOfDisclosures;
      expect(entries.map((e: { disclosureId: string }) => e.disclosureId)).toEqual([ids.first, ids.second, ids.emergency]);
      expect(entries[0]).toMatchObject({
        disclosingOrganizationKey: riverside.organization.key,
        recipient: { organizationKey: metro.key, organizationName: metro.name, personName: 'Alice Responder', personId: metroResponder },
        basis: 'CONSENT',
        purpose: 'CRISIS_RESPONSE',
        consentId,
        incidentNumber: 'INC-A-1',
        natureOfEmergency: null,
      });
      expect(entries[0].description).toMatch(/^That the patient is in treatment/);
      expect(entries[0].legalBasis).toContain(consentId);
      expect(entries[2]).toMatchObject({ basis: 'MEDICAL_EMERGENCY', natureOfEmergency: 'Unconscious after suspected overdose', recipient: { organizationKey: county.key, personName: 'Casey Medic' }, incidentNumber: 'EMS-9' });
      expect(entries[2].legalBasis).toMatch(/Medical emergency \(42 CFR 2\.51\)/);
    });

    it('exports CSV and a FHIR Bundle of AuditEvents that validates', async () => {
      const csvAnswer = await t.graphql(riverside.staffToken, EXPORT, { patientId, format: 'CSV' });
      expect(csvAnswer.errors).toBeUndefined();
      const csv = csvAnswer.data!.accountingOfDisclosuresExport;
      expect(csv.contentType).toMatch(/text\/csv/);
      const lines = csv.content.trim().split('\r\n');
      expect(lines).toHaveLength(5);
      expect(lines[1]).toContain('"purpose_or_legal_basis"');
      const bundle = JSON.parse((await t.graphql(riverside.staffToken, EXPORT, { patientId, format: 'FHIR_BUNDLE' })).data!.accountingOfDisclosuresExport.content);
      (await fhirValidator())(bundle);
      expect(bundle.entry).toHaveLength(3);
      for (const entry of bundle.entry) (await fhirValidator())(entry.resource);
    });

    it('is for the owning provider and compliance officers; anyone else gets the answer for an unknown patient', async () => {
      const mine = (await t.graphql(await officer(riverside.organization), ACCOUNTING, { patientId })).data!.accountingOfDisclosures;
      expect(mine).toHaveLength(3);
      expect((await t.graphql(await officer(oversight), ACCOUNTING, { patientId })).data!.accountingOfDisclosures).toHaveLength(3);
      const other = await openProviderDesk(t);
      const theirs = await t.graphql(other.staffToken, ACCOUNTING, { patientId });
      const unknown = await t.graphql(other.staffToken, ACCOUNTING, { patientId: randomUUID() });
      expect(theirs.body).toEqual({ data: { accountingOfDisclosures: [] } });
      expect(unknown.body).toEqual(theirs.body);
      expect((await t.graphql(await officer(metro), ACCOUNTING, { patientId })).body).toEqual(theirs.body);
      expect(codeOf(await t.graphql(await t.token('responder', metro), ACCOUNTING, { patientId }))).toBe('FORBIDDEN');
      expect(codeOf(await t.graphql(await t.token('admin', oversight), ACCOUNTING, { patientId }))).toBe('FORBIDDEN');
    });

    it('is audited', async () => {
      const sub = uniqueSub();
      await t.graphql(await officer(riverside.organization, sub), ACCOUNTING, { patientId });
      expect(await sql('SELECT action, patient_ids FROM audit_event WHERE actor_sub = $1', [sub])).toEqual([{ action: 'accountingOfDisclosures', patient_ids: [patientId] }]);
    });
  });
});
