// PostgreSQL failing over or restarting under load (issue 9): the requests in flight are
// answered UNAVAILABLE with nothing disclosed (C17, C3), the process survives, readiness says
// the database is gone, and the service answers again once it is back.
import { PARTNERSHIP_IN_FORCE_SQL } from '@libs/testing/partnership-fixture.js';
import type pg from 'pg';
import request from 'supertest';
import { closeSql } from './support/database.js';
import { adminSession, DatabaseLink, isolatedDatabase, terminateBackends } from './support/database-outage.js';
import { LOOKUP, lookupInput, person, ProviderDesk } from './support/scenario.js';
import { type GraphqlAnswer, TestApp, type TestOrganization } from './support/test-app.js';

const UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable';

/** Errors that escape every handler: in production each one would end the process. */
function watchProcess() {
  const escaped: Array<{ kind: string; message: string; code?: string }> = [];
  const record = (kind: string) => (error: unknown) => {
    const e = error as { message?: string; code?: string };
    escaped.push({ kind, message: String(e?.message ?? error), code: e?.code });
  };
  const onException = record('uncaughtException');
  const onRejection = record('unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return {
    escaped,
    stop() {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    },
  };
}

async function eventually<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('when PostgreSQL drops the service\'s connections', () => {
  let database: Awaited<ReturnType<typeof isolatedDatabase>>;
  let link: DatabaseLink;
  let admin: pg.Client;
  let t: TestApp;
  let agency: TestOrganization;
  let responder: string;
  let consented: ReturnType<typeof person>;

  async function organization(kind: TestOrganization['kind'], part2Program = false): Promise<TestOrganization> {
    const key = `${kind.toLowerCase().replace(/_/g, '-')}-${Math.random().toString(16).slice(2, 10)}`;
    const name = `Test ${kind} ${key.slice(-8)}`;
    const { rows } = await admin.query<{ id: string }>(
      `INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, $3, $4, 'test-fixture') RETURNING id`,
      [key, name, kind, part2Program],
    );
    return { id: rows[0].id, key, name, kind };
  }

  const lookup = (who: { givenName: string; familyName: string; dateOfBirth: string }) => t.graphql(responder, LOOKUP, { input: lookupInput(who) });

  /** The answer is a lookup result, or UNAVAILABLE with a fixed message and nothing else (C3, C17). */
  function expectAnswerOrUnavailable(answer: GraphqlAnswer, who: { familyName: string }): 'answered' | 'unavailable' {
    const result = answer.data?.responderLookup;
    if (result && !answer.errors) {
      expect(answer.status).toBe(200);
      return 'answered';
    }
    expect([200, 503]).toContain(answer.status);
    expect(answer.errors).toEqual([expect.objectContaining({ message: UNAVAILABLE_MESSAGE, extensions: { code: 'UNAVAILABLE' } })]);
    expect(result ?? null).toBeNull();
    const text = JSON.stringify(answer.body);
    expect(text).not.toContain(who.familyName);
    expect(text).not.toMatch(/555 0100|Jordan Lee|Calm, slow|SELECT|INSERT|57P01|terminat/i);
    return 'unavailable';
  }

  beforeAll(async () => {
    database = await isolatedDatabase();
    // The service reaches its database only through the link, which a test can cut.
    const opened = await DatabaseLink.open(database.url);
    link = opened.link;
    // Hundreds of lookups by one responder: the per-person rate limit is not what is tested here.
    t = await TestApp.start({ DATABASE_URL: opened.url, LOOKUP_RATE_LIMIT_PER_HOUR: '100000' });
    admin = await adminSession(database.url);
    agency = await organization('RESPONDER_AGENCY');
    responder = await t.token('responder', agency, { sub: 'resilience-responder', name: 'Robin Responder' });
    const provider = await organization('TREATMENT_PROVIDER', true);
    // Issue 15: the consent below may name the agency only under an agreement in force.
    await admin.query(PARTNERSHIP_IN_FORCE_SQL, [provider.id, agency.id, 'test-fixture']);
    const desk = new ProviderDesk(async (tok, query, variables) => (await t.graphql(tok, query, variables)).body, provider, await t.token('provider_staff', provider));
    ({ who: consented } = await desk.consentedPatient([agency]));
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await link?.cut();
    await admin?.end().catch(() => undefined);
    await database?.drop();
    await closeSql();
  }, 30_000);

  it('answers UNAVAILABLE while its backends are terminated under load, never dies, and recovers (C17)', async () => {
    const watch = watchProcess();
    try {
      const strangers = Array.from({ length: 3 }, () => person());
      const answers: Array<{ answer: GraphqlAnswer; who: ReturnType<typeof person> }> = [];
      const readiness: Array<{ status: number; body: unknown }> = [];
      let storming = true;
      let terminated = 0;
      const storm = (async () => {
        const until = Date.now() + 4_000;
        while (Date.now() < until) {
          terminated += await terminateBackends(admin);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        storming = false;
      })();
      const responders = Array.from({ length: 8 }, async (_, i) => {
        while (storming) {
          const who = i % 2 === 0 ? consented : strangers[i % strangers.length];
          answers.push({ answer: await lookup(who), who });
        }
      });
      const prober = (async () => {
        while (storming) {
          const ready = await request(t.http).get('/health/ready');
          readiness.push({ status: ready.status, body: ready.body });
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      await Promise.all([storm, prober, ...responders]);

      expect(watch.escaped).toEqual([]);
      expect(terminated).toBeGreaterThan(0);
      const outcomes = answers.map(({ answer, who }) => expectAnswerOrUnavailable(answer, who));
      expect(outcomes).toContain('unavailable');
      for (const probe of readiness) expect(probe).toEqual(probe.status === 200 ? { status: 200, body: { status: 'ok' } } : { status: 503, body: { status: 'error' } });

      // C17: every answer that disclosed a record was audited, as a disclosure, before it was sent.
      const disclosed = answers.map(({ answer }) => answer.data?.responderLookup).filter((r) => r?.outcome === 'INFORMATION_AVAILABLE');
      expect(disclosed.length).toBeGreaterThan(0);
      const ids = disclosed.map((r) => r.disclosureId as string);
      const audited = await admin.query<{ id: string; outcome: string }>('SELECT id, outcome FROM audit_event WHERE id = ANY($1::uuid[])', [ids]);
      expect(new Map(audited.rows.map((r) => [r.id, r.outcome]))).toEqual(new Map(ids.map((id) => [id, 'DISCLOSED'])));

      // And afterwards it simply answers again.
      await eventually('ready again', async () => ((await request(t.http).get('/health/ready')).status === 200 ? true : undefined));
      const after = await lookup(consented);
      expect(after.errors).toBeUndefined();
      expect(after.data!.responderLookup.outcome).toBe('INFORMATION_AVAILABLE');
      expect(watch.escaped).toEqual([]);
    } finally {
      watch.stop();
    }
  }, 60_000);

  it('survives a connection terminated the moment it is opened, before anyone listens on it', async () => {
    const watch = watchProcess();
    try {
      // Fresh pool clients only: the ones already open are dropped first.
      await terminateBackends(admin);
      link.terminateNewConnectionsWhenReady(3);
      const answers = await Promise.all([consented, person(), consented].map(async (who) => ({ who, answer: await lookup(who) })));
      expect(answers.map(({ who, answer }) => expectAnswerOrUnavailable(answer, who))).toContain('unavailable');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(watch.escaped).toEqual([]);
      const after = await eventually('answering again', async () => {
        const answer = await lookup(consented);
        return answer.errors ? undefined : answer;
      });
      expect(after.data!.responderLookup.outcome).toBe('INFORMATION_AVAILABLE');
      expect(watch.escaped).toEqual([]);
    } finally {
      watch.stop();
    }
  }, 60_000);

  it('says the database is gone while it is unreachable, refuses lookups as UNAVAILABLE, and comes back with it', async () => {
    const watch = watchProcess();
    try {
      await link.cut();
      const ready = await request(t.http).get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'error' });
      expect((await request(t.http).get('/health/live')).status).toBe(200);
      for (const who of [consented, person()]) expect(expectAnswerOrUnavailable(await lookup(who), who)).toBe('unavailable');

      await link.restore();
      await eventually('ready again', async () => ((await request(t.http).get('/health/ready')).status === 200 ? true : undefined));
      const after = await lookup(consented);
      expect(after.errors).toBeUndefined();
      expect(after.data!.responderLookup.outcome).toBe('INFORMATION_AVAILABLE');
      expect(watch.escaped).toEqual([]);
    } finally {
      watch.stop();
      await link.restore();
    }
  }, 60_000);

  it('tells an anonymous caller of /health/ready up or down only: no indicators, no timings', async () => {
    const ready = await request(t.http).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok' });
    expect(ready.headers['cache-control']).toBe('no-store');
  });
});
