// A directory of recipients (issue 14): provider staff list the responder agencies their consents
// may name (key, name, kind) instead of copying keys from a start-up banner. Organisations only,
// audited, for provider staff alone.
import { sql } from './support/database.js';
import { codeOf, TestApp, uniqueSub } from './support/test-app.js';

const DIRECTORY = '{ recipientOrganizations { key name kind } }';

describe('recipientOrganizations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('lists every responder agency by name, and nothing else, for provider staff; the read is audited', async () => {
    const agency = await t.organization('RESPONDER_AGENCY');
    const provider = await t.organization('TREATMENT_PROVIDER');
    const otherProvider = await t.organization('TREATMENT_PROVIDER');
    const oversight = await t.organization('OVERSIGHT');
    const sub = uniqueSub();
    const answer = await t.graphql(await t.token('provider_staff', provider, { sub }), DIRECTORY);
    expect(answer.errors).toBeUndefined();
    const listed: Array<{ key: string; name: string; kind: string }> = answer.data!.recipientOrganizations;
    expect(listed).toContainEqual({ key: agency.key, name: agency.name, kind: 'RESPONDER_AGENCY' });
    expect(listed.every((o) => o.kind === 'RESPONDER_AGENCY')).toBe(true);
    for (const hidden of [provider, otherProvider, oversight]) expect(listed.map((o) => o.key)).not.toContain(hidden.key);
    const names = listed.map((o) => o.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(await sql('SELECT action, outcome, details FROM audit_event WHERE actor_sub = $1', [sub])).toEqual([
      { action: 'recipientOrganizations', outcome: 'SUCCESS', details: { count: listed.length } },
    ]);
  });

  it('every key it lists can be named by a consent', async () => {
    const agency = await t.organization('RESPONDER_AGENCY');
    const provider = await t.organization('TREATMENT_PROVIDER');
    const staff = await t.token('provider_staff', provider);
    const keys = (await t.graphql(staff, DIRECTORY)).data!.recipientOrganizations.map((o: { key: string }) => o.key);
    expect(keys).toContain(agency.key);
    const patient = (await t.graphql(staff, 'mutation { registerPatient(input: { givenName: "Ivo", familyName: "Marsh", dateOfBirth: "1979-07-07" }) { id } }')).data!.registerPatient.id;
    const consent = await t.graphql(staff, 'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }', {
      input: {
        patientId: patient,
        recipientOrganizationKeys: [agency.key],
        purpose: 'CRISIS_RESPONSE',
        dataCategories: ['TREATMENT_STATUS'],
        expiresAt: '2040-01-01T00:00:00Z',
        signedBy: { name: 'Ivo Marsh', relationship: 'SELF' },
        signedAt: new Date(Date.now() - 60_000).toISOString(),
        acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
      },
    });
    expect(consent.errors).toBeUndefined();
  });

  it('is refused to every other role', async () => {
    for (const role of ['responder', 'clinical_responder', 'compliance_officer', 'admin'] as const) {
      expect(codeOf(await t.graphql(await t.token(role, await t.homeOf(role)), DIRECTORY))).toBe('FORBIDDEN');
    }
  });
});
