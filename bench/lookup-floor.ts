/**
 * bench:lookup-floor — what the lookup's database work costs on its own, and what the least a
 * durable, audited request can cost (issue 16).
 *
 * bench:lookup measures the whole request against an authenticated `{ __typename }`. This one
 * takes the HTTP server, GraphQL and the lookup's logic away and drives PostgreSQL directly from
 * this process with node-postgres (as the service does), statement by statement, each in its own
 * transaction with durable commits, from `--clients` connections in parallel. For each statement
 * it reports the CPU per call of this process (the client's share: node-postgres and the
 * loopback socket) and of the PostgreSQL backends (from /proc), and the wall time per call:
 *
 * - `SELECT 1`: a round trip and nothing else;
 * - the lookup's candidates read (CANDIDATES_SQL, prepared, a consented person);
 * - the lookup's append (audit_append_rate_limited, as the service calls it);
 * - the least durable record: one row INSERTed into audit_event and committed;
 * - the same row, eight to a statement (how much of a commit is per statement, not per row).
 *
 * `npm run bench:lookup-floor -- [--clients 8] [--calls 4000]`
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { CANDIDATES_SQL } from '@app/modules/responder/responder.repository.js';
import { matchKeyInput } from '@app/modules/patients/identity-normalizer.js';
import { BenchStack, machineDescription, processCpuSeconds, runBenchmark, writeReport } from './harness.js';
import { identity, seedPatients } from './seed.js';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: process.env.BENCH_CLIENTS ?? '8' },
    calls: { type: 'string', default: process.env.BENCH_CALLS ?? '4000' },
  },
});
const CLIENTS = Number(args.clients);
const CALLS = Number(args.calls);

const EVENT_COLUMNS = `action, outcome, actor_sub, actor_org, actor_roles, actor_name, patient_ids, subject_org_keys, incident_number,
  purpose, basis, consent_ids, disclosed_categories, policy_version, policy_rule, request_id, details`;

interface Figures {
  name: string;
  calls: number;
  clientMsPerCall: number;
  backendMsPerCall: number;
  wallMsPerCall: number;
}

async function main(): Promise<void> {
  const stack = await BenchStack.start();
  const clients: pg.Client[] = [];
  try {
    const providers = [await stack.organization('TREATMENT_PROVIDER', true), await stack.organization('TREATMENT_PROVIDER'), await stack.organization('TREATMENT_PROVIDER')];
    const agency = await stack.organization('RESPONDER_AGENCY');
    await seedPatients(stack.pool, stack.cipher, providers, agency, 10_000);
    const databaseUrl = (stack.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    for (let i = 0; i < CLIENTS; i++) {
      const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-floor' });
      await client.connect();
      clients.push(client);
    }
    const backendPids = await Promise.all(clients.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid));
    // Consented people only (seedPatients: every even person), each asked by one of 64 responders.
    const keys = Array.from({ length: 500 }, (_, i) => {
      const who = identity(2 * i);
      return stack.cipher.blindIndex(matchKeyInput(who.familyName, who.dateOfBirth, who.givenName));
    });
    const event = (n: number) => {
      const sub = `bench-floor-${n % 64}`;
      return ['responderLookup', 'DISCLOSED', sub, agency.key, ['responder'], 'R', [crypto.randomUUID()], ['k'], 'BENCH-1', 'CRISIS_RESPONSE', 'CONSENT', [crypto.randomUUID()], ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT'], 1, 'responder@1#0', `req-${n}`, { searchedIdentity: 'x'.repeat(43), disclosures: [{ categories: ['TREATMENT_STATUS'] }] }];
    };
    const eightRows = Array.from({ length: 8 }, (_, r) => `(${Array.from({ length: 17 }, (_, c) => `$${r * 17 + c + 1}`).join(', ')})`).join(', ');

    const cases: Array<{ name: string; rows?: number; call: (client: pg.Client, n: number) => Promise<unknown> }> = [
      { name: 'SELECT 1', call: (c) => c.query({ name: 'one', text: 'SELECT 1' }) },
      { name: 'candidates read', call: (c, n) => c.query({ name: 'candidates', text: CANDIDATES_SQL, values: [keys[n % keys.length], agency.id] }) },
      {
        name: 'audit_append_rate_limited',
        call: (c, n) => c.query({ name: 'append-limited', text: `SELECT * FROM audit_append_rate_limited(1000000, 3600, ${Array.from({ length: 17 }, (_, i) => `$${i + 1}`).join(', ')})`, values: event(n) }),
      },
      { name: 'INSERT one audit row', call: (c, n) => c.query({ name: 'insert-one', text: `INSERT INTO audit_event (${EVENT_COLUMNS}) VALUES (${Array.from({ length: 17 }, (_, i) => `$${i + 1}`).join(', ')})`, values: event(n) }) },
      { name: 'INSERT eight audit rows, per row', rows: 8, call: (c, n) => c.query({ name: 'insert-eight', text: `INSERT INTO audit_event (${EVENT_COLUMNS}) VALUES ${eightRows}`, values: Array.from({ length: 8 }, (_, r) => event(n * 8 + r)).flat() }) },
    ];

    const figures: Figures[] = [];
    for (const round of [0, 1]) {
      for (const c of cases) {
        // A short warm-up per connection (plans, caches), then the measured calls.
        await Promise.all(clients.map(async (client, i) => { for (let k = 0; k < 50; k++) await c.call(client, i * 50 + k); }));
        const perClient = Math.ceil(CALLS / CLIENTS / (c.rows ?? 1));
        const cpu0 = process.cpuUsage();
        const backend0 = await Promise.all(backendPids.map(processCpuSeconds));
        const t0 = process.hrtime.bigint();
        await Promise.all(clients.map(async (client, i) => { for (let k = 0; k < perClient; k++) await c.call(client, i * perClient + k); }));
        const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
        const backend1 = await Promise.all(backendPids.map(processCpuSeconds));
        const cpu = process.cpuUsage(cpu0);
        const calls = perClient * CLIENTS * (c.rows ?? 1);
        const f: Figures = {
          name: c.name,
          calls,
          clientMsPerCall: (cpu.user + cpu.system) / 1000 / calls,
          backendMsPerCall: (backend1.reduce((a, b) => a + b, 0) - backend0.reduce((a, b) => a + b, 0)) * 1000 / calls,
          wallMsPerCall: (wallMs * CLIENTS) / calls,
        };
        if (round === 1) figures.push(f);
        process.stdout.write(`${round === 0 ? '(warm-up round) ' : ''}${f.name.padEnd(34)} client ${f.clientMsPerCall.toFixed(3)} ms  PostgreSQL ${f.backendMsPerCall.toFixed(3)} ms  per call; wall ${f.wallMsPerCall.toFixed(3)} ms per call per connection\n`);
      }
    }
    await writeReport('lookup-floor', { date: new Date().toISOString(), machine: machineDescription(), options: { clients: CLIENTS, calls: CALLS }, figures });
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await stack.stop();
  }
}

runBenchmark(main);
