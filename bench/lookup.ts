/**
 * bench:lookup — cost, throughput and latency of responderLookup against an authenticated
 * `{ __typename }` baseline, in the same run: CPU per request (the service process plus its
 * PostgreSQL backends, from /proc), requests/s, p50/p99 and the service's peak RSS. Modes: every
 * lookup disclosing (the worst case) and today's mix (half unknown people, a quarter disclosing).
 * A second reference, `{ me { sub } }`, is the service's least audited operation: the same request
 * plus one durable audit append, the least any lookup must also do (docs/benchmarks.md).
 * Options (docs/benchmarks.md): --runs, --rounds, --duration, --connections, --patients,
 * --audit-events, --modes, --partnership, --warmup. Goals (issue 16): CPU per lookup <= 2.2 ms, throughput
 * >= 50% of the baseline's, p99 <= 50 ms, RSS <= 200 MB.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  BenchStack,
  type CpuFigures,
  figuresLine,
  graphqlLoad,
  type LoadFigures,
  loadTest,
  machineDescription,
  median,
  SERVICE_NODE_OPTIONS,
  serviceNode,
  runBenchmark,
  withCpu,
  writeReport,
} from './harness.js';
import { identity, seedAuditEvents, seedFillerPatients, seedPartnerships, seedPatients } from './seed.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: process.env.BENCH_RUNS ?? '1' },
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '1' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '20' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '16' },
    patients: { type: 'string', default: process.env.BENCH_PATIENTS ?? '10000' },
    'audit-events': { type: 'string', default: process.env.BENCH_AUDIT_EVENTS ?? '0' },
    modes: { type: 'string', default: process.env.BENCH_MODES ?? 'disclosing,mix' },
    partnership: { type: 'boolean', default: process.env.BENCH_PARTNERSHIP === '1' },
    label: { type: 'string', default: process.env.BENCH_LABEL ?? '' },
    node: { type: 'string', default: process.env.BENCH_SERVER_NODE ?? '' },
    warmup: { type: 'string', default: process.env.BENCH_WARMUP ?? '5' },
  },
});
if (args.node) process.env.BENCH_SERVER_NODE = args.node;

const RUNS = Number(args.runs);
const ROUNDS = Number(args.rounds);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const PATIENTS = Number(args.patients);
/** People seeded one by one with the service's own encryption; the lookups ask only for these (or for nobody). */
const LOOKED_UP = Math.min(PATIENTS, 10_000);
const AUDIT_EVENTS = Number(args['audit-events']);
const MODES = args.modes.split(',').filter(Boolean) as Mode[];
const RESPONDERS = 64;
/** Seconds of each load run once on a fresh stack before its first round, and not reported: the figures are of a warm service. */
const WARMUP = Number(args.warmup);

type Mode = 'disclosing' | 'mix';
const GOALS = { cpuMsAtMost: 2.2, ratioAtLeast: 0.5, p99AtMostMs: 50, rssAtMostMb: 200 };

const AUDITED_BASELINE = '{ me { sub } }';
const LOOKUP = 'query($input: LookupInput!) { responderLookup(input: $input) { outcome disclosureId asOf records { programName inTreatment careTeam { name phone } engagementNotes consentScope basis } redisclosureNotice } }';

type Measured = LoadFigures & { cpu: CpuFigures; outcomes?: Record<string, number> };
interface Round {
  run: number;
  round: number;
  loadAverage: number[];
  baseline: Measured;
  /** `{ me { sub } }`: an authenticated request that commits one audit record. */
  audited: Measured;
  lookups: Partial<Record<Mode, Measured & { ratio: number; auditedRatio: number }>>;
}

/** Who the next lookup asks for: a consented seeded person (disclosing), or half seeded (half of those consented) and half nobody (mix). */
function nextIdentity(mode: Mode): number {
  if (mode === 'disclosing') return 2 * Math.floor(Math.random() * Math.ceil(LOOKED_UP / 2));
  const i = Math.floor(Math.random() * LOOKED_UP * 2);
  return i < LOOKED_UP ? i : PATIENTS + i;
}

/** The seeded people and the responders' tokens, checked: a consented person is disclosed, an unknown one is not. */
async function setUp(stack: BenchStack): Promise<string[]> {
  const providers = [await stack.organization('TREATMENT_PROVIDER', true), await stack.organization('TREATMENT_PROVIDER'), await stack.organization('TREATMENT_PROVIDER')];
  const agency = await stack.organization('RESPONDER_AGENCY');
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  await seedPatients(stack.pool, stack.cipher, providers, agency, LOOKED_UP);
  if (PATIENTS > LOOKED_UP) await seedFillerPatients(stack.pool, stack.cipher, providers, agency, LOOKED_UP, PATIENTS);
  say(`seeded ${PATIENTS.toLocaleString()} people at 3 providers in ${seconds()} s`);
  if (args.partnership) await seedPartnerships(stack.pool, providers, agency);
  if (AUDIT_EVENTS > 0) {
    started = Date.now();
    await seedAuditEvents(stack.pool, agency.key, RESPONDERS, AUDIT_EVENTS, (done) => say(`  ${done.toLocaleString()} audit events`));
    say(`seeded ${AUDIT_EVENTS.toLocaleString()} audit events in ${seconds()} s; waiting for the sealer to chain them...`);
    started = Date.now();
    await sealedAll(stack);
    say(`sealed in ${seconds()} s`);
  }
  const tokens = await Promise.all(Array.from({ length: RESPONDERS }, (_, i) => stack.mint({ sub: `bench-responder-${i}`, org: agency.key, roles: ['responder'], name: `Responder ${i}`, expiresIn: 3 * 3600 })));
  const hit = await stack.graphql(tokens[0], LOOKUP, { input: { ...identity(0), incidentNumber: 'BENCH-1', purpose: 'CRISIS_RESPONSE' } });
  const miss = await stack.graphql(tokens[0], LOOKUP, { input: { ...identity(PATIENTS + 7), incidentNumber: 'BENCH-1', purpose: 'CRISIS_RESPONSE' } });
  if (hit.data?.responderLookup?.outcome !== 'INFORMATION_AVAILABLE' || miss.data?.responderLookup?.outcome !== 'NO_INFORMATION') {
    throw new Error(`sanity check failed: ${JSON.stringify({ hit, miss }).slice(0, 500)}`);
  }
  return tokens;
}

/** Waits until the sealer has chained every event there is now. */
async function sealedAll(stack: BenchStack): Promise<void> {
  const target = BigInt((await stack.pool.query<{ max: string }>('SELECT max(sequence)::text AS max FROM audit_event')).rows[0].max);
  for (const start = Date.now(); Date.now() - start < 1_800_000; ) {
    const last = BigInt((await stack.pool.query<{ last: string | null }>('SELECT max(last_sequence)::text AS last FROM audit_checkpoint')).rows[0].last ?? '0');
    if (last >= target) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error('sealing did not finish in time');
}

/** The lookup outcomes audited since `sequence`. */
async function outcomesSince(stack: BenchStack, sequence: string): Promise<Record<string, number>> {
  const rows = await stack.pool.query<{ outcome: string; n: number }>(`SELECT outcome, count(*)::int AS n FROM audit_event WHERE action = 'responderLookup' AND sequence > $1 GROUP BY outcome ORDER BY outcome`, [sequence]);
  return Object.fromEntries(rows.rows.map((r) => [r.outcome, r.n]));
}

async function lastSequence(stack: BenchStack): Promise<string> {
  return (await stack.pool.query<{ s: string }>(`SELECT COALESCE(max(sequence), 0)::text AS s FROM audit_event`)).rows[0].s;
}

/**
 * Each load once, unmeasured, on a service fresh from its start: V8 compiles the hot paths and
 * PostgreSQL fills its caches in the first seconds, which a long-running service has long done.
 */
async function warmUp(stack: BenchStack, tokens: string[]): Promise<void> {
  if (WARMUP <= 0) return;
  let n = 0;
  const common = { url: stack.url, connections: CONNECTIONS, duration: WARMUP };
  await loadTest({ ...common, requests: [graphqlLoad(() => ({ token: tokens[n++ % RESPONDERS], query: '{ __typename }' }))] });
  await loadTest({ ...common, requests: [graphqlLoad(() => ({ token: tokens[n++ % RESPONDERS], query: AUDITED_BASELINE }))] });
  for (const mode of MODES) {
    await loadTest({ ...common, requests: [graphqlLoad(() => ({ token: tokens[n++ % RESPONDERS], ...lookupRequest(mode) }))] });
  }
}

function lookupRequest(mode: Mode): { query: string; variables: unknown } {
  const i = nextIdentity(mode);
  return { query: LOOKUP, variables: { input: { ...identity(i), incidentNumber: `BENCH-${i % 1000}`, purpose: 'CRISIS_RESPONSE' } } };
}

/** One round: the baseline, then each mode's lookups, on the same server, connections and duration. */
async function round(stack: BenchStack, tokens: string[], run: number, index: number): Promise<Round> {
  let n = 0;
  const common = { url: stack.url, connections: CONNECTIONS, duration: DURATION };
  const baseline = await withCpu(stack, () => loadTest({ ...common, requests: [graphqlLoad(() => ({ token: tokens[n++ % RESPONDERS], query: '{ __typename }' }))] }));
  const audited = await withCpu(stack, () => loadTest({ ...common, requests: [graphqlLoad(() => ({ token: tokens[n++ % RESPONDERS], query: AUDITED_BASELINE }))] }));
  const lookups: Round['lookups'] = {};
  for (const mode of MODES) {
    const since = await lastSequence(stack);
    const measured = await withCpu(stack, () =>
      loadTest({
        ...common,
        requests: [graphqlLoad(() => ({ token: tokens[n++ % RESPONDERS], ...lookupRequest(mode) }))],
      }),
    );
    lookups[mode] = {
      ...measured,
      outcomes: await outcomesSince(stack, since),
      ratio: measured.requestsPerSecond / baseline.requestsPerSecond,
      auditedRatio: measured.requestsPerSecond / audited.requestsPerSecond,
    };
  }
  return { run, round: index, loadAverage: loadavg(), baseline, audited, lookups };
}

function cpuLine(name: string, m: Measured): string {
  const c = m.cpu;
  return `${name.padEnd(26)} CPU ${c.msPerRequest.toFixed(2)} ms/req (service ${c.serviceMsPerRequest.toFixed(2)} + PG ${c.backendMsPerRequest.toFixed(2)}; +${(c.msPerRequestWithBackground - c.msPerRequest).toFixed(2)} PG background; load generator ${c.loadGeneratorMsPerRequest.toFixed(2)})   RSS peak ${c.rssPeakMb.toFixed(0)} MB`;
}

function printRound(r: Round): void {
  const lines = [`run ${r.run}, round ${r.round} (load average ${r.loadAverage.map((l) => l.toFixed(1)).join(' ')})`, figuresLine('  { __typename } (auth)', r.baseline, 26), cpuLine('', r.baseline), figuresLine('  { me } (auth + audit)', r.audited, 26), cpuLine('', r.audited)];
  for (const mode of MODES) {
    const m = r.lookups[mode]!;
    lines.push(figuresLine(`  lookup, ${mode}`, m, 26), cpuLine('', m), `${''.padEnd(26)} ratio ${(m.ratio * 100).toFixed(1)}% of the baseline, ${(m.auditedRatio * 100).toFixed(1)}% of { me }; outcomes ${JSON.stringify(m.outcomes)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Medians over rounds, and whether each goal held in every round. */
function summarise(rounds: Round[]) {
  const byMode = Object.fromEntries(
    MODES.map((mode) => {
      const ms = rounds.map((r) => r.lookups[mode]!);
      const med = (f: (m: Measured & { ratio: number; auditedRatio: number }) => number) => median(ms.map(f));
      const summary = {
        cpuMsPerLookup: med((m) => m.cpu.msPerRequest),
        cpuRange: [Math.min(...ms.map((m) => m.cpu.msPerRequest)), Math.max(...ms.map((m) => m.cpu.msPerRequest))],
        serviceMs: med((m) => m.cpu.serviceMsPerRequest),
        postgresMs: med((m) => m.cpu.backendMsPerRequest),
        requestsPerSecond: med((m) => m.requestsPerSecond),
        ratio: med((m) => m.ratio),
        auditedRatio: med((m) => m.auditedRatio),
        auditedRatioRange: [Math.min(...ms.map((m) => m.auditedRatio)), Math.max(...ms.map((m) => m.auditedRatio))],
        ratioRange: [Math.min(...ms.map((m) => m.ratio)), Math.max(...ms.map((m) => m.ratio))],
        p50: med((m) => m.p50),
        p99: med((m) => m.p99),
        p99Range: [Math.min(...ms.map((m) => m.p99)), Math.max(...ms.map((m) => m.p99))],
        rssPeakMb: Math.max(...ms.map((m) => m.cpu.rssPeakMb)),
        goalsInEveryRound: {
          cpu: ms.every((m) => m.cpu.msPerRequest <= GOALS.cpuMsAtMost),
          ratio: ms.every((m) => m.ratio >= GOALS.ratioAtLeast),
          p99: ms.every((m) => m.p99 <= GOALS.p99AtMostMs),
          rss: ms.every((m) => m.cpu.rssPeakMb <= GOALS.rssAtMostMb),
        },
      };
      return [mode, summary];
    }),
  );
  const baseline = {
    cpuMsPerRequest: median(rounds.map((r) => r.baseline.cpu.msPerRequest)),
    loadGeneratorMsPerRequest: median(rounds.map((r) => r.baseline.cpu.loadGeneratorMsPerRequest)),
    requestsPerSecond: median(rounds.map((r) => r.baseline.requestsPerSecond)),
    p99: median(rounds.map((r) => r.baseline.p99)),
  };
  const audited = {
    cpuMsPerRequest: median(rounds.map((r) => r.audited.cpu.msPerRequest)),
    serviceMs: median(rounds.map((r) => r.audited.cpu.serviceMsPerRequest)),
    postgresMs: median(rounds.map((r) => r.audited.cpu.backendMsPerRequest)),
    requestsPerSecond: median(rounds.map((r) => r.audited.requestsPerSecond)),
    p99: median(rounds.map((r) => r.audited.p99)),
  };
  return { baseline, audited, byMode };
}

async function main(): Promise<void> {
  const started = Date.now();
  const rounds: Round[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const stack = await BenchStack.start();
    try {
      const tokens = await setUp(stack);
      await warmUp(stack, tokens);
      for (let k = 1; k <= ROUNDS; k++) {
        const r = await round(stack, tokens, run, k);
        printRound(r);
        rounds.push(r);
      }
    } finally {
      await stack.stop();
    }
  }
  const summary = summarise(rounds);
  const report = {
    benchmark: 'bench:lookup',
    label: args.label,
    date: new Date().toISOString(),
    machine: `${machineDescription()}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'})`,
    service: `node ${execFileSync(serviceNode(), ['--version'], { encoding: 'utf8' }).trim()} ${[...SERVICE_NODE_OPTIONS, process.env.BENCH_SERVER_NODE_ARGS ?? ''].join(' ').trim()}`,
    database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL (durable settings)',
    options: { runs: RUNS, rounds: ROUNDS, durationSeconds: DURATION, warmupSeconds: WARMUP, connections: CONNECTIONS, patients: PATIENTS, auditEvents: AUDIT_EVENTS, modes: MODES, partnership: args.partnership },
    goals: GOALS,
    summary,
    rounds,
    totalSeconds: (Date.now() - started) / 1000,
  };
  const lines = ['', `bench:lookup — ${report.machine}; service on ${report.service}; ${report.database}; ${PATIENTS.toLocaleString()} people, ${AUDIT_EVENTS.toLocaleString()} audit events seeded${args.partnership ? ', partnerships in force' : ''}; ${RUNS} run(s) x ${ROUNDS} round(s); ${CONNECTIONS} connections x ${DURATION} s each`];
  lines.push(`baseline (median): ${summary.baseline.requestsPerSecond.toFixed(0)} req/s, p99 ${summary.baseline.p99} ms, CPU ${summary.baseline.cpuMsPerRequest.toFixed(2)} ms/req, load generator ${summary.baseline.loadGeneratorMsPerRequest.toFixed(2)} ms/req`);
  lines.push(`{ me } (median): ${summary.audited.requestsPerSecond.toFixed(0)} req/s, p99 ${summary.audited.p99} ms, CPU ${summary.audited.cpuMsPerRequest.toFixed(2)} ms/req (service ${summary.audited.serviceMs.toFixed(2)} + PG ${summary.audited.postgresMs.toFixed(2)})`);
  for (const [mode, s] of Object.entries(summary.byMode)) {
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    lines.push(
      `lookup, ${mode} (median of ${rounds.length}): CPU ${s.cpuMsPerLookup.toFixed(2)} ms (service ${s.serviceMs.toFixed(2)} + PG ${s.postgresMs.toFixed(2)}; range ${s.cpuRange.map((v) => v.toFixed(2)).join('-')}), ` +
        `${s.requestsPerSecond.toFixed(0)} req/s = ${(s.ratio * 100).toFixed(1)}% of the baseline (range ${s.ratioRange.map((v) => (v * 100).toFixed(0)).join('-')}%), ${(s.auditedRatio * 100).toFixed(1)}% of { me } (${s.auditedRatioRange.map((v) => (v * 100).toFixed(0)).join('-')}%), p50 ${s.p50} ms, p99 ${s.p99} ms (range ${s.p99Range.join('-')}), RSS peak ${s.rssPeakMb.toFixed(0)} MB`,
      `  goals in every round: CPU <= ${GOALS.cpuMsAtMost} ms ${met(s.goalsInEveryRound.cpu)}; ratio >= ${GOALS.ratioAtLeast * 100}% ${met(s.goalsInEveryRound.ratio)}; p99 <= ${GOALS.p99AtMostMs} ms ${met(s.goalsInEveryRound.p99)}; RSS <= ${GOALS.rssAtMostMb} MB ${met(s.goalsInEveryRound.rss)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  await writeReport(`lookup${args.label ? `-${args.label}` : ''}`, report);
}

runBenchmark(main);
