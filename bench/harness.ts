import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateKeyFiles } from '@app/cli/keys-generate.js';
import type { OrganizationKind } from '@libs/auth/principal.js';
import { projectRoot } from '@libs/config/project-root.js';
import { EmbeddedDatabase, freePort } from '@libs/database/embedded-database.js';
import { migrateDatabase } from '@libs/database/migrate.js';
import { FieldCipher, type DataKeyFile } from '@libs/crypto/field-cipher.js';
import { LocalIdentityProvider, type MintOptions } from '@libs/testing/local-identity-provider.js';
import { PARTNERSHIP_IN_FORCE_SQL, partnerPairs } from '@libs/testing/partnership-fixture.js';
import { MIGRATIONS } from '@migrations/index.js';

/** The options docker/Dockerfile starts the service with: keep the two the same. */
export const SERVICE_NODE_OPTIONS = ['--max-semi-space-size=8', '--max-old-space-size=160'];

/** The node binary the service runs on in a benchmark: BENCH_SERVER_NODE, or the benchmark's own. */
export function serviceNode(): string {
  return process.env.BENCH_SERVER_NODE || process.execPath;
}

/**
 * A production-mode service for benchmarks: its own PostgreSQL (embedded, durable settings,
 * unless DATABASE_URL is set), generated keys, a local identity provider, and the server in a
 * child process so that the load generator and the server do not share an event loop.
 */
export class BenchStack {
  /** The providers and agencies made by `organization`, each pair partners. */
  private readonly partners: Array<{ id: string; kind: string }> = [];

  private constructor(
    readonly url: string,
    readonly pool: pg.Pool,
    readonly cipher: FieldCipher,
    readonly idp: LocalIdentityProvider,
    readonly server: ChildProcess,
    private readonly database: EmbeddedDatabase | null,
    private readonly dir: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<BenchStack> {
    const dir = await mkdtemp(join(tmpdir(), 'crisis-link-bench-'));
    let database: EmbeddedDatabase | null = null;
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      database = new EmbeddedDatabase({ directory: join(dir, 'postgres') });
      databaseUrl = await database.start();
    }
    const [auditKey, dataKey] = await generateKeyFiles(['--out', join(dir, 'secrets')]);
    const cipher = new FieldCipher(JSON.parse(await readFile(dataKey, 'utf8')) as DataKeyFile);
    await migrateDatabase(databaseUrl, MIGRATIONS, { encryptField: (plaintext, context) => cipher.encrypt(plaintext, context) });
    if (process.env.BENCH_PG_SETTINGS) {
      // For experiments only (for example synchronous_commit=off): the reported figures use the defaults.
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      for (const setting of process.env.BENCH_PG_SETTINGS.split(',')) {
        const [name, value] = setting.split('=');
        await admin.query(`ALTER SYSTEM SET ${name.replace(/[^a-z_]/g, '')} = '${value.replace(/'/g, '')}'`);
      }
      await admin.query('SELECT pg_reload_conf()');
      await admin.end();
    }
    const idp = await LocalIdentityProvider.start();
    const port = await freePort();
    // The service runs as docker/Dockerfile runs it (SERVICE_NODE_OPTIONS), on the node given in
    // BENCH_SERVER_NODE (the image's is Node 24) or else this one.
    const nodeArgs = [...SERVICE_NODE_OPTIONS, ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)];
    const server = spawn(serviceNode(), [...nodeArgs, join(projectRoot(), 'dist/src/main.js')], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        DATABASE_URL: databaseUrl,
        AUTH_ISSUER: idp.issuer,
        AUTH_AUDIENCE: idp.audience,
        AUTH_JWKS_URL: idp.jwksUrl,
        AUDIT_SIGNING_KEY_FILE: auditKey,
        DATA_ENCRYPTION_KEY_FILE: dataKey,
        // Production requires a witness of the audit ledger outside the database (C18).
        AUDIT_WITNESS_DIR: join(dir, 'audit-witness'),
        LOOKUP_RATE_LIMIT_PER_HOUR: '100000',
        EMERGENCY_RATE_LIMIT_PER_DAY: '100000',
        // For experiments with the service's own settings, e.g. BENCH_SERVICE_ENV=DATABASE_POOL_SIZE=8.
        ...Object.fromEntries((process.env.BENCH_SERVICE_ENV ?? '').split(',').filter(Boolean).map((pair) => pair.split('=', 2))),
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const url = `http://127.0.0.1:${port}`;
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    // The database stops at the end of the run; an idle client's goodbye is not a failure.
    pool.on('error', () => undefined);
    const stack = new BenchStack(url, pool, cipher, idp, server, database, dir);
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error('the service exited during start');
      const ready = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
      if (ready) break;
      if (i > 300) throw new Error('the service did not become ready');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return stack;
  }

  /** A fresh organisation; each provider and agency made here is partners with those of the other kind made before it (issue 15). */
  async organization(kind: OrganizationKind, part2Program = false): Promise<{ id: string; key: string; name: string }> {
    const key = `bench-${kind.toLowerCase().replace(/_/g, '-')}-${randomBytes(3).toString('hex')}`;
    const name = `Bench ${kind.toLowerCase().replace(/_/g, ' ')} ${key.slice(-6)}`;
    const rows = await this.pool.query(`INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, $3, $4, 'bench') RETURNING id`, [key, name, kind, part2Program]);
    const made = { id: rows.rows[0].id as string, kind };
    for (const [provider, agency] of partnerPairs(made, this.partners)) await this.pool.query(PARTNERSHIP_IN_FORCE_SQL, [provider, agency, 'bench']);
    this.partners.push(made);
    return { id: made.id, key, name };
  }

  /**
   * A token of the stack's identity provider, signed in with multi-factor: the service runs in
   * production mode, where every role must have used it (AUTH_MFA_ROLES defaults to all).
   */
  mint(options: MintOptions): Promise<string> {
    return this.idp.mint({ ...options, claims: { amr: ['pwd', 'mfa'], ...options.claims } });
  }

  async graphql(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  }

  async stop(): Promise<void> {
    this.server.kill('SIGTERM');
    await new Promise((resolve) => (this.server.exitCode !== null ? resolve(null) : this.server.once('exit', resolve)));
    await this.pool.end();
    await this.idp.stop();
    await this.database?.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** What autocannon measured of one load: throughput, latency in ms, failures. */
export interface LoadFigures {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  total: number;
}

/** Runs one autocannon load and reads its figures. */
export function loadTest(options: autocannon.Options): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => {
      if (error) return reject(error);
      resolve({
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
        total: result.requests.total,
      });
    });
  });
}

/** An autocannon request: POST /graphql with the token, query and variables `next` picks for each request. */
export function graphqlLoad(next: () => { token: string; query: string; variables?: unknown }): autocannon.Request {
  return {
    method: 'POST',
    path: '/graphql',
    setupRequest: (request) => {
      const { token, query, variables } = next();
      return { ...request, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) };
    },
  };
}

/** One line of figures, aligned for the terminal. */
export function figuresLine(name: string, f: LoadFigures, width = 22): string {
  return `${name.padEnd(width)} ${f.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${String(f.p50).padStart(4)} ms   p90 ${String(f.p90).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   max ${String(f.max).padStart(5)} ms   errors ${f.errors}  non-2xx ${f.non2xx}`;
}

/** Percentile of a sorted array of numbers. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** Writes a run's figures to bench/results/NAME-DATE.json and says where. */
export async function writeReport(name: string, report: { date: string; [key: string]: unknown }): Promise<void> {
  const file = join(projectRoot(), 'bench', 'results', `${name}-${report.date.slice(0, 19).replace(/[:T]/g, '-')}.json`);
  await writeFile(file, JSON.stringify(report, null, 2));
  process.stdout.write(`written to ${file}\n`);
}

/** Runs a benchmark's main and exits non-zero, with the stack, if it fails. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

export function machineDescription(): string {
  return `${process.platform} ${process.arch}, node ${process.version}`;
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat; 0 when it is gone. */
export async function processCpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, in parentheses): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

/** Resident memory of a process in MB now (VmRSS) and its peak since it started (VmHWM). */
export async function processMemoryMb(pid: number): Promise<{ rss: number; hwm: number }> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** PostgreSQL's processes as pg_stat_activity lists them: the service's backends, and the server's own (WAL writer, checkpointer, autovacuum...). */
export async function postgresProcesses(pool: pg.Pool, applicationName: string): Promise<{ service: number[]; background: number[] }> {
  const rows = (await pool.query<{ pid: number; app: string; type: string }>(`SELECT pid, application_name AS app, backend_type AS type FROM pg_stat_activity WHERE datname IS NULL OR datname = current_database() OR backend_type <> 'client backend'`)).rows;
  return {
    service: rows.filter((r) => r.type === 'client backend' && r.app === applicationName).map((r) => r.pid),
    background: rows.filter((r) => r.type !== 'client backend').map((r) => r.pid),
  };
}

/** CPU used by the service and by PostgreSQL over a load, and the service's memory while it ran. */
export interface CpuFigures {
  /** Seconds of CPU: the service process, its PostgreSQL backends, PostgreSQL's background processes. */
  serviceSeconds: number;
  backendSeconds: number;
  backgroundSeconds: number;
  /** ms of CPU per request served: service + its backends (the goal's measure), and with the background processes too. */
  msPerRequest: number;
  msPerRequestWithBackground: number;
  serviceMsPerRequest: number;
  backendMsPerRequest: number;
  /**
   * ms of CPU per request of this process, the load generator (autocannon): on a machine where it
   * shares the cores with the service, what bounds the throughput ratio (docs/benchmarks.md).
   */
  loadGeneratorMsPerRequest: number;
  /** The service's resident memory sampled every 250 ms during the load: peak, in MB. */
  rssPeakMb: number;
}

/**
 * Runs `load` while measuring the CPU the service and PostgreSQL spend on it, from /proc (so both
 * are counted as the kernel sees them, whatever else the machine runs), and the service's RSS.
 * Backends are listed before and after: one that started during the load counts from zero; one
 * that ended during it is lost (the pool keeps its connections while busy).
 */
export async function withCpu<T extends { total: number }>(stack: BenchStack, load: () => Promise<T>): Promise<T & { cpu: CpuFigures }> {
  const pid = stack.server.pid!;
  const cpuOf = async (pids: number[]) => new Map(await Promise.all(pids.map(async (p) => [p, await processCpuSeconds(p)] as const)));
  const sum = (after: Map<number, number>, before: Map<number, number>) => [...after].reduce((total, [p, s]) => total + Math.max(0, s - (before.get(p) ?? 0)), 0);
  const before = await postgresProcesses(stack.pool, 'crisis-link');
  const [service0, backends0, background0] = [await processCpuSeconds(pid), await cpuOf(before.service), await cpuOf(before.background)];
  const loadGenerator0 = process.cpuUsage();
  let rssPeakMb = 0;
  const sampler = setInterval(() => void processMemoryMb(pid).then((m) => (rssPeakMb = Math.max(rssPeakMb, m.rss))), 250);
  let result: T;
  try {
    result = await load();
  } finally {
    clearInterval(sampler);
  }
  const loadGenerator = process.cpuUsage(loadGenerator0);
  const after = await postgresProcesses(stack.pool, 'crisis-link');
  const servicePids = [...new Set([...before.service, ...after.service])];
  const backgroundPids = [...new Set([...before.background, ...after.background])];
  const serviceSeconds = (await processCpuSeconds(pid)) - service0;
  const backendSeconds = sum(await cpuOf(servicePids), backends0);
  const backgroundSeconds = sum(await cpuOf(backgroundPids), background0);
  const n = Math.max(1, result.total);
  return {
    ...result,
    cpu: {
      serviceSeconds,
      backendSeconds,
      backgroundSeconds,
      msPerRequest: ((serviceSeconds + backendSeconds) * 1000) / n,
      msPerRequestWithBackground: ((serviceSeconds + backendSeconds + backgroundSeconds) * 1000) / n,
      serviceMsPerRequest: (serviceSeconds * 1000) / n,
      backendMsPerRequest: (backendSeconds * 1000) / n,
      loadGeneratorMsPerRequest: (loadGenerator.user + loadGenerator.system) / 1000 / n,
      rssPeakMb,
    },
  };
}

/** Median of numbers (NaN for none). */
export function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
