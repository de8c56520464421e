// Compliance review (issue 14): a compliance officer looks a person up by name and date of birth
// within their scope — their own organisation's records, or all for an oversight body — to answer
// a complaint. Matched like a responder lookup, audited like any read, nothing of the person in
// the audit record.
import { sql } from './support/database.js';
import { openProviderDesk, person, type ProviderDesk } from './support/scenario.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const FIND = `query($input: FindPatientsForReviewInput!) { findPatientsForReview(input: $input) {
  id organizationKey organizationName givenName familyName dateOfBirth aliases registeredAt } }`;

describe('findPatientsForReview', () => {
  let t: TestApp;
  let riverside: ProviderDesk;
  let harbor: ProviderDesk;
  let oversight: TestOrganization;
  let agency: TestOrganization;
  const who = person({ givenName: 'Marie-Hélène', aliases: ['Lena'] });
  let atRiverside: string;
  let atHarbor: string;

  beforeAll(async () => {
    t = await TestApp.start();
    riverside = await openProviderDesk(t);
    harbor = await openProviderDesk(t);
    oversight = await t.organization('OVERSIGHT');
    agency = await t.organization('RESPONDER_AGENCY');
    atRiverside = await riverside.register(who);
    atHarbor = await harbor.register({ ...who, aliases: [] });
  });
  afterAll(() => t.close());

  const officer = (org: { key: string }, sub = uniqueSub()) => t.token('compliance_officer', org, { sub });
  const find = async (token: string, input: Record<string, unknown>) => {
    const answer = await t.graphql(token, FIND, { input });
    expect(answer.errors).toBeUndefined();
    return answer.data!.findPatientsForReview as Array<Record<string, unknown>>;
  };

  it('finds the officer\'s own organisation\'s record, matched as a lookup is (case, accents, hyphens, aliases)', async () => {
    const token = await officer(riverside.organization);
    const found = await find(token, { givenName: 'MARIE HELENE', familyName: who.familyName.toLowerCase(), dateOfBirth: who.dateOfBirth });
    expect(found).toEqual([
      {
        id: atRiverside,
        organizationKey: riverside.organization.key,
        organizationName: riverside.organization.name,
        givenName: 'Marie-Hélène',
        familyName: who.familyName,
        dateOfBirth: who.dateOfBirth,
        aliases: ['Lena'],
        registeredAt: expect.any(String),
      },
    ]);
    expect((await find(token, { givenName: 'Lena', familyName: who.familyName, dateOfBirth: who.dateOfBirth })).map((p) => p.id)).toEqual([atRiverside]);
    expect(await find(token, { givenName: 'Marie-Hélène', familyName: who.familyName, dateOfBirth: '1990-04-13' })).toEqual([]);
  });

  it('never shows another organisation\'s record: the same person at another provider is not found there, nor by a responder agency\'s officer', async () => {
    const input = { givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth };
    expect((await find(await officer(harbor.organization), input)).map((p) => p.id)).toEqual([atHarbor]);
    expect(await find(await officer(agency), input)).toEqual([]);
  });

  it('finds every organisation\'s records for an oversight body', async () => {
    const found = await find(await officer(oversight), { givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth });
    expect(found.map((p) => p.id).sort()).toEqual([atRiverside, atHarbor].sort());
  });

  it('is audited with the records found and a keyed hash of the identity searched, never the identity', async () => {
    const sub = uniqueSub();
    await find(await officer(riverside.organization, sub), { givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth });
    const events = await sql<{ action: string; outcome: string; patient_ids: string[]; subject_org_keys: string[]; details: Record<string, unknown> }>(
      'SELECT action, outcome, patient_ids, subject_org_keys, details FROM audit_event WHERE actor_sub = $1',
      [sub],
    );
    expect(events).toEqual([
      { action: 'findPatientsForReview', outcome: 'SUCCESS', patient_ids: [atRiverside], subject_org_keys: [riverside.organization.key], details: { searchedIdentity: expect.any(String), count: 1 } },
    ]);
    expect(JSON.stringify(events)).not.toMatch(new RegExp(`${who.familyName}|Marie|${who.dateOfBirth}`));
    // A search that finds nothing is audited too, naming no one.
    const nobody = uniqueSub();
    await find(await officer(riverside.organization, nobody), { givenName: 'Nobody', familyName: 'Atall', dateOfBirth: '1970-01-01' });
    expect(await sql('SELECT patient_ids, details->>\'count\' AS count FROM audit_event WHERE actor_sub = $1', [nobody])).toEqual([{ patient_ids: [], count: '0' }]);
  });

  it('refuses bad input by field and rule, without the values', async () => {
    const answer = await t.graphql(await officer(riverside.organization), FIND, { input: { givenName: '', familyName: 'X'.repeat(101), dateOfBirth: '2999-01-01' } });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors![0].extensions!.problems).toEqual(
      expect.arrayContaining([
        { field: 'givenName', rule: 'REQUIRED', limit: null },
        { field: 'familyName', rule: 'TOO_LONG', limit: 100 },
        { field: 'dateOfBirth', rule: 'MUST_NOT_BE_IN_FUTURE', limit: null },
      ]),
    );
    expect(JSON.stringify(answer.body)).not.toContain('XXXXXXXX');
  });

  it('is refused to every other role', async () => {
    for (const role of ['responder', 'clinical_responder', 'provider_staff', 'admin'] as const) {
      const answer = await t.graphql(await t.token(role, await t.homeOf(role)), FIND, { input: { givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth } });
      expect({ role, code: codeOf(answer) }).toEqual({ role, code: 'FORBIDDEN' });
    }
  });
});
