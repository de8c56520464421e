// Provider staff find a patient by name and date of birth through the API (issue 14), instead of
// the app reading the organisation's whole patient list: matched as a responder lookup is
// (normalised names, a given name or any alias, through the blind index), only the caller's own
// organisation's records, audited with the identity searched for only as a keyed hash (C3, C16).
import { randomUUID } from 'node:crypto';
import { sql } from './support/database.js';
import { openProviderDesk, person, type ProviderDesk } from './support/scenario.js';
import { codeOf, TestApp, uniqueSub } from './support/test-app.js';

const FIND = 'query($input: FindPatientsInput!) { findPatients(input: $input) { id givenName familyName dateOfBirth aliases } }';
const UPDATE = 'mutation($input: UpdatePatientInput!) { updatePatient(input: $input) { id } }';
const MERGE = 'mutation($input: MergePatientsInput!) { mergePatients(input: $input) { id } }';

describe('findPatients (provider staff)', () => {
  let t: TestApp;
  let desk: ProviderDesk;
  let otherDesk: ProviderDesk;

  beforeAll(async () => {
    t = await TestApp.start();
    desk = await openProviderDesk(t);
    otherDesk = await openProviderDesk(t);
  });
  afterAll(() => t.close());

  const find = async (token: string, who: { givenName: string; familyName: string; dateOfBirth: string }) => {
    const answer = await t.graphql(token, FIND, { input: { givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth } });
    expect(answer.errors).toBeUndefined();
    return (answer.data!.findPatients as Array<{ id: string }>).map((p) => p.id);
  };

  it('finds the organisation\'s records of the person, typed any way or by an alias, and never another organisation\'s; audited without the identity', async () => {
    const who = person({ aliases: ['Dee'] });
    const mine = await desk.register(who);
    await otherDesk.register(who);
    const sub = uniqueSub();
    const token = await t.token('provider_staff', desk.organization, { sub });
    const answer = await t.graphql(token, FIND, { input: { givenName: ` ${who.givenName.toUpperCase()}`, familyName: who.familyName.toLowerCase(), dateOfBirth: who.dateOfBirth } });
    expect(answer.data!.findPatients).toEqual([{ id: mine, givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth, aliases: ['Dee'] }]);
    expect(await find(token, { ...who, givenName: 'Dee' })).toEqual([mine]);
    expect(await find(token, { ...who, dateOfBirth: '1990-04-13' })).toEqual([]);
    const events = await sql<{ action: string; outcome: string; patient_ids: string[]; details: Record<string, unknown> }>(
      'SELECT action, outcome, patient_ids, details FROM audit_event WHERE actor_sub = $1 ORDER BY sequence',
      [sub],
    );
    expect(events.map((e) => [e.action, e.outcome, e.patient_ids, e.details.count])).toEqual([
      ['findPatients', 'SUCCESS', [mine], 1],
      ['findPatients', 'SUCCESS', [mine], 1],
      ['findPatients', 'SUCCESS', [], 0],
    ]);
    expect(events[0].details.searchedIdentity).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(JSON.stringify(events)).not.toContain(who.familyName);
  });

  it('follows corrections and merges: the old name stops matching, the new one matches, a merged record is found as its survivor only', async () => {
    const who = person();
    const patientId = await desk.register(who);
    const newFamilyName = `Okoro-${randomUUID().slice(0, 8)}`;
    expect((await t.graphql(desk.staffToken, UPDATE, { input: { patientId, familyName: newFamilyName } })).errors).toBeUndefined();
    expect(await find(desk.staffToken, who)).toEqual([]);
    expect(await find(desk.staffToken, { ...who, familyName: newFamilyName })).toEqual([patientId]);

    const twin = await desk.register({ ...who, familyName: newFamilyName, confirmDistinctPerson: true } as never);
    expect(await find(desk.staffToken, { ...who, familyName: newFamilyName })).toEqual([patientId, twin]);
    expect((await t.graphql(desk.staffToken, MERGE, { input: { survivorId: patientId, mergedId: twin } })).errors).toBeUndefined();
    expect(await find(desk.staffToken, { ...who, familyName: newFamilyName })).toEqual([patientId]);
  });

  it('refuses bad input by field and rule, and is for provider staff only', async () => {
    const refused = await t.graphql(desk.staffToken, FIND, { input: { givenName: ' ', familyName: 'x'.repeat(101), dateOfBirth: '2999-01-01' } });
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    const fields = (refused.errors![0].extensions!.problems as Array<{ field: string }>).map((p) => p.field).sort();
    expect(fields).toEqual(['dateOfBirth', 'familyName', 'givenName']);
    const agency = await t.organization('RESPONDER_AGENCY');
    expect(codeOf(await t.graphql(await t.token('responder', agency), FIND, { input: { givenName: 'Dana', familyName: 'Rivera', dateOfBirth: '1990-04-12' } }))).toBe('FORBIDDEN');
  });
});
