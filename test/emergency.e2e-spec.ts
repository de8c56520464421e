// Medical emergency (§2.51, C14, C15) and rate limits (issue: 30 lookups an hour, 5 emergency
// accesses a day by default, kept in PostgreSQL and shared by every instance).
import { randomUUID } from 'node:crypto';
import { sql } from './support/database.js';
import { EMERGENCY, LOOKUP, lookupInput, openProviderDesk, person, type ProviderDesk } from './support/scenario.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const DISCLOSURES = `query($pendingOnly: Boolean) { emergencyDisclosures(first: 20, pendingOnly: $pendingOnly) { nodes {
  id disclosureId patientId medicalPersonnelName medicalPersonnelAffiliation disclosedBy occurredAt natureOfEmergency incidentNumber
  disclosedCategories acknowledgedAt acknowledgedBy } pageInfo { hasNextPage } } }`;
const ACKNOWLEDGE = 'mutation($id: ID!) { acknowledgeEmergencyDisclosure(id: $id) { id acknowledgedAt acknowledgedBy } }';
const NATURE = 'Unresponsive, suspected opioid overdose; naloxone given';

const emergencyInput = (who: { givenName: string; familyName: string; dateOfBirth: string }, overrides: Record<string, unknown> = {}) => {
  const { purpose: _purpose, ...identity } = lookupInput(who);
  return { ...identity, natureOfEmergency: NATURE, ...overrides };
};

describe('emergencyAccess (§2.51)', () => {
  let t: TestApp;
  let crisisTeam: TestOrganization;
  let medic: string;
  let medicSub: string;
  let riverside: ProviderDesk;

  beforeAll(async () => {
    t = await TestApp.start();
    crisisTeam = await t.organization('RESPONDER_AGENCY');
    medicSub = uniqueSub();
    medic = await t.token('clinical_responder', crisisTeam, { sub: medicSub, name: 'Casey Medic, RN' });
    riverside = await openProviderDesk(t, { part2Program: true });
  });
  afterAll(() => t.close());

  it('is refused to every role but medical personnel, including a non-clinical responder (C14)', async () => {
    const { who } = await riverside.consentedPatient([crisisTeam]);
    for (const role of ['responder', 'provider_staff', 'compliance_officer', 'admin'] as const) {
      const sub = uniqueSub();
      const answer = await t.graphql(await t.token(role, role === 'responder' ? crisisTeam : await t.homeOf(role), { sub }), EMERGENCY, { input: emergencyInput(who) });
      expect(codeOf(answer)).toBe('FORBIDDEN');
      expect(answer.data?.emergencyAccess ?? null).toBeNull();
      expect(await sql('SELECT action, outcome FROM audit_event WHERE actor_sub = $1', [sub])).toEqual([{ action: 'emergencyAccess', outcome: 'DENIED' }]);
    }
  });

  // The outside attack: a "clinical_responder" of a provider (or of the oversight body) received
  // another provider's patient. A role binds to the kinds of organisation it belongs to (C14, C21).
  it.each(['TREATMENT_PROVIDER', 'OVERSIGHT'] as const)('refuses a clinical_responder of a %s at the door, discloses nothing, and audits it', async (kind) => {
    const { who } = await riverside.consentedPatient([crisisTeam]);
    const elsewhere = await t.organization(kind);
    const sub = uniqueSub();
    const before = await sql<{ n: number }>("SELECT count(*)::int AS n FROM emergency_access");
    const answer = await t.graphql(await t.token('clinical_responder', elsewhere, { sub, name: 'Mallory' }), EMERGENCY, { input: emergencyInput(who) });
    expect(answer.status).toBe(401);
    expect(codeOf(answer)).toBe('UNAUTHENTICATED');
    expect(answer.data).toBeUndefined();
    expect(await sql("SELECT count(*)::int AS n FROM emergency_access")).toEqual(before);
    expect(await sql('SELECT action, outcome, actor_org, details FROM audit_event WHERE actor_sub = $1', [sub])).toEqual([
      { action: 'authenticate', outcome: 'DENIED', actor_org: elsewhere.key, details: { reason: 'ROLE_NOT_FOR_ORGANIZATION_KIND', roles: ['clinical_responder'], organizationKind: kind } },
    ]);
    // A lookup is refused the same way: the role, not the operation, is what does not fit.
    expect(codeOf(await t.graphql(await t.token(['provider_staff', 'responder'], await t.organization('TREATMENT_PROVIDER')), LOOKUP, { input: lookupInput(who) }))).toBe('UNAUTHENTICATED');
  });

  // §2.51(c) records the name of the medical personnel: a token without a name claim used to be
  // recorded under its opaque sub. Refused, audited, nothing disclosed (C15).
  it('refuses an emergency access whose token carries no name, and audits it', async () => {
    const { who } = await riverside.consentedPatient([crisisTeam]);
    const sub = uniqueSub();
    const nameless = await t.idp.mint({ org: crisisTeam.key, roles: ['clinical_responder'], sub, omit: ['name'] });
    const answer = await t.graphql(nameless, EMERGENCY, { input: emergencyInput(who) });
    expect(codeOf(answer)).toBe('FORBIDDEN');
    expect(answer.data?.emergencyAccess ?? null).toBeNull();
    expect(await sql('SELECT count(*)::int AS n FROM emergency_access WHERE requester_sub = $1', [sub])).toEqual([{ n: 0 }]);
    expect(await sql('SELECT action, outcome, details FROM audit_event WHERE actor_sub = $1', [sub])).toEqual([
      { action: 'emergencyAccess', outcome: 'DENIED', details: { reason: 'NO_NAME_CLAIM' } },
    ]);
    // The same person may still make an ordinary lookup: the name is needed for §2.51 records only.
    expect(codeOf(await t.graphql(await t.idp.mint({ org: crisisTeam.key, roles: ['clinical_responder'], omit: ['name'] }), LOOKUP, { input: lookupInput(who) }))).toBeUndefined();
  });

  it('discloses treatment status and care team without consent, never engagement notes (C14)', async () => {
    const who = person();
    const patientId = await riverside.register(who);
    await riverside.enroll(patientId);
    const answer = await t.graphql(medic, EMERGENCY, { input: emergencyInput(who) });
    expect(answer.errors).toBeUndefined();
    const result = answer.data!.emergencyAccess;
    expect(result).toMatchObject({
      outcome: 'INFORMATION_AVAILABLE',
      records: [
        { programName: expect.any(String), inTreatment: true, treatmentSince: '2025-09-02', careTeam: [{ name: 'Jordan Lee', phone: '+1 555 0100 201' }], engagementNotes: null, consentScope: null, basis: 'MEDICAL_EMERGENCY' },
      ],
    });
    expect(result.redisclosureNotice).toMatch(/42 CFR part 2/);
    expect(result.useRestriction).toMatch(/criminal/);
  });

  it('adds engagement notes only where a consent covers them', async () => {
    const { who, consentId } = await riverside.consentedPatient([crisisTeam]);
    const record = (await t.graphql(medic, EMERGENCY, { input: emergencyInput(who) })).data!.emergencyAccess.records[0];
    expect(record).toMatchObject({ engagementNotes: 'Calm, slow approach.', basis: 'MEDICAL_EMERGENCY', consentScope: expect.stringContaining('crisis response') });
    const event = await sql<{ consent_ids: string[]; disclosed_categories: string[] }>(
      'SELECT consent_ids, disclosed_categories FROM audit_event WHERE actor_sub = $1 ORDER BY sequence DESC LIMIT 1',
      [medicSub],
    );
    expect(event[0]).toEqual({ consent_ids: [consentId], disclosed_categories: ['CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES', 'TREATMENT_STATUS'] });
  });

  it('records the §2.51(c) elements and notifies the program before answering; the program lists and acknowledges (C15)', async () => {
    const who = person();
    const patientId = await riverside.register(who);
    await riverside.enroll(patientId);
    const answer = await t.graphql(medic, EMERGENCY, { input: emergencyInput(who, { incidentNumber: 'EMS-77-A' }) });
    const { disclosureId } = answer.data!.emergencyAccess;
    const records = await riverside.call(DISCLOSURES, { pendingOnly: true });
    const record = records.emergencyDisclosures.nodes.find((n: { disclosureId: string }) => n.disclosureId === disclosureId);
    expect(record).toMatchObject({
      patientId,
      medicalPersonnelName: 'Casey Medic, RN',
      medicalPersonnelAffiliation: crisisTeam.name,
      disclosedBy: `crisis-link, on behalf of ${riverside.organization.name}`,
      natureOfEmergency: NATURE,
      incidentNumber: 'EMS-77-A',
      disclosedCategories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT'],
      acknowledgedAt: null,
    });
    const audit = await sql<{ occurred_at: Date; basis: string; outcome: string }>('SELECT occurred_at, basis, outcome FROM audit_event WHERE id = $1', [disclosureId]);
    expect(audit[0]).toMatchObject({ basis: 'MEDICAL_EMERGENCY', outcome: 'DISCLOSED' });
    expect(new Date(record.occurredAt).getTime()).toBe(audit[0].occurred_at.getTime());
    // The nature of the emergency may describe the person: encrypted at rest (C23).
    expect(JSON.stringify(await sql('SELECT * FROM emergency_access WHERE id = $1', [record.id]))).not.toContain('overdose');

    const acknowledged = await riverside.call(ACKNOWLEDGE, { id: record.id });
    expect(acknowledged.acknowledgeEmergencyDisclosure.acknowledgedAt).not.toBeNull();
    const again = await t.graphql(riverside.staffToken, ACKNOWLEDGE, { id: record.id });
    expect(again.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['id'], reason: 'ALREADY_ACKNOWLEDGED' });
    const pending = await riverside.call(DISCLOSURES, { pendingOnly: true });
    expect(pending.emergencyDisclosures.nodes.map((n: { id: string }) => n.id)).not.toContain(record.id);
  });

  it('shows a program only its own records; acknowledging another\'s is answered like an unknown id', async () => {
    const who = person();
    await riverside.enroll(await riverside.register(who));
    const { disclosureId } = (await t.graphql(medic, EMERGENCY, { input: emergencyInput(who) })).data!.emergencyAccess;
    const other = await openProviderDesk(t);
    const theirs = await other.call(DISCLOSURES, {});
    expect(theirs.emergencyDisclosures.nodes).toEqual([]);
    const id = (await sql<{ id: string }>('SELECT id FROM emergency_access WHERE audit_event_id = $1', [disclosureId]))[0].id;
    const foreign = await t.graphql(other.staffToken, ACKNOWLEDGE, { id });
    const unknown = await t.graphql(other.staffToken, ACKNOWLEDGE, { id: randomUUID() });
    expect(foreign.body).toEqual(unknown.body);
  });

  it('answers "no information" exactly like a lookup does when nothing is found, and records nothing for a program', async () => {
    const answer = await t.graphql(medic, EMERGENCY, { input: emergencyInput(person()) });
    const { disclosureId, asOf: _asOf, ...rest } = answer.data!.emergencyAccess;
    expect(rest).toEqual({ outcome: 'NO_INFORMATION', records: [], redisclosureNotice: null, useRestriction: null });
    expect(await sql('SELECT 1 FROM emergency_access WHERE audit_event_id = $1', [disclosureId])).toHaveLength(0);
  });

  it.each([
    ['natureOfEmergency', { natureOfEmergency: 'help' }],
    ['natureOfEmergency', { natureOfEmergency: '          ' }],
    ['natureOfEmergency', { natureOfEmergency: undefined }],
    ['incidentNumber', { incidentNumber: '#1' }],
    ['dateOfBirth', { dateOfBirth: 'yesterday' }],
  ])('refuses a bad %s by name and records nothing (C15)', async (field, change) => {
    const sub = uniqueSub();
    const input: Record<string, unknown> = { ...emergencyInput(person()), ...change };
    for (const [key, value] of Object.entries(change)) if (value === undefined) delete input[key];
    const answer = await t.graphql(await t.token('clinical_responder', crisisTeam, { sub }), EMERGENCY, { input });
    expect(answer.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [field] });
    const events = await sql<{ outcome: string }>('SELECT outcome FROM audit_event WHERE actor_sub = $1', [sub]);
    expect(events.every((e) => e.outcome === 'REFUSED')).toBe(true);
    expect(await sql('SELECT 1 FROM emergency_access WHERE requester_sub = $1', [sub])).toHaveLength(0);
  });
});

describe('rate limits, per person, shared by every instance', () => {
  let a: TestApp;
  let b: TestApp;
  let agency: TestOrganization;

  beforeAll(async () => {
    a = await TestApp.start({ LOOKUP_RATE_LIMIT_PER_HOUR: '3', EMERGENCY_RATE_LIMIT_PER_DAY: '2' });
    b = await TestApp.start({ LOOKUP_RATE_LIMIT_PER_HOUR: '3', EMERGENCY_RATE_LIMIT_PER_DAY: '2' }, a.idp);
    agency = await a.organization('RESPONDER_AGENCY');
  });
  afterAll(async () => {
    await b.built.close();
    await a.close();
  });

  it('refuses the 4th lookup in an hour with RATE_LIMITED, counted across two instances, and audits it', async () => {
    const sub = uniqueSub();
    const token = await a.token('responder', agency, { sub });
    const ask = (app: TestApp) => app.graphql(token, LOOKUP, { input: lookupInput(person()) });
    expect(codeOf(await ask(a))).toBeUndefined();
    expect(codeOf(await ask(b))).toBeUndefined();
    expect(codeOf(await ask(a))).toBeUndefined();
    const limited = await ask(b);
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(limited.data?.responderLookup ?? null).toBeNull();
    // When to try again: the oldest of the three counted lookups leaves the hour then.
    expect(limited.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(3590);
    expect(limited.errors![0].extensions!.retryAfterSeconds).toBeLessThanOrEqual(3600);
    expect(codeOf(await ask(a))).toBe('RATE_LIMITED');
    const outcomes = await sql<{ outcome: string }>('SELECT outcome FROM audit_event WHERE actor_sub = $1 ORDER BY sequence', [sub]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['NOT_DISCLOSED', 'NOT_DISCLOSED', 'NOT_DISCLOSED', 'RATE_LIMITED', 'RATE_LIMITED']);
    // Another person of the same agency is not affected.
    expect(codeOf(await a.graphql(await a.token('responder', agency), LOOKUP, { input: lookupInput(person()) }))).toBeUndefined();
  });

  it('counts parallel requests exactly', async () => {
    const sub = uniqueSub();
    const token = await a.token('responder', agency, { sub });
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).graphql(token, LOOKUP, { input: lookupInput(person()) })));
    expect(answers.filter((x) => codeOf(x) === 'RATE_LIMITED')).toHaveLength(3);
  });

  it('allows 2 emergency accesses a day here, then RATE_LIMITED', async () => {
    const token = await a.token('clinical_responder', agency);
    const ask = () => a.graphql(token, EMERGENCY, { input: emergencyInput(person()) });
    expect(codeOf(await ask())).toBeUndefined();
    expect(codeOf(await ask())).toBeUndefined();
    const limited = await ask();
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(limited.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(86_000);
  });
});
