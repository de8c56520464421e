// house rule 4: policies are data. The shipped defaults (policies/*.json) are installed as
// versions in access_policy, and the active version in the database is what runs.
import { readDefaultPolicies } from '@app/modules/policies/default-policy-installer.js';
import { ROLES } from '@libs/auth/principal.js';
import { sql } from './support/database.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

describe('access policies as data', () => {
  let t: TestApp;
  let oversight: TestOrganization;
  beforeAll(async () => {
    t = await TestApp.start();
    oversight = await t.organization('OVERSIGHT');
  });
  afterAll(() => t.close());

  it('ships one valid default policy per role', async () => {
    const documents = await readDefaultPolicies();
    expect(documents.map((d) => d.role).sort()).toEqual([...ROLES].sort());
  });

  it('runs exactly one active version per role, installed from the shipped defaults', async () => {
    const rows = await sql<{ role: string }>('SELECT role FROM access_policy WHERE active ORDER BY role');
    expect(rows.map((r) => r.role)).toEqual([...ROLES].sort());
  });

  it('does not install a new version when a second instance starts with the same defaults', async () => {
    const before = await sql('SELECT role, version FROM access_policy ORDER BY role, version');
    const second = await TestApp.start({}, t.idp);
    await second.built.close();
    expect(await sql('SELECT role, version FROM access_policy ORDER BY role, version')).toEqual(before);
  });

  it('lets an admin read every version, and audits the read', async () => {
    const sub = uniqueSub();
    const answer = await t.graphql(await t.token('admin', oversight, { sub }), '{ accessPolicies { role version active source rules } }');
    expect(answer.errors).toBeUndefined();
    const active = answer.data!.accessPolicies.filter((p: { active: boolean }) => p.active);
    expect(active.map((p: { role: string }) => p.role).sort()).toEqual([...ROLES].sort());
    expect(await sql('SELECT action, outcome FROM audit_event WHERE actor_sub = $1', [sub])).toEqual([{ action: 'accessPolicies', outcome: 'SUCCESS' }]);
  });

  it('refuses every other role', async () => {
    for (const role of ['responder', 'clinical_responder', 'provider_staff', 'compliance_officer'] as const) {
      expect(codeOf(await t.graphql(await t.token(role, await t.homeOf(role)), '{ accessPolicies { role } }'))).toBe('FORBIDDEN');
    }
  });
});
