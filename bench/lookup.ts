/**
 * bench:lookup — throughput and latency of responderLookup against an authenticated
 * `{ __typename }` baseline, on the same server, connections and duration.
 * 10,000 patients at three providers, consents naming the agency for half; random identities,
 * hits and misses. Goals (2-core machine): lookup >= 40% of the baseline's requests/s, p99 <= 50 ms.
 */
import { cpus } from 'node:os';
import { BenchStack, figuresLine, graphqlLoad, type LoadFigures, loadTest, machineDescription, runBenchmark, writeReport } from './harness.js';
import { identity, seedPatients } from './seed.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 10_000);
const RESPONDERS = 64;

const LOOKUP = 'query($input: LookupInput!) { responderLookup(input: $input) { outcome disclosureId asOf records { programName inTreatment careTeam { name phone } engagementNotes consentScope basis } redisclosureNotice } }';
const NOT_MEASURED: LoadFigures = { requestsPerSecond: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN, errors: 0, non2xx: 0, total: 0 };

/** The seeded people and the responders' tokens, checked: a consented person is disclosed, an unknown one is not. */
async function setUp(stack: BenchStack): Promise<string[]> {
  const providers = [await stack.organization('TREATMENT_PROVIDER', true), await stack.organization('TREATMENT_PROVIDER'), await stack.organization('TREATMENT_PROVIDER')];
  const agency = await stack.organization('RESPONDER_AGENCY');
  process.stdout.write(`seeding ${PATIENTS} patients at 3 providers...\n`);
  const seedStart = Date.now();
  await seedPatients(stack.pool, stack.cipher, providers, agency, PATIENTS);
  process.stdout.write(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);
  const tokens = await Promise.all(Array.from({ length: RESPONDERS }, (_, i) => stack.mint({ sub: `bench-responder-${i}`, org: agency.key, roles: ['responder'], name: `Responder ${i}`, expiresIn: 3600 })));
  const hit = await stack.graphql(tokens[0], LOOKUP, { input: { ...identity(0), incidentNumber: 'BENCH-1', purpose: 'CRISIS_RESPONSE' } });
  const miss = await stack.graphql(tokens[0], LOOKUP, { input: { ...identity(PATIENTS + 7), incidentNumber: 'BENCH-1', purpose: 'CRISIS_RESPONSE' } });
  if (hit.data?.responderLookup?.outcome !== 'INFORMATION_AVAILABLE' || miss.data?.responderLookup?.outcome !== 'NO_INFORMATION') {
    throw new Error(`sanity check failed: ${JSON.stringify({ hit, miss }).slice(0, 500)}`);
  }
  return tokens;
}

/** The baseline, then the lookups, on the same server, connections and duration. */
async function measure(stack: BenchStack, tokens: string[]): Promise<{ baseline: LoadFigures; lookup: LoadFigures }> {
  let n = 0;
  const common = { url: stack.url, connections: CONNECTIONS, duration: DURATION };
  const baseline =
    process.env.BENCH_ONLY === 'lookup' ? NOT_MEASURED : await loadTest({ ...common, requests: [graphqlLoad(() => ({ token: tokens[n++ % RESPONDERS], query: '{ __typename }' }))] });
  const lookup = await loadTest({
    ...common,
    requests: [
      graphqlLoad(() => {
        // Half the asks are for seeded people (of whom half consented), half for nobody.
        const i = Math.floor(Math.random() * PATIENTS * 2);
        return { token: tokens[n++ % RESPONDERS], query: LOOKUP, variables: { input: { ...identity(i), incidentNumber: `BENCH-${i % 1000}`, purpose: 'CRISIS_RESPONSE' } } };
      }),
    ],
  });
  return { baseline, lookup };
}

async function main(): Promise<void> {
  const started = Date.now();
  const stack = await BenchStack.start();
  try {
    const { baseline, lookup } = await measure(stack, await setUp(stack));
    const outcomes = await stack.pool.query(`SELECT outcome, count(*)::int AS n FROM audit_event WHERE action = 'responderLookup' GROUP BY outcome ORDER BY outcome`);
    const ratio = lookup.requestsPerSecond / baseline.requestsPerSecond;
    const report = {
      benchmark: 'bench:lookup',
      date: new Date().toISOString(),
      machine: `${machineDescription()}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'})`,
      database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL (durable settings)',
      patients: PATIENTS,
      durationSeconds: DURATION,
      connections: CONNECTIONS,
      baseline,
      lookup,
      lookupOutcomes: Object.fromEntries(outcomes.rows.map((r) => [r.outcome, r.n])),
      ratio,
      goals: { ratioAtLeast: 0.4, p99AtMostMs: 50, ratioMet: ratio >= 0.4, p99Met: lookup.p99 <= 50 },
      totalSeconds: (Date.now() - started) / 1000,
    };
    process.stdout.write(
      [
        '',
        `bench:lookup — ${report.machine}; ${report.database}; ${PATIENTS} patients; ${CONNECTIONS} connections x ${DURATION} s each`,
        figuresLine('{ __typename } (auth)', baseline),
        figuresLine('responderLookup', lookup),
        `lookup / baseline = ${(ratio * 100).toFixed(1)}% (goal >= 40%: ${report.goals.ratioMet ? 'met' : 'NOT met'}); lookup p99 ${lookup.p99} ms (goal <= 50 ms: ${report.goals.p99Met ? 'met' : 'NOT met'})`,
        `lookup outcomes audited: ${JSON.stringify(report.lookupOutcomes)}`,
        '',
      ].join('\n'),
    );
    await writeReport('lookup', report);
  } finally {
    await stack.stop();
  }
}

runBenchmark(main);
