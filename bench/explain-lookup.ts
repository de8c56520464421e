/**
 * The lookup's two statements under EXPLAIN (ANALYZE, BUFFERS), after a load has filled the audit
 * table: for docs/benchmarks.md. `node dist/bench/explain-lookup.js` after `npm run -s build:bench`.
 */
import crypto from 'node:crypto';
import { CANDIDATES_SQL } from '@app/modules/responder/responder.repository.js';
import { matchKeyInput } from '@app/modules/patients/identity-normalizer.js';
import { BenchStack, graphqlLoad, loadTest, runBenchmark } from './harness.js';
import { identity, seedPatients } from './seed.js';

const LOOKUP = 'query($input: LookupInput!) { responderLookup(input: $input) { outcome disclosureId asOf records { programName inTreatment careTeam { name phone } engagementNotes consentScope basis } redisclosureNotice } }';

async function main(): Promise<void> {
  const stack = await BenchStack.start();
  try {
    const providers = [await stack.organization('TREATMENT_PROVIDER', true), await stack.organization('TREATMENT_PROVIDER'), await stack.organization('TREATMENT_PROVIDER')];
    const agency = await stack.organization('RESPONDER_AGENCY');
    await seedPatients(stack.pool, stack.cipher, providers, agency, 10_000);
    const tokens = await Promise.all(Array.from({ length: 64 }, (_, i) => stack.mint({ sub: `bench-responder-${i}`, org: agency.key, roles: ['responder'], name: `R ${i}`, expiresIn: 3600 })));
    let n = 0;
    await loadTest({
      url: stack.url, connections: 16, duration: Number(process.env.BENCH_DURATION ?? 10),
      requests: [graphqlLoad(() => { const i = 2 * Math.floor(Math.random() * 5000); return { token: tokens[n++ % 64], query: LOOKUP, variables: { input: { ...identity(i), incidentNumber: 'BENCH-1', purpose: 'CRISIS_RESPONSE' } } }; })],
    });
    const who = identity(42);
    const key = stack.cipher.blindIndex(matchKeyInput(who.familyName, who.dateOfBirth, who.givenName));
    const show = async (title: string, sql: string, params: unknown[]) => {
      const rows = await stack.pool.query(`EXPLAIN (ANALYZE, BUFFERS, TIMING) ${sql}`, params);
      process.stdout.write(`\n--- ${title}\n${rows.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
    };
    const counts = await stack.pool.query(`SELECT count(*)::int AS n FROM audit_event`);
    process.stdout.write(`audit events: ${counts.rows[0].n}\n`);
    for (let i = 0; i < 3; i++) await stack.pool.query(CANDIDATES_SQL, [key, agency.id]);
    await show('candidates', CANDIDATES_SQL, [key, agency.id]);
    await show('rate-limit count (as audit_append_rate_limited counts)', `SELECT count(*) FROM audit_event e WHERE e.actor_sub = $1 AND e.action = 'responderLookup' AND e.outcome <> 'RATE_LIMITED' AND e.occurred_at > now() - make_interval(secs => 3600)`, ['bench-responder-3']);
    await show('append within limit (rolled back)', `SELECT * FROM audit_append_rate_limited(100000, 3600, 'responderLookup', 'DISCLOSED', 'bench-responder-3', 'x', ARRAY['responder'], 'R', ARRAY[gen_random_uuid()], ARRAY['k'], 'BENCH-1', 'CRISIS_RESPONSE', 'CONSENT', ARRAY[gen_random_uuid()], ARRAY['TREATMENT_STATUS'], 1, 'responder@1#0', 'req', '{"a":1}'::jsonb)`, []);
    // Steady-state cost per call inside PostgreSQL (one session, no commit between calls).
    const client = await stack.pool.connect();
    try {
      const time = async (title: string, sql: string, params: unknown[], n = 2000) => {
        await client.query('BEGIN');
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < n; i++) await client.query({ name: title.slice(0, 60), text: sql, values: params });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6 / n;
        await client.query('ROLLBACK');
        process.stdout.write(`${title}: ${ms.toFixed(3)} ms per call (round trip included)\n`);
      };
      await time('SELECT 1', 'SELECT 1', []);
      await time('candidates', CANDIDATES_SQL, [key, agency.id]);
      const args = (sub: string) => ['responderLookup', 'DISCLOSED', sub, 'x', ['responder'], 'R', [crypto.randomUUID()], ['k'], 'BENCH-1', 'CRISIS_RESPONSE', 'CONSENT', [crypto.randomUUID()], ['TREATMENT_STATUS'], 1, 'responder@1#0', 'req', { a: 1 }];
      await time('audit_append', 'SELECT * FROM audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)', args('bench-responder-5'));
      await time('audit_append_rate_limited', 'SELECT * FROM audit_append_rate_limited($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)', [100000, 3600, ...args('bench-responder-6')]);
    } finally {
      client.release();
    }
    if (process.env.HOLD) await new Promise((r) => setTimeout(r, Number(process.env.HOLD) * 1000));
  } finally {
    await stack.stop();
  }
}
runBenchmark(main);
