// C18: the audit log is append-only, enforced by the database for every role.
// C16/C17: an operation whose audit record cannot be written fails, and nothing is stored or returned.
import { failAuditAppendsOf, sql } from './support/database.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const REGISTER = 'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id givenName } }';

describe('audit ledger (append)', () => {
  let t: TestApp;
  let provider: TestOrganization;

  beforeAll(async () => {
    t = await TestApp.start();
    provider = await t.organization('TREATMENT_PROVIDER');
  });
  afterAll(() => t.close());

  const someEvent = async () => {
    const sub = uniqueSub();
    await t.graphql(await t.token('provider_staff', provider, { sub }), '{ patients(first: 1) { nodes { id } } }');
    const rows = await sql<{ sequence: string; occurred_at: Date }>('SELECT sequence, occurred_at FROM audit_event WHERE actor_sub = $1', [sub]);
    expect(rows).toHaveLength(1);
    return rows[0];
  };

  it('refuses UPDATE issued with raw SQL, even by a superuser', async () => {
    const event = await someEvent();
    await expect(sql(`UPDATE audit_event SET outcome = 'DENIED' WHERE sequence = $1`, [event.sequence])).rejects.toThrow(/append-only/);
    expect(await sql('SELECT outcome FROM audit_event WHERE sequence = $1', [event.sequence])).toEqual([{ outcome: 'SUCCESS' }]);
  });

  it('refuses DELETE, on the table and on its partition', async () => {
    const event = await someEvent();
    await expect(sql('DELETE FROM audit_event WHERE sequence = $1', [event.sequence])).rejects.toThrow(/append-only/);
    const partition = `audit_event_${event.occurred_at.toISOString().slice(0, 7).replace('-', '_')}`;
    await expect(sql(`DELETE FROM ${partition} WHERE sequence = $1`, [event.sequence])).rejects.toThrow(/append-only/);
    expect(await sql('SELECT 1 FROM audit_event WHERE sequence = $1', [event.sequence])).toHaveLength(1);
  });

  it('refuses TRUNCATE, on the table and on its partition', async () => {
    const event = await someEvent();
    await expect(sql('TRUNCATE audit_event')).rejects.toThrow(/append-only/);
    const partition = `audit_event_${event.occurred_at.toISOString().slice(0, 7).replace('-', '_')}`;
    await expect(sql(`TRUNCATE ${partition}`)).rejects.toThrow(/append-only/);
    expect(await sql('SELECT 1 FROM audit_event WHERE sequence = $1', [event.sequence])).toHaveLength(1);
  });

  it('keeps partitions ready three months ahead', async () => {
    const rows = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'audit_event'::regclass
         AND inhrelid::regclass::text >= 'audit_event_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')`,
    );
    expect(Number(rows[0].n)).toBeGreaterThanOrEqual(4);
  });

  describe('when the audit append fails (C17)', () => {
    let failing: TestOrganization;
    let restore: () => Promise<void>;
    let existingPatientId: string;

    beforeAll(async () => {
      failing = await t.organization('TREATMENT_PROVIDER');
      // A patient registered while the ledger still works, to be read once it fails.
      const registered = await t.graphql(await t.token('provider_staff', failing), REGISTER, {
        input: { givenName: 'Bea', familyName: 'Readonly', dateOfBirth: '1971-02-03' },
      });
      existingPatientId = registered.data!.registerPatient.id;
      // A real database failure, scoped to this test's organisation so other tests run on.
      restore = await failAuditAppendsOf(failing.key);
    });
    afterAll(() => restore());

    it('refuses a change and stores nothing', async () => {
      const answer = await t.graphql(await t.token('provider_staff', failing), REGISTER, {
        input: { givenName: 'Ada', familyName: 'Failsafe', dateOfBirth: '1970-01-01' },
      });
      expect(codeOf(answer)).toBe('UNAVAILABLE');
      expect(answer.data?.registerPatient ?? null).toBeNull();
      expect(await sql('SELECT id FROM patient WHERE organization_id = $1', [failing.id])).toEqual([{ id: existingPatientId }]);
      expect(await sql('SELECT 1 FROM patient_match_key WHERE organization_id = $1 AND patient_id <> $2', [failing.id, existingPatientId])).toHaveLength(0);
    });

    it("refuses an agency's new type whose audit record cannot be written, and keeps the old one", async () => {
      const agency = await t.organization('RESPONDER_AGENCY', { agencyType: 'LAW_ENFORCEMENT' });
      const answer = await t.graphql(await t.token('admin', failing), 'mutation($input: ChangeAgencyTypeInput!) { changeAgencyType(input: $input) { agencyType } }', {
        input: { organizationKey: agency.key, agencyType: 'OTHER' },
      });
      expect(codeOf(answer)).toBe('UNAVAILABLE');
      expect(await sql('SELECT agency_type FROM organization WHERE key = $1', [agency.key])).toEqual([{ agency_type: 'LAW_ENFORCEMENT' }]);
    });

    it('returns nothing from a read whose audit record cannot be written', async () => {
      const staff = await t.token('provider_staff', failing);
      for (const [field, query] of [
        ['patients', '{ patients(first: 10) { nodes { id givenName } } }'],
        ['patient', `{ patient(id: "${existingPatientId}") { id givenName } }`],
        // One statement on its own (autocommit), as the lookup's append: still refused when it fails.
        ['me', '{ me { sub name } }'],
      ]) {
        const answer = await t.graphql(staff, query);
        expect(codeOf(answer)).toBe('UNAVAILABLE');
        expect(answer.data?.[field] ?? null).toBeNull();
        expect(JSON.stringify(answer.body)).not.toMatch(/Bea|Readonly/);
      }
    });
  });
});
