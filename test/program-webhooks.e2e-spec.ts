// Emergency notifications reach the program (issue 14, §2.51(c), C15): an outbox row per §2.51
// disclosure, written in the disclosure's transaction, delivered to the program's webhook
// (PROGRAM_WEBHOOK_URL_<ORG_KEY>, signed with PROGRAM_WEBHOOK_SECRET_<ORG_KEY>) and retried with
// backoff until a 2xx; nothing identifying in the body beyond the ids. Admins may also set
// endpoints in the app.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProgramNotifier } from '@app/modules/program-notifications/program-notifier.js';
import { migrateTestDatabase, sql } from './support/database.js';
import { EMERGENCY, lookupInput, person, ProviderDesk } from './support/scenario.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const SECRET = `whsec-${randomUUID()}`;
const NATURE = 'Unresponsive after a fall; suspected overdose';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
}

/** A program's webhook receiver: answers each request with the next status of `statuses` (the last one repeats). */
class Receiver {
  readonly received: Received[] = [];
  private server!: Server;
  constructor(private readonly statuses: number[]) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        this.received.push({ headers: req.headers, raw });
        res.statusCode = this.statuses[Math.min(this.received.length - 1, this.statuses.length - 1)];
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/crisis-link`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const envKey = (key: string) => key.toUpperCase().replace(/[^A-Z0-9]/g, '_');

async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('program notifications of §2.51 disclosures, delivered to webhooks', () => {
  let t: TestApp;
  let receiver: Receiver;
  let program: TestOrganization;
  let desk: ProviderDesk;
  let crisisTeam: TestOrganization;
  let medic: string;

  const createOrganization = async (kind: TestOrganization['kind']): Promise<TestOrganization> => {
    const key = `${kind.toLowerCase().replace(/_/g, '-')}-${randomUUID().slice(0, 8)}`;
    const [{ id }] = await sql<{ id: string }>(`INSERT INTO organization (key, name, kind, created_by) VALUES ($1, $2, $3, 'test-fixture') RETURNING id`, [key, `Test ${key}`, kind]);
    return { id, key, name: `Test ${key}`, kind };
  };
  const emergency = async (desk: ProviderDesk) => {
    const who = person();
    const patientId = await desk.register(who);
    await desk.enroll(patientId);
    const { purpose: _purpose, ...identity } = lookupInput(who, { incidentNumber: 'EMS-HOOK-1' });
    const answer = await t.graphql(medic, EMERGENCY, { input: { ...identity, natureOfEmergency: NATURE } });
    expect(answer.errors).toBeUndefined();
    const disclosureId: string = answer.data!.emergencyAccess.disclosureId;
    const [record] = await sql<{ id: string; occurred_at: Date }>('SELECT id, occurred_at FROM emergency_access WHERE audit_event_id = $1', [disclosureId]);
    return { who, patientId, disclosureId, emergencyDisclosureId: record.id, occurredAt: record.occurred_at };
  };
  const outboxOf = (emergencyDisclosureId: string) =>
    sql<{ attempts: number; delivered: boolean; last_status: string | null }>(
      'SELECT attempts, delivered_at IS NOT NULL AS delivered, last_status FROM program_notification_outbox WHERE emergency_access_id = $1',
      [emergencyDisclosureId],
    );

  beforeAll(async () => {
    await migrateTestDatabase();
    // The program's key must be known before the service starts: its webhook is in the environment.
    program = await createOrganization('TREATMENT_PROVIDER');
    crisisTeam = await createOrganization('RESPONDER_AGENCY');
    receiver = new Receiver([500, 204]);
    const url = await receiver.start();
    t = await TestApp.start({
      [`PROGRAM_WEBHOOK_URL_${envKey(program.key)}`]: url,
      [`PROGRAM_WEBHOOK_SECRET_${envKey(program.key)}`]: SECRET,
      // The worker runs in the service, with a short backoff for the test.
      PROGRAM_WEBHOOK_POLL_INTERVAL_MS: '100',
      PROGRAM_WEBHOOK_RETRY_BASE_MS: '200',
    });
    desk = new ProviderDesk(async (token, query, variables) => (await t.graphql(token, query, variables)).body, program, await t.token('provider_staff', program));
    medic = await t.token('clinical_responder', crisisTeam, { name: 'Casey Medic, RN' });
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('delivers a signed notification with ids only, retried after a failure until a 2xx, and records the delivery', async () => {
    const disclosure = await emergency(desk);
    // The outbox row is part of the disclosure's transaction: there as soon as the answer is.
    expect((await outboxOf(disclosure.emergencyDisclosureId)).length).toBe(1);

    await until(async () => receiver.received.length >= 2);
    const [failed, retried] = receiver.received;
    for (const delivery of [failed, retried]) {
      expect(delivery.headers['content-type']).toBe('application/json');
      const expected = `sha256=${createHmac('sha256', SECRET).update(delivery.raw, 'utf8').digest('hex')}`;
      expect(delivery.headers['x-crisis-link-signature']).toBe(expected);
      expect(JSON.parse(delivery.raw)).toEqual({
        type: 'emergency-disclosure',
        disclosureId: disclosure.disclosureId,
        emergencyDisclosureId: disclosure.emergencyDisclosureId,
        occurredAt: disclosure.occurredAt.toISOString(),
      });
      // Nothing identifying beyond the ids (C3): no name, no nature of the emergency, no incident.
      for (const text of [disclosure.who.familyName, disclosure.who.givenName, 'overdose', 'EMS-HOOK-1', 'Casey', disclosure.patientId]) expect(delivery.raw).not.toContain(text);
    }
    // The retry is the same notification: same body, same delivery id.
    expect(retried.raw).toBe(failed.raw);
    expect(retried.headers['x-crisis-link-delivery']).toBe(failed.headers['x-crisis-link-delivery']);

    const outbox = await until(async () => {
      const [row] = await outboxOf(disclosure.emergencyDisclosureId);
      return row?.delivered ? row : undefined;
    });
    expect(outbox).toEqual({ attempts: 2, delivered: true, last_status: 'HTTP_204' });
    const events = await sql<{ action: string; outcome: string; actor_sub: string; patient_ids: string[]; subject_org_keys: string[]; details: Record<string, unknown> }>(
      `SELECT action, outcome, actor_sub, patient_ids, subject_org_keys, details FROM audit_event WHERE action = 'notifyProgram' AND details->>'emergencyDisclosureId' = $1`,
      [disclosure.emergencyDisclosureId],
    );
    expect(events).toEqual([
      {
        action: 'notifyProgram',
        outcome: 'SUCCESS',
        actor_sub: 'system:program-notifier',
        patient_ids: [disclosure.patientId],
        subject_org_keys: [program.key],
        details: { emergencyDisclosureId: disclosure.emergencyDisclosureId, disclosureId: disclosure.disclosureId, attempts: 2, endpoint: 'ENVIRONMENT' },
      },
    ]);
    // Delivered once is delivered: no more requests for it.
    const count = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.received.length).toBe(count);
    // The in-app list still shows it to the program, unacknowledged.
    const list = await desk.call('{ emergencyDisclosures(first: 5, pendingOnly: true) { nodes { id } } }', {});
    expect(list.emergencyDisclosures.nodes.map((n: { id: string }) => n.id)).toContain(disclosure.emergencyDisclosureId);
  });

  it('keeps the notification of a program without an endpoint waiting, and sends it once an admin sets one in the app', async () => {
    const other = await createOrganization('TREATMENT_PROVIDER');
    const otherDesk = new ProviderDesk(async (token, query, variables) => (await t.graphql(token, query, variables)).body, other, await t.token('provider_staff', other));
    const disclosure = await emergency(otherDesk);
    const before = receiver.received.length;
    const waiting = await until(async () => {
      const [row] = await outboxOf(disclosure.emergencyDisclosureId);
      return row?.last_status === 'NO_ENDPOINT' ? row : undefined;
    });
    expect(waiting.delivered).toBe(false);

    const sub = uniqueSub();
    const admin = await t.token('admin', await t.organization('OVERSIGHT'), { sub });
    const appReceiver = new Receiver([202]);
    const url = await appReceiver.start();
    const appSecret = `app-secret-${randomUUID()}`;
    try {
      const set = await t.graphql(admin, 'mutation($input: SetProgramWebhookInput!) { setProgramWebhook(input: $input) { organizationKey url source updatedAt } }', {
        input: { organizationKey: other.key, url, secret: appSecret },
      });
      expect(set.errors).toBeUndefined();
      expect(set.data!.setProgramWebhook).toMatchObject({ organizationKey: other.key, url, source: 'APP' });
      // The secret is a credential: encrypted at rest, never shown again (C23).
      expect(JSON.stringify(await sql('SELECT * FROM program_webhook WHERE organization_id = $1', [other.id]))).not.toContain(appSecret);
      expect(JSON.stringify(set.body)).not.toContain(appSecret);

      await until(async () => appReceiver.received.length >= 1);
      const [delivery] = appReceiver.received;
      expect(delivery.headers['x-crisis-link-signature']).toBe(`sha256=${createHmac('sha256', appSecret).update(delivery.raw, 'utf8').digest('hex')}`);
      expect(JSON.parse(delivery.raw)).toMatchObject({ type: 'emergency-disclosure', emergencyDisclosureId: disclosure.emergencyDisclosureId });
      expect(receiver.received.length).toBe(before);

      const listed = await t.graphql(admin, '{ programWebhooks { organizationKey url source } }');
      expect(listed.data!.programWebhooks).toEqual(
        expect.arrayContaining([
          { organizationKey: program.key, url: expect.stringContaining('/hooks/crisis-link'), source: 'ENVIRONMENT' },
          { organizationKey: other.key, url, source: 'APP' },
        ]),
      );
      expect(await t.graphql(admin, 'mutation($key: String!) { removeProgramWebhook(organizationKey: $key) }', { key: other.key })).toMatchObject({ data: { removeProgramWebhook: true } });
      expect((await sql<{ action: string }>('SELECT action FROM audit_event WHERE actor_sub = $1 ORDER BY sequence', [sub])).map((e) => e.action)).toEqual([
        'setProgramWebhook',
        'programWebhooks',
        'removeProgramWebhook',
      ]);
    } finally {
      await appReceiver.stop();
    }
  });

  it('refuses an endpoint the app may not set, by field and rule', async () => {
    const admin = await t.token('admin', await t.organization('OVERSIGHT'));
    const set = (input: Record<string, unknown>) => t.graphql(admin, 'mutation($input: SetProgramWebhookInput!) { setProgramWebhook(input: $input) { url } }', { input });
    const valid = { organizationKey: (await t.organization('TREATMENT_PROVIDER')).key, url: 'https://program.example/hooks', secret: SECRET };
    const cases: Array<[Record<string, unknown>, { field: string; rule: string; limit: number | null }, string | undefined]> = [
      [{ url: 'ftp://program.example/hooks' }, { field: 'url', rule: 'INVALID_FORMAT', limit: null }, undefined],
      [{ secret: 'too-short' }, { field: 'secret', rule: 'TOO_SHORT', limit: 16 }, undefined],
      [{ organizationKey: 'no-such-program' }, { field: 'organizationKey', rule: 'UNKNOWN_ORGANIZATION', limit: null }, 'UNKNOWN_ORGANIZATION'],
      [{ organizationKey: crisisTeam.key }, { field: 'organizationKey', rule: 'NOT_ALLOWED_VALUE', limit: null }, 'NOT_A_TREATMENT_PROVIDER'],
      [{ organizationKey: program.key }, { field: 'organizationKey', rule: 'NOT_ALLOWED_VALUE', limit: null }, 'SET_IN_ENVIRONMENT'],
    ];
    for (const [change, problem, reason] of cases) {
      const answer = await set({ ...valid, ...change });
      expect(codeOf(answer)).toBe('BAD_USER_INPUT');
      expect(answer.errors![0].extensions!.problems).toEqual([problem]);
      if (reason) expect(answer.errors![0].extensions!.reason).toBe(reason);
      expect(JSON.stringify(answer.body)).not.toContain('too-short');
    }
  });

  it('delivers each notification once when two instances deliver at once (a lease per notification)', async () => {
    const second = await TestApp.start(
      {
        [`PROGRAM_WEBHOOK_URL_${envKey(program.key)}`]: (await t.graphql(await t.token('admin', await t.organization('OVERSIGHT')), '{ programWebhooks { organizationKey url } }')).data!.programWebhooks.find(
          (w: { organizationKey: string }) => w.organizationKey === program.key,
        ).url,
        [`PROGRAM_WEBHOOK_SECRET_${envKey(program.key)}`]: SECRET,
        PROGRAM_WEBHOOK_POLL_INTERVAL_MS: '100',
        PROGRAM_WEBHOOK_RETRY_BASE_MS: '200',
      },
      t.idp,
    );
    try {
      const disclosures = [await emergency(desk), await emergency(desk), await emergency(desk)];
      // Both instances' rounds, and two more started at once by hand.
      await Promise.all([t.app.get(ProgramNotifier).deliverDue(), second.app.get(ProgramNotifier).deliverDue()]);
      for (const disclosure of disclosures) await until(async () => (await outboxOf(disclosure.emergencyDisclosureId))[0]?.delivered);
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const disclosure of disclosures) {
        expect(receiver.received.filter((r) => JSON.parse(r.raw).emergencyDisclosureId === disclosure.emergencyDisclosureId)).toHaveLength(1);
      }
    } finally {
      await second.built.close();
    }
  });
});
