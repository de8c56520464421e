/**
 * bench:audit — the audit ledger at scale. Seeds 1,000,000 events over 12 months (10,000
 * patients; a fifth of the events are disclosures), then measures, against the production-mode
 * service: p50/p99 of auditEvents filtered by patient and by actor (page of 50) and of
 * accountingOfDisclosures; how fast the sealer chains the backlog; the verification rate; and
 * whether sealing keeps up with 500 appends/s. Goals (2-core machine): each review query p99
 * <= 50 ms; verification >= 100,000 events/s; sealing keeps up with 500 appends/s.
 */
import { cpus } from 'node:os';
import type { JSONWebKeySet } from 'jose';
import { sqlOverPg } from '@libs/database/sql.js';
import { AuditRepository } from '@libs/ledger/audit.repository.js';
import { verifyAuditLedger } from '@libs/ledger/audit-verifier.js';
import { parallelEventsChecker } from '@libs/ledger/audit-verify-parallel.js';
import { BenchStack, figuresLine, graphqlLoad, type LoadFigures, loadTest, machineDescription, runBenchmark, writeReport } from './harness.js';
import { seedPatients } from './seed.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const APPEND_RATE = 500;
const APPEND_SECONDS = Number(process.env.BENCH_APPEND_SECONDS ?? 20);
const ACTORS = 2_000;

const BY_PATIENT = 'query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 50) { nodes { id sequence occurredAt action outcome actorSubject patientIds } pageInfo { endCursor hasNextPage } } }';
const ACCOUNTING = 'query($patientId: ID!) { accountingOfDisclosures(patientId: $patientId) { disclosureId disclosedAt recipient { organizationName personName } description legalBasis } }';

type Patients = Array<{ id: string; key: string }>;

/** Seeds EVENTS events in time order over the last 365 days; one in five a disclosure of a random patient. */
async function seedEvents(stack: BenchStack, agencyKey: string, patients: Patients): Promise<number> {
  process.stdout.write(`seeding ${EVENTS.toLocaleString()} audit events over 12 months...\n`);
  const seedStart = Date.now();
  const batch = 100_000;
  for (let done = 0; done < EVENTS; done += batch) {
    const n = Math.min(batch, EVENTS - done);
    await stack.pool.query(
      `INSERT INTO audit_event (occurred_at, action, outcome, actor_sub, actor_org, actor_roles, actor_name, patient_ids,
         subject_org_keys, incident_number, purpose, basis, consent_ids, disclosed_categories, policy_version, policy_rule, details)
       SELECT now() - interval '365 days' + (($1::bigint + g) * interval '365 days' / $2::bigint),
         CASE WHEN g % 5 = 0 THEN 'responderLookup' WHEN g % 5 = 1 THEN 'patients' WHEN g % 5 = 2 THEN 'responderLookup' WHEN g % 5 = 3 THEN 'recordEnrollment' ELSE 'consent' END,
         CASE WHEN g % 5 = 0 THEN 'DISCLOSED' WHEN g % 5 = 2 THEN 'NOT_DISCLOSED' ELSE 'SUCCESS' END,
         'bench-actor-' || (g % ${ACTORS}), $3, ARRAY['responder'], 'Bench Actor',
         CASE WHEN g % 5 = 0 THEN ARRAY[($4::uuid[])[1 + (g * 7919) % array_length($4::uuid[], 1)]] ELSE '{}'::uuid[] END,
         CASE WHEN g % 5 = 0 THEN ARRAY[($5::text[])[1 + (g * 7919) % array_length($5::text[], 1)]] ELSE '{}'::text[] END,
         'BENCH-' || (g % 10000), 'CRISIS_RESPONSE', 'CONSENT', '{}', ARRAY['TREATMENT_STATUS'], 1, 'responder@1#0',
         jsonb_build_object('searchedIdentity', md5(g::text))
       FROM generate_series(1, $6::bigint) AS g`,
      [done, EVENTS, agencyKey, patients.map((p) => p.id), patients.map((p) => p.key), n],
    );
    process.stdout.write(`  ${(done + n).toLocaleString()}\n`);
  }
  // What autovacuum would have done by now on a live system (it also flushes the GIN pending list).
  await stack.pool.query('VACUUM ANALYZE audit_event');
  return (Date.now() - seedStart) / 1000;
}

/** Seconds until the sealer has sealed every event there is now, polling every `everyMs`. */
async function sealedAll(stack: BenchStack, everyMs: number, giveUpMs = 900_000): Promise<number> {
  const start = Date.now();
  const target = BigInt((await stack.pool.query<{ max: string }>('SELECT max(sequence)::text AS max FROM audit_event')).rows[0].max);
  for (;;) {
    const last = BigInt((await stack.pool.query<{ last: string | null }>('SELECT max(last_sequence)::text AS last FROM audit_checkpoint')).rows[0].last ?? '0');
    if (last >= target) return (Date.now() - start) / 1000;
    if (Date.now() - start > giveUpMs) throw new Error('sealing did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The service's sealer (every second) chains the backlog: how long it took, and its own pace from the checkpoints it signed. */
async function sealing(stack: BenchStack) {
  const secondsAfterSeedEnded = await sealedAll(stack, 250);
  // The sealer works while the seed is still being written; its own pace is read from the
  // checkpoints it signed: events sealed over the time between the first and the last of them.
  const pace = (
    await stack.pool.query<{ events: string; seconds: number }>(
      `SELECT sum(event_count)::text AS events, EXTRACT(EPOCH FROM max(sealed_at) - min(sealed_at))::float AS seconds FROM audit_checkpoint`,
    )
  ).rows[0];
  return { secondsAfterSeedEnded, events: Number(pace.events), checkpointsSpanSeconds: pace.seconds, eventsPerSecond: Number(pace.events) / Math.max(pace.seconds, 0.001) };
}

/** p50/p99 of the review queries, as an oversight body's officer and the providers' staff ask them. */
async function reviewQueries(stack: BenchStack, organizations: { oversight: string; providers: string[] }, patients: Patients) {
  const officer = await stack.mint({ sub: 'bench-officer', org: organizations.oversight, roles: ['compliance_officer'], expiresIn: 7200 });
  const staffTokens = new Map<string, string>();
  for (const key of organizations.providers) staffTokens.set(key, await stack.mint({ sub: `bench-staff-${key}`, org: key, roles: ['provider_staff'], expiresIn: 7200 }));
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
  const common = { url: stack.url, connections: CONNECTIONS, duration: DURATION };
  const byPatient = await loadTest({ ...common, requests: [graphqlLoad(() => ({ token: officer, query: BY_PATIENT, variables: { filter: { patientId: pick(patients).id } } }))] });
  const actor = () => `bench-actor-${Math.floor(Math.random() * ACTORS)}`;
  const byActor = await loadTest({ ...common, requests: [graphqlLoad(() => ({ token: officer, query: BY_PATIENT, variables: { filter: { actorSubject: actor() } } }))] });
  const accounting = await loadTest({
    ...common,
    requests: [
      graphqlLoad(() => {
        const patient = pick(patients);
        return { token: staffTokens.get(patient.key)!, query: ACCOUNTING, variables: { patientId: patient.id } };
      }),
    ],
  });
  return { connections: CONNECTIONS, durationSeconds: DURATION, byPatient, byActor, accounting };
}

/** The offline verifier over the whole sealed ledger, with its worker threads. */
async function verification(stack: BenchStack) {
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const keys = (await (await fetch(`${stack.url}/.well-known/audit-keys.json`)).json()) as JSONWebKeySet;
  const client = await stack.pool.connect();
  const start = Date.now();
  try {
    const url = (stack.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    const result = await verifyAuditLedger(new AuditRepository().readerOn(sqlOverPg(client)), keys, {}, { checker: parallelEventsChecker(url) ?? undefined });
    const seconds = (Date.now() - start) / 1000;
    return { ...result, seconds, eventsPerSecond: result.eventsChecked / seconds };
  } finally {
    client.release();
  }
}

/** Sealing under APPEND_RATE appends/s: append at that rate for a while, sampling how far behind the seal is. */
async function appendLoad(stack: BenchStack) {
  const lags: number[] = [];
  const start = Date.now();
  let appended = 0;
  const sampler = setInterval(() => {
    stack.pool
      .query<{ lag: string }>(
        `SELECT COALESCE(EXTRACT(EPOCH FROM (clock_timestamp() - min(e.occurred_at))), 0)::text AS lag FROM audit_event e
         WHERE e.sequence > (SELECT COALESCE(max(last_sequence), 0) FROM audit_checkpoint) AND e.occurred_at > now() - interval '1 hour'`,
      )
      .then((r) => lags.push(Number(r.rows[0].lag)), () => undefined);
  }, 500);
  while (Date.now() - start < APPEND_SECONDS * 1000) {
    const tick = Date.now();
    await Promise.all(
      Array.from({ length: APPEND_RATE / 10 }, () =>
        stack.pool.query(`SELECT audit_append('benchAppend', 'SUCCESS', 'bench-writer', 'bench', ARRAY['system'], 'bench', '{}', '{}', NULL, NULL, NULL, '{}', '{}', NULL, NULL, NULL, '{}')`),
      ),
    );
    appended += APPEND_RATE / 10;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - tick))));
  }
  const seconds = (Date.now() - start) / 1000;
  clearInterval(sampler);
  return { targetPerSecond: APPEND_RATE, achievedPerSecond: appended / seconds, seconds, maxSealLagSeconds: Math.max(...lags), drainSeconds: await sealedAll(stack, 100) };
}

type Report = {
  machine: string;
  seedSeconds: number;
  sealing: Awaited<ReturnType<typeof sealing>>;
  reviewQueries: Awaited<ReturnType<typeof reviewQueries>>;
  verification: Awaited<ReturnType<typeof verification>>;
  appendLoad: Awaited<ReturnType<typeof appendLoad>>;
  goals: { reviewMet: boolean; verificationMet: boolean; sealingKeepsUp: boolean };
};

function print(report: Report): void {
  const { sealing: seal, reviewQueries: review, verification: verified, appendLoad: load } = report;
  process.stdout.write(
    [
      '',
      `bench:audit — ${report.machine}; ${EVENTS.toLocaleString()} events over 12 months (seeded in ${report.seedSeconds.toFixed(0)} s)`,
      `sealing: all sealed ${seal.secondsAfterSeedEnded.toFixed(1)} s after the seed ended; ${seal.events.toLocaleString()} events in checkpoints signed over ${seal.checkpointsSpanSeconds.toFixed(1)} s (at least ${seal.eventsPerSecond.toFixed(0)} events/s; the sealer waits for the seed's transactions)`,
      figuresLine('auditEvents by patient (50)', review.byPatient, 34),
      figuresLine('auditEvents by actor (50)', review.byActor, 34),
      figuresLine('accountingOfDisclosures', review.accounting, 34),
      `verification: ${verified.valid ? 'valid' : 'INVALID'}, ${verified.eventsChecked.toLocaleString()} events, ${verified.checkpointsChecked} checkpoints in ${verified.seconds.toFixed(1)} s = ${verified.eventsPerSecond.toFixed(0)} events/s`,
      `appends at ${load.achievedPerSecond.toFixed(0)}/s for ${load.seconds.toFixed(0)} s: sealed at most ${load.maxSealLagSeconds.toFixed(1)} s behind; drained ${load.drainSeconds.toFixed(1)} s after the load stopped`,
      `goals: review p99 <= 50 ms ${report.goals.reviewMet ? 'met' : 'NOT met'}; verification >= 100,000 events/s ${report.goals.verificationMet ? 'met' : 'NOT met'}; sealing keeps up ${report.goals.sealingKeepsUp ? 'yes' : 'NO'}`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const stack = await BenchStack.start({ AUDIT_SEAL_INTERVAL_MS: '1000' });
  try {
    const providers = [await stack.organization('TREATMENT_PROVIDER', true), await stack.organization('TREATMENT_PROVIDER'), await stack.organization('TREATMENT_PROVIDER')];
    const agency = await stack.organization('RESPONDER_AGENCY');
    const oversight = await stack.organization('OVERSIGHT');
    await seedPatients(stack.pool, stack.cipher, providers, agency, 10_000);
    const patients = (await stack.pool.query<{ id: string; key: string }>('SELECT p.id, o.key FROM patient p JOIN organization o ON o.id = p.organization_id')).rows;
    await stack.pool.query('SELECT audit_event_ensure_partitions(-12, 3)');
    const seedSeconds = await seedEvents(stack, agency.key, patients);
    const sealed = await sealing(stack);
    const review = await reviewQueries(stack, { oversight: oversight.key, providers: providers.map((p) => p.key) }, patients);
    const verified = await verification(stack);
    const load = await appendLoad(stack);
    const worstReview = Math.max(...[review.byPatient, review.byActor, review.accounting].map((f: LoadFigures) => f.p99));
    const report = {
      benchmark: 'bench:audit',
      date: new Date().toISOString(),
      machine: `${machineDescription()}, ${cpus().length} cores`,
      events: EVENTS,
      seedSeconds,
      sealing: sealed,
      reviewQueries: review,
      verification: verified,
      appendLoad: load,
      goals: {
        reviewP99AtMostMs: 50,
        reviewMet: worstReview <= 50,
        verificationAtLeastPerSecond: 100_000,
        verificationMet: verified.eventsPerSecond >= 100_000,
        sealingKeepsUp: load.maxSealLagSeconds < 10,
      },
    };
    print(report);
    await writeReport('audit', report);
  } finally {
    await stack.stop();
  }
}

runBenchmark(main);
