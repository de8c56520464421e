// Patient.enrollments on a page of patients: one transaction and one audit event for the whole
// request, not one per patient (no N+1), with every patient's own enrollments and no one else's.
import { person, ProviderDesk } from '@libs/testing/provider-desk.js';
import { sql } from './support/database.js';
import { TestApp, uniqueSub } from './support/test-app.js';

/** The app, and a fresh provider's desk. */
async function withProvider(): Promise<{ t: TestApp; desk: ProviderDesk }> {
  const t = await TestApp.start();
  const provider = await t.organization('TREATMENT_PROVIDER');
  return { t, desk: new ProviderDesk((token, query, variables) => t.graphql(token, query, variables), provider, await t.token('provider_staff', provider)) };
}

const PAGE = '{ patients(first: 10) { nodes { id enrollments { id patientId programName } } } }';

describe('Patient.enrollments for a page of patients', () => {
  let t: TestApp;
  let desk: ProviderDesk;
  beforeAll(async () => ({ t, desk } = await withProvider()));
  afterAll(() => t.close());

  it('reads every patient of the page in one go and writes one audit event for the request (C16)', async () => {
    const patients: Array<{ id: string; enrollments: string[] }> = [];
    for (let i = 0; i < 4; i++) {
      const id = await desk.register(person());
      const enrollments = i === 3 ? [] : [await desk.enroll(id), ...(i === 0 ? [await desk.enroll(id, { startedOn: '2025-10-01' })] : [])];
      patients.push({ id, enrollments });
    }
    const sub = uniqueSub();
    const answer = await t.graphql(await t.token('provider_staff', desk.organization, { sub }), PAGE);
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.patients.nodes as Array<{ id: string; enrollments: Array<{ id: string; patientId: string }> }>;
    expect(nodes.map((n) => ({ id: n.id, enrollments: n.enrollments.map((e) => e.id) }))).toEqual(patients);
    for (const node of nodes) for (const e of node.enrollments) expect(e.patientId).toBe(node.id);

    const events = await sql<{ action: string; patient_ids: string[]; details: { enrollmentIds: string[] } }>(
      'SELECT action, patient_ids, details FROM audit_event WHERE actor_sub = $1 ORDER BY sequence',
      [sub],
    );
    expect(events.map((e) => e.action)).toEqual(['patients', 'patientEnrollments']);
    expect([...events[1].patient_ids].sort()).toEqual(patients.slice(0, 3).map((p) => p.id).sort());
    expect([...events[1].details.enrollmentIds].sort()).toEqual(patients.flatMap((p) => p.enrollments).sort());
  });

  it('keeps two requests apart: each is its own read and its own event', async () => {
    const id = await desk.register(person());
    await desk.enroll(id);
    const sub = uniqueSub();
    const token = await t.token('provider_staff', desk.organization, { sub });
    const answers = await Promise.all([t.graphql(token, PAGE), t.graphql(token, PAGE)]);
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const events = await sql<{ action: string }>('SELECT action FROM audit_event WHERE actor_sub = $1', [sub]);
    expect(events.filter((e) => e.action === 'patientEnrollments')).toHaveLength(2);
  });
});
