/**
 * bench:audit — the audit ledger at scale. Seeds 1,000,000 events over 12 months (10,000
 * patients; a fifth of the events are disclosures), then measures, against the production-mode
 * service: p50/p99 of auditEvents filtered by patient and by actor (page of 50) and of
 * accountingOfDisclosures; how fast the sealer chains the backlog; the verification rate; and
 * whether sealing keeps up with 500 appends/s. Goals (2-core machine): each review query p99
 * <= 50 ms; verification >= 100,000 events/s; sealing keeps up with 500 appends/s.
 */
import autocannon from 'autocannon';
import { cpus } from 'node:os';
import type { JSONWebKeySet } from 'jose';
import { sqlOverPg } from '@libs/database/sql.js';
import { AuditRepository } from '@libs/ledger/audit.repository.js';
import { verifyAuditLedger } from '@libs/ledger/audit-verifier.js';
import { parallelEventsChecker } from '@libs/ledger/audit-verify-parallel.js';
import { BenchStack, machineDescription, runBenchmark, writeReport } from './harness.js';
import { seedPatients } from './seed.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const APPEND_RATE = 500;
const APPEND_SECONDS = Number(process.env.BENCH_APPEND_SECONDS ?? 20);
const ACTORS = 2_000;

const BY_PATIENT = 'query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 50) { nodes { id sequence occurredAt action outcome actorSubject patientIds } pageInfo { endCursor hasNextPage } } }';
const ACCOUNTING = 'query($patientId: ID!) { accountingOfDisclosures(patientId: $patientId) { disclosureId disclosedAt recipient { organizationName personName } description legalBasis } }';

function run(options: autocannon.Options): Promise<{ rps: number; p50: number; p99: number; errors: number; non2xx: number; total: number }> {
  return new Promise((resolve, reject) =>
    autocannon(options, (error, r) =>
      error ? reject(error) : resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, total: r.requests.total }),
    ),
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

    process.stdout.write(`seeding ${EVENTS.toLocaleString()} audit events over 12 months...\n`);
    const seedStart = Date.now();
    const batch = 100_000;
    for (let done = 0; done < EVENTS; done += batch) {
      const n = Math.min(batch, EVENTS - done);
      // In time order, spread over the last 365 days; one in five a disclosure of a random patient.
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
        [done, EVENTS, agency.key, patients.map((p) => p.id), patients.map((p) => p.key), n],
      );
      process.stdout.write(`  ${(done + n).toLocaleString()}\n`);
    }
    // What autovacuum would have done by now on a live system (it also flushes the GIN pending list).
    await stack.pool.query('VACUUM ANALYZE audit_event');
    const seedSeconds = (Date.now() - seedStart) / 1000;

    // The service's sealer (every second) chains the backlog; measure how fast.
    const sealStart = Date.now();
    const target = BigInt((await stack.pool.query<{ max: string }>('SELECT max(sequence)::text AS max FROM audit_event')).rows[0].max);
    for (;;) {
      const last = BigInt((await stack.pool.query<{ last: string | null }>('SELECT max(last_sequence)::text AS last FROM audit_checkpoint')).rows[0].last ?? '0');
      if (last >= target) break;
      if (Date.now() - sealStart > 900_000) throw new Error('sealing did not finish in 15 minutes');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const sealSeconds = (Date.now() - sealStart) / 1000;
    // The sealer works while the seed is still being written; its own pace is read from the
    // checkpoints it signed: events sealed over the time between the first and the last of them.
    const pace = (
      await stack.pool.query<{ events: string; seconds: number }>(
        `SELECT sum(event_count)::text AS events, EXTRACT(EPOCH FROM max(sealed_at) - min(sealed_at))::float AS seconds FROM audit_checkpoint`,
      )
    ).rows[0];

    // Production asks every role for multi-factor sign-in (AUTH_MFA_ROLES): the tokens say so.
    const officer = await stack.mint({ sub: 'bench-officer', org: oversight.key, roles: ['compliance_officer'], expiresIn: 7200 });
    const staffTokens = new Map<string, string>();
    for (const provider of providers) staffTokens.set(provider.key, await stack.mint({ sub: `bench-staff-${provider.key}`, org: provider.key, roles: ['provider_staff'], expiresIn: 7200 }));
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
    const request = (body: () => { token: string; query: string; variables: unknown }): autocannon.Request => ({
      method: 'POST',
      path: '/graphql',
      setupRequest: (req) => {
        const { token, query, variables } = body();
        return { ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) };
      },
    });
    const common = { url: stack.url, connections: CONNECTIONS, duration: DURATION };
    const byPatient = await run({ ...common, requests: [request(() => ({ token: officer, query: BY_PATIENT, variables: { filter: { patientId: pick(patients).id } } }))] });
    const byActor = await run({ ...common, requests: [request(() => ({ token: officer, query: BY_PATIENT, variables: { filter: { actorSubject: `bench-actor-${Math.floor(Math.random() * ACTORS)}` } } }))] });
    const accounting = await run({
      ...common,
      requests: [
        request(() => {
          const patient = pick(patients);
          return { token: staffTokens.get(patient.key)!, query: ACCOUNTING, variables: { patientId: patient.id } };
        }),
      ],
    });

    // Verification rate: the offline verifier over the whole sealed ledger.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const keys = (await (await fetch(`${stack.url}/.well-known/audit-keys.json`)).json()) as JSONWebKeySet;
    const client = await stack.pool.connect();
    let verification;
    const verifyStart = Date.now();
    try {
      const url = (stack.pool as unknown as { options: { connectionString: string } }).options.connectionString;
      verification = await verifyAuditLedger(new AuditRepository().readerOn(sqlOverPg(client)), keys, {}, { checker: parallelEventsChecker(url) ?? undefined });
    } finally {
      client.release();
    }
    const verifySeconds = (Date.now() - verifyStart) / 1000;

    // Sealing under 500 appends/s: append at that rate for a while, sampling how far behind the seal is.
    const lags: number[] = [];
    const appendStart = Date.now();
    let appended = 0;
    const sampler = setInterval(() => {
      stack.pool
        .query<{ lag: string }>(
          `SELECT COALESCE(EXTRACT(EPOCH FROM (clock_timestamp() - min(e.occurred_at))), 0)::text AS lag FROM audit_event e
           WHERE e.sequence > (SELECT COALESCE(max(last_sequence), 0) FROM audit_checkpoint) AND e.occurred_at > now() - interval '1 hour'`,
        )
        .then((r) => lags.push(Number(r.rows[0].lag)), () => undefined);
    }, 500);
    while (Date.now() - appendStart < APPEND_SECONDS * 1000) {
      const tick = Date.now();
      await Promise.all(
        Array.from({ length: APPEND_RATE / 10 }, () =>
          stack.pool.query(`SELECT audit_append('benchAppend', 'SUCCESS', 'bench-writer', 'bench', ARRAY['system'], 'bench', '{}', '{}', NULL, NULL, NULL, '{}', '{}', NULL, NULL, NULL, '{}')`),
        ),
      );
      appended += APPEND_RATE / 10;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - tick))));
    }
    const appendSeconds = (Date.now() - appendStart) / 1000;
    clearInterval(sampler);
    const maxLag = Math.max(...lags);
    const finalLagStart = Date.now();
    const appendTarget = BigInt((await stack.pool.query<{ max: string }>('SELECT max(sequence)::text AS max FROM audit_event')).rows[0].max);
    for (;;) {
      const last = BigInt((await stack.pool.query<{ last: string | null }>('SELECT max(last_sequence)::text AS last FROM audit_checkpoint')).rows[0].last ?? '0');
      if (last >= appendTarget) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const drainSeconds = (Date.now() - finalLagStart) / 1000;

    const report = {
      benchmark: 'bench:audit',
      date: new Date().toISOString(),
      machine: `${machineDescription()}, ${cpus().length} cores`,
      events: EVENTS,
      seedSeconds,
      sealing: { secondsAfterSeedEnded: sealSeconds, checkpointsSpanSeconds: pace.seconds, eventsPerSecond: Number(pace.events) / Math.max(pace.seconds, 0.001) },
      reviewQueries: { connections: CONNECTIONS, durationSeconds: DURATION, byPatient, byActor, accounting },
      verification: { ...verification, seconds: verifySeconds, eventsPerSecond: (verification?.eventsChecked ?? 0) / verifySeconds },
      appendLoad: { targetPerSecond: APPEND_RATE, achievedPerSecond: appended / appendSeconds, seconds: appendSeconds, maxSealLagSeconds: maxLag, drainSeconds },
      goals: {
        reviewP99AtMostMs: 50,
        reviewMet: Math.max(byPatient.p99, byActor.p99, accounting.p99) <= 50,
        verificationAtLeastPerSecond: 100_000,
        verificationMet: (verification?.eventsChecked ?? 0) / verifySeconds >= 100_000,
        sealingKeepsUp: maxLag < 10,
      },
    };
    const line = (name: string, f: { rps: number; p50: number; p99: number; errors: number; non2xx: number }) =>
      `${name.padEnd(34)} ${f.rps.toFixed(0).padStart(6)} req/s   p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   errors ${f.errors} non-2xx ${f.non2xx}`;
    process.stdout.write(
      [
        '',
        `bench:audit — ${report.machine}; ${EVENTS.toLocaleString()} events over 12 months (seeded in ${seedSeconds.toFixed(0)} s)`,
        `sealing: all sealed ${sealSeconds.toFixed(1)} s after the seed ended; ${Number(pace.events).toLocaleString()} events in checkpoints signed over ${pace.seconds.toFixed(1)} s (at least ${report.sealing.eventsPerSecond.toFixed(0)} events/s; the sealer waits for the seed's transactions)`,
        line('auditEvents by patient (50)', byPatient),
        line('auditEvents by actor (50)', byActor),
        line('accountingOfDisclosures', accounting),
        `verification: ${verification?.valid ? 'valid' : 'INVALID'}, ${verification?.eventsChecked.toLocaleString()} events, ${verification?.checkpointsChecked} checkpoints in ${verifySeconds.toFixed(1)} s = ${report.verification.eventsPerSecond.toFixed(0)} events/s`,
        `appends at ${report.appendLoad.achievedPerSecond.toFixed(0)}/s for ${appendSeconds.toFixed(0)} s: sealed at most ${maxLag.toFixed(1)} s behind; drained ${drainSeconds.toFixed(1)} s after the load stopped`,
        `goals: review p99 <= 50 ms ${report.goals.reviewMet ? 'met' : 'NOT met'}; verification >= 100,000 events/s ${report.goals.verificationMet ? 'met' : 'NOT met'}; sealing keeps up ${report.goals.sealingKeepsUp ? 'yes' : 'NO'}`,
        '',
      ].join('\n'),
    );
    await writeReport('audit', report);
  } finally {
    await stack.stop();
  }
}

runBenchmark(main);
