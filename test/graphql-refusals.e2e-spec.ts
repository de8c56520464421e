// Lookups refused by GraphQL itself — a missing field, an unknown enum value, an impossible date —
// never reach Nest (no guard, pipe or filter runs), yet they are refused lookups: each is audited
// like a class-validator refusal and counts toward the per-person rate limit (C16, C8). The audit
// event names fields and a reason, never values (C3).
import { sql } from './support/database.js';
import { EMERGENCY, LOOKUP, lookupInput, person } from './support/scenario.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

type Event = { action: string; outcome: string; details: Record<string, unknown> };
const eventsOf = (sub: string) => sql<Event>('SELECT action, outcome, details FROM audit_event WHERE actor_sub = $1 ORDER BY sequence', [sub]);

const NATURE = 'Unresponsive, suspected opioid overdose; naloxone given';
const emergencyInput = (overrides: Record<string, unknown> = {}) => {
  const { purpose: _purpose, ...identity } = lookupInput(person());
  return { ...identity, natureOfEmergency: NATURE, ...overrides };
};

/** The three refusal kinds of the issue, as a client sends them (variables). */
const REFUSED_BY_GRAPHQL: Array<[string, string, Record<string, unknown>]> = [
  ['missing incidentNumber', 'incidentNumber', { incidentNumber: undefined }],
  ['unknown purpose', 'purpose', { purpose: 'CURIOSITY' }],
  ['impossible date of birth', 'dateOfBirth', { dateOfBirth: '1990-02-30' }],
];

function without(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

describe('lookups refused by GraphQL validation (C16, C8)', () => {
  let t: TestApp;
  let agency: TestOrganization;

  beforeAll(async () => {
    t = await TestApp.start({ LOOKUP_RATE_LIMIT_PER_HOUR: '3', EMERGENCY_RATE_LIMIT_PER_DAY: '2' });
    agency = await t.organization('RESPONDER_AGENCY');
  });
  afterAll(() => t.close());

  it.each(REFUSED_BY_GRAPHQL)('audits a %s as REFUSED with the field name, exactly as a class-validator refusal', async (_kind, field, change) => {
    const sub = uniqueSub();
    const token = await t.token('responder', agency, { sub });
    const answer = await t.graphql(token, LOOKUP, { input: without({ ...lookupInput(person()), ...change }) });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors![0].extensions!.fields).toEqual([field]);
    const events = await eventsOf(sub);
    expect(events).toEqual([{ action: 'responderLookup', outcome: 'REFUSED', details: { fields: [field], reason: null } }]);
    // C3: the refused value is not in the audit record.
    for (const value of Object.values(change)) if (typeof value === 'string') expect(JSON.stringify(events)).not.toContain(value);

    // The same shape a class-validator refusal writes (the pipe runs after GraphQL accepted the request).
    const other = uniqueSub();
    await t.graphql(await t.token('responder', agency, { sub: other }), LOOKUP, { input: lookupInput(person(), { incidentNumber: 'ab' }) });
    expect(await eventsOf(other)).toEqual([{ action: 'responderLookup', outcome: 'REFUSED', details: { fields: ['incidentNumber'], reason: null } }]);
  });

  it.each([
    ['missing incidentNumber', 'incidentNumber', 'givenName: "Dana", familyName: "Rivera", dateOfBirth: "1990-04-12", purpose: CRISIS_RESPONSE'],
    ['unknown purpose', 'purpose', 'givenName: "Dana", familyName: "Rivera", dateOfBirth: "1990-04-12", incidentNumber: "INC-1", purpose: CURIOSITY'],
    ['impossible date of birth', 'dateOfBirth', 'givenName: "Dana", familyName: "Rivera", dateOfBirth: "1990-02-30", incidentNumber: "INC-1", purpose: CRISIS_RESPONSE'],
  ])('audits a %s written inline in the query (validation, not coercion) the same way', async (_kind, field, input) => {
    const sub = uniqueSub();
    const answer = await t.graphql(await t.token('responder', agency, { sub }), `query { responderLookup(input: { ${input} }) { outcome } }`);
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    const events = await eventsOf(sub);
    expect(events).toEqual([{ action: 'responderLookup', outcome: 'REFUSED', details: { fields: [field], reason: null } }]);
    expect(JSON.stringify(events)).not.toMatch(/Rivera|1990-02-30|CURIOSITY/);
  });

  it('counts GraphQL refusals toward the lookup rate limit: 3 refused attempts, then a valid lookup is RATE_LIMITED', async () => {
    const sub = uniqueSub();
    const token = await t.token('responder', agency, { sub });
    for (const [, , change] of REFUSED_BY_GRAPHQL) {
      expect(codeOf(await t.graphql(token, LOOKUP, { input: without({ ...lookupInput(person()), ...change }) }))).toBe('BAD_USER_INPUT');
    }
    expect(codeOf(await t.graphql(token, LOOKUP, { input: lookupInput(person()) }))).toBe('RATE_LIMITED');
    expect((await eventsOf(sub)).map((e) => e.outcome)).toEqual(['REFUSED', 'REFUSED', 'REFUSED', 'RATE_LIMITED']);
  });

  it('counts them exactly as class-validator refusals: 2 of each kind reach the same limit', async () => {
    const sub = uniqueSub();
    const token = await t.token('responder', agency, { sub });
    await t.graphql(token, LOOKUP, { input: lookupInput(person(), { incidentNumber: 'ab' }) });
    await t.graphql(token, LOOKUP, { input: lookupInput(person(), { purpose: 'CURIOSITY' }) });
    expect(codeOf(await t.graphql(token, LOOKUP, { input: lookupInput(person()) }))).toBeUndefined();
    expect(codeOf(await t.graphql(token, LOOKUP, { input: lookupInput(person()) }))).toBe('RATE_LIMITED');
  });

  it('audits and counts refused emergency accesses the same way (limit 2 a day here)', async () => {
    const sub = uniqueSub();
    const token = await t.token('clinical_responder', agency, { sub });
    const missing = await t.graphql(token, EMERGENCY, { input: without(emergencyInput({ incidentNumber: undefined })) });
    expect(codeOf(missing)).toBe('BAD_USER_INPUT');
    const impossible = await t.graphql(token, EMERGENCY, { input: emergencyInput({ dateOfBirth: '1990-02-30' }) });
    expect(codeOf(impossible)).toBe('BAD_USER_INPUT');
    expect(await eventsOf(sub)).toEqual([
      { action: 'emergencyAccess', outcome: 'REFUSED', details: { fields: ['incidentNumber'], reason: null } },
      { action: 'emergencyAccess', outcome: 'REFUSED', details: { fields: ['dateOfBirth'], reason: null } },
    ]);
    expect(codeOf(await t.graphql(token, EMERGENCY, { input: emergencyInput() }))).toBe('RATE_LIMITED');
    expect(await sql('SELECT 1 FROM emergency_access WHERE requester_sub = $1', [sub])).toHaveLength(0);
  });

  it('audits a malformed lookup of a caller who may not look up as DENIED, as the guard would', async () => {
    const sub = uniqueSub();
    const provider = await t.organization('TREATMENT_PROVIDER');
    const answer = await t.graphql(await t.token('provider_staff', provider, { sub }), LOOKUP, { input: lookupInput(person(), { purpose: 'CURIOSITY' }) });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(await eventsOf(sub)).toEqual([{ action: 'responderLookup', outcome: 'DENIED', details: {} }]);
  });

  it('audits a lookup hidden in a fragment as well (nothing escapes the audit by its shape)', async () => {
    const sub = uniqueSub();
    const query = 'query($input: LookupInput!) { ...Ask } fragment Ask on Query { ... on Query { responderLookup(input: $input) { outcome } } }';
    const answer = await t.graphql(await t.token('responder', agency, { sub }), query, { input: lookupInput(person(), { dateOfBirth: '1990-02-30' }) });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(await eventsOf(sub)).toEqual([{ action: 'responderLookup', outcome: 'REFUSED', details: { fields: ['dateOfBirth'], reason: null } }]);
  });

  it('audits a lookup refused by the query limits, with the reason', async () => {
    const sub = uniqueSub();
    const aliases = Array.from({ length: 6 }, (_, i) => `a${i}: responderLookup(input: $input) { outcome }`).join(' ');
    const answer = await t.graphql(await t.token('responder', agency, { sub }), `query($input: LookupInput!) { ${aliases} }`, { input: lookupInput(person()) });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(await eventsOf(sub)).toEqual([{ action: 'responderLookup', outcome: 'REFUSED', details: { fields: [], reason: 'QUERY_LIMIT' } }]);
  });

  it('appends nothing for an anonymous caller: authentication refuses before GraphQL runs', async () => {
    const before = await sql<{ n: string }>(`SELECT count(*) AS n FROM audit_event WHERE action = 'responderLookup' AND outcome = 'REFUSED' AND actor_org = $1`, [agency.key]);
    const answer = await t.graphql(null, LOOKUP, { input: lookupInput(person(), { purpose: 'CURIOSITY' }) });
    expect(answer.status).toBe(401);
    const after = await sql<{ n: string }>(`SELECT count(*) AS n FROM audit_event WHERE action = 'responderLookup' AND outcome = 'REFUSED' AND actor_org = $1`, [agency.key]);
    expect(after).toEqual(before);
  });
});
