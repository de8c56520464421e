/**
 * bench:nonacknowledgement — C9 says every "no" must look the same, timing included. This runs
 * the same lookup for each kind of "no" (and, for reference, a disclosed one), interleaved round
 * by round so that the machine's noise falls on every case alike, and prints the latency
 * distribution of each case side by side.
 */
import { cpus } from 'node:os';
import { nonAcknowledgementCases, ProviderDesk } from '@libs/testing/provider-desk.js';
import { BenchStack, machineDescription, percentile, runBenchmark, writeReport } from './harness.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 400);
const PEOPLE_PER_CASE = Number(process.env.BENCH_PEOPLE_PER_CASE ?? 5);
const LOOKUP = 'query($input: LookupInput!) { responderLookup(input: $input) { outcome disclosureId asOf records { programName careTeam { name phone } engagementNotes } redisclosureNotice useRestriction } }';

type Identity = { givenName: string; familyName: string; dateOfBirth: string };
const DISCLOSED = 'DISCLOSED (reference, not a "no")';

/** PEOPLE_PER_CASE people for every way a lookup must say "no", and disclosed ones for reference, set up as a provider would. */
async function setUpCases(stack: BenchStack): Promise<{ people: Map<string, Identity[]>; agencyKey: string }> {
  const provider = await stack.organization('TREATMENT_PROVIDER', true);
  const agency = await stack.organization('RESPONDER_AGENCY');
  const other = await stack.organization('RESPONDER_AGENCY');
  const staff = await stack.mint({ sub: 'bench-staff', org: provider.key, roles: ['provider_staff'], expiresIn: 3600 });
  const desk = new ProviderDesk((token, query, variables) => stack.graphql(token, query, variables), provider, staff);
  const cases = { ...nonAcknowledgementCases(desk, agency, other), [DISCLOSED]: async () => (await desk.consentedPatient([agency])).who };
  process.stdout.write(`setting up ${PEOPLE_PER_CASE} people for each of ${Object.keys(cases).length} cases...\n`);
  const people = new Map<string, Identity[]>();
  for (const [name, setUp] of Object.entries(cases)) {
    const identities = await Promise.all(Array.from({ length: PEOPLE_PER_CASE }, () => setUp()));
    people.set(name, identities.map(({ givenName, familyName, dateOfBirth }) => ({ givenName, familyName, dateOfBirth })));
  }
  return { people, agencyKey: agency.key };
}

/** ROUNDS rounds, each asking once for every case in a fresh random order: latencies and the distinct answers of each case. */
async function runRounds(stack: BenchStack, people: Map<string, Identity[]>, tokens: string[]) {
  const latencies = new Map<string, number[]>([...people.keys()].map((k) => [k, []]));
  const answers = new Map<string, Set<string>>([...people.keys()].map((k) => [k, new Set()]));
  let n = 0;
  for (let round = -20; round < ROUNDS; round++) {
    // Each round visits the cases in a new order, so no case always follows another.
    const order = [...people.keys()].sort(() => Math.random() - 0.5);
    for (const name of order) {
      const list = people.get(name)!;
      const who = list[Math.abs(round) % list.length];
      const started = performance.now();
      const body = await stack.graphql(tokens[n++ % tokens.length], LOOKUP, { input: { ...who, incidentNumber: 'BENCH-C9', purpose: 'CRISIS_RESPONSE' } });
      const elapsed = performance.now() - started;
      if (round < 0) continue;
      latencies.get(name)!.push(elapsed);
      const { disclosureId: _d, asOf: _a, ...rest } = body.data?.responderLookup ?? { error: body.errors };
      answers.get(name)!.add(JSON.stringify(rest));
    }
  }
  return { latencies, answers };
}

function rowsOf(latencies: Map<string, number[]>, answers: Map<string, Set<string>>) {
  return [...latencies.entries()].map(([name, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return { name, n: values.length, mean, p10: percentile(sorted, 10), p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1], distinctAnswers: answers.get(name)!.size };
  });
}

async function main(): Promise<void> {
  const stack = await BenchStack.start();
  try {
    const { people, agencyKey } = await setUpCases(stack);
    const check = await stack.mint({ sub: 'bench-check', org: agencyKey, roles: ['responder'], expiresIn: 600 });
    const sample = await stack.graphql(check, LOOKUP, { input: { ...people.get(DISCLOSED)![0], incidentNumber: 'BENCH-C9', purpose: 'CRISIS_RESPONSE' } });
    if (sample.data?.responderLookup?.outcome !== 'INFORMATION_AVAILABLE') throw new Error(`sanity check failed: ${JSON.stringify(sample).slice(0, 400)}`);
    const tokens = await Promise.all(Array.from({ length: 32 }, (_, i) => stack.mint({ sub: `bench-responder-${i}`, org: agencyKey, roles: ['responder'], expiresIn: 3600 })));
    const { latencies, answers } = await runRounds(stack, people, tokens);
    const rows = rowsOf(latencies, answers);
    const noes = rows.filter((r) => r.name !== DISCLOSED);
    const medians = noes.map((r) => r.p50);
    const reference = noes.find((r) => r.name === 'no such person')!;
    const noAnswers = new Set(noes.flatMap((r) => [...answers.get(r.name)!]));
    const expectedNo = JSON.stringify({ outcome: 'NO_INFORMATION', records: [], redisclosureNotice: null, useRestriction: null });
    if (noAnswers.size !== 1 || !noAnswers.has(expectedNo)) throw new Error(`C9 broken: the "no" cases answered ${[...noAnswers].join(' | ').slice(0, 500)}`);
    const fmt = (x: number) => x.toFixed(2).padStart(7);
    const lines = [
      '',
      `bench:nonacknowledgement — ${machineDescription()}, ${cpus().length} cores; ${ROUNDS} interleaved rounds, ${PEOPLE_PER_CASE} people per case; latency in ms, client side, sequential requests`,
      `${'case'.padEnd(50)}      n    mean     p10     p50     p90     p99     max  answers`,
      ...rows.map((r) => `${r.name.padEnd(50)} ${String(r.n).padStart(6)} ${fmt(r.mean)} ${fmt(r.p10)} ${fmt(r.p50)} ${fmt(r.p90)} ${fmt(r.p99)} ${fmt(r.max)}  ${r.distinctAnswers}`),
      '',
      `every "no" gave the same answer (apart from disclosureId and asOf): ${noAnswers.size === 1 ? 'yes' : `NO (${noAnswers.size} distinct)`}`,
      `medians of the "no" cases: ${Math.min(...medians).toFixed(2)}-${Math.max(...medians).toFixed(2)} ms (spread ${(Math.max(...medians) - Math.min(...medians)).toFixed(2)} ms); ` +
        `noise: p10-p90 of "no such person" ${reference.p10.toFixed(2)}-${reference.p90.toFixed(2)} ms`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    const report = { benchmark: 'bench:nonacknowledgement', date: new Date().toISOString(), machine: `${machineDescription()}, ${cpus().length} cores`, rounds: ROUNDS, peoplePerCase: PEOPLE_PER_CASE, rows, sameAnswerForEveryNo: noAnswers.size === 1 };
    await writeReport('nonacknowledgement', report);
  } finally {
    await stack.stop();
  }
}

runBenchmark(main);
