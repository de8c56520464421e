// C18: the ledger's head lives outside the database. Every signed checkpoint goes to witnesses (a
// directory, a receiver run by another organisation, the log); the sealer extends only what was
// witnessed; verification compares the database with the witnesses and with receipts people kept.
// Tampering is done as a database owner with triggers off. Three verifiers must agree on every
// case: the service (GraphQL), the offline command, and an independent one written from
// docs/audit.md alone. The ledger is a database of its own: refusing to seal is the point here,
// and must not stop the sealing of the test files running beside this one.
import { CompactSign, importJWK, type JWK } from 'jose';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { verifyOffline } from '@app/cli/audit-verify.js';
import { startWitnessServer, type WitnessServer } from '@app/cli/audit-witness.js';
import { type CheckpointPayload, GENESIS_HEAD, nextHead, packDigests, storedEventHash } from '@libs/ledger/audit-chain.js';
import { SEALABLE_EVENTS_SQL, type StoredEvent } from '@libs/ledger/audit.repository.js';
import { projectRoot } from '@libs/config/project-root.js';
import { AuditSealer, LedgerRefusedError } from '@libs/ledger/audit-sealer.js';
import { checkpointPayloadBytes } from '@libs/ledger/audit-verifier.js';
import { closeSql, sql, testDatabaseUrl } from './support/database.js';
import { independentVerify } from './support/independent-audit-verifier.js';
import { TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const VERIFY = 'query { verifyAuditLog { valid eventsChecked checkpointsChecked firstInvalidSequence reason unsealedEvents receiptsChecked unavailableWitnesses } }';

describe('audit witnesses: the head outside the database (C18)', () => {
  let name: string;
  let url: string;
  let dir: string;
  let witnessDir: string;
  let keysFile: string;
  let jwks: { keys: JWK[] };
  let privateJwk: JWK;
  let receiver: WitnessServer;
  let receiverPort: number;
  let t: TestApp;
  let sealer: AuditSealer;
  let org: TestOrganization;
  let officer: string;

  const startReceiver = async (port = 0) => {
    receiver = await startWitnessServer({ keys: keysFile, dir: join(dir, 'receiver'), port });
    receiverPort = Number(new URL(receiver.url).port);
  };

  beforeAll(async () => {
    name = `crisis_link_witness_${randomBytes(4).toString('hex')}`;
    await sql(`CREATE DATABASE ${name}`);
    const parsed = new URL(testDatabaseUrl());
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    dir = await mkdtemp(join(tmpdir(), 'crisis-link-witness-'));
    witnessDir = join(dir, 'witness');
    // The test apps' signing key (test/setup): its public half is what the service serves.
    privateJwk = JSON.parse(await readFile(join(process.env.TEST_DATA_DIR!, 'audit-signing-key.json'), 'utf8')) as JWK;
    jwks = { keys: [{ kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x, y: privateJwk.y, kid: privateJwk.kid, alg: 'ES256', use: 'sig' }] };
    keysFile = join(dir, 'audit-keys.json');
    await writeFile(keysFile, JSON.stringify(jwks));
    await startReceiver();
    t = await TestApp.start({ DATABASE_URL: url, AUDIT_WITNESS_DIR: witnessDir, AUDIT_WITNESS_URL: receiver.url });
    sealer = t.app.get(AuditSealer);
    org = await organizationIn(url, 'OVERSIGHT');
    officer = await t.token('compliance_officer', org);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
    await sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await closeSql();
    await rm(dir, { recursive: true, force: true });
  });

  const db = async <T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  /** Runs `work` as a superuser with triggers off: what an attacker owning the database can do. */
  const asAttacker = async (work: (client: pg.Client) => Promise<unknown>) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("SET session_replication_role = 'replica'");
      await work(client);
    } finally {
      await client.end();
    }
  };
  /** An audited request of this test's own; its event's sequence. */
  const appendEvent = async (): Promise<string> => {
    const sub = uniqueSub();
    const answer = await t.graphql(await t.token('admin', org, { sub }), '{ organizations { key } }');
    expect(answer.errors).toBeUndefined();
    return (await db<{ sequence: string }>('SELECT sequence::text AS sequence FROM audit_event WHERE actor_sub = $1', [sub]))[0].sequence;
  };
  const sealedEvent = async (): Promise<string> => {
    const sequence = await appendEvent();
    await sealer.sealEverythingCommitted();
    return sequence;
  };
  const newestCheckpoint = async () =>
    (await db<{ checkpoint: string; first_sequence: string; last_sequence: string; jws: string }>(
      'SELECT checkpoint::text, first_sequence::text, last_sequence::text, jws FROM audit_checkpoint c ORDER BY c.checkpoint DESC LIMIT 1',
    ))[0];
  const checkpointCount = async () => Number((await db<{ n: string }>('SELECT count(*)::text AS n FROM audit_checkpoint'))[0].n);
  const witnessLines = async (folder: string) => {
    const files = (await readdir(folder).catch(() => [] as string[])).filter((f) => f.endsWith('.jws')).sort();
    const lines: string[] = [];
    for (const file of files) lines.push(...(await readFile(join(folder, file), 'utf8')).split('\n').filter(Boolean));
    return lines;
  };

  /** The service, the offline command and the independent verifier, against the same witnesses. */
  const verifyAll = async () => {
    const answer = await t.graphql(officer, VERIFY, {});
    expect(answer.errors).toBeUndefined();
    const online = answer.data!.verifyAuditLog;
    const offline = await verifyOffline(['--database-url', url, '--keys', keysFile, '--witness-dir', witnessDir, '--witness-url', receiver.url]);
    const receipts = [...(await witnessLines(witnessDir)), ...(await witnessLines(join(dir, 'receiver')))];
    const independent = await independentVerify(url, jwks as never, receipts);
    const verdict = (r: { valid: boolean; firstInvalidSequence: string | null; reason: string | null }) => ({ valid: r.valid, firstInvalidSequence: r.firstInvalidSequence, reason: r.reason });
    expect(verdict(offline)).toEqual(verdict(online));
    expect(verdict(independent)).toEqual(verdict(online));
    return online;
  };

  /** Deletes the newest checkpoint (kept aside in the database, to be put back exactly). */
  const deleteNewestCheckpoint = async () => {
    const newest = await newestCheckpoint();
    const backup = `checkpoint_backup_${newest.checkpoint}`;
    await asAttacker(async (c) => {
      await c.query(`CREATE TABLE ${backup} AS SELECT * FROM audit_checkpoint WHERE checkpoint = $1`, [newest.checkpoint]);
      await c.query('DELETE FROM audit_checkpoint WHERE checkpoint = $1', [newest.checkpoint]);
    });
    return {
      ...newest,
      restore: () =>
        asAttacker(async (c) => {
          await c.query('DELETE FROM audit_checkpoint WHERE checkpoint = $1', [newest.checkpoint]);
          await c.query(`INSERT INTO audit_checkpoint SELECT * FROM ${backup}`);
          await c.query(`DROP TABLE ${backup}`);
        }),
    };
  };
  /** What the sealer writes to the structured log, from now until `stop()`. */
  const sealerLog = (of: AuditSealer = sealer) => {
    const logger = (of as unknown as { logger: Record<'error' | 'info', (...args: unknown[]) => void> }).logger;
    const original = { error: logger.error, info: logger.info };
    const lines: Array<{ level: 'error' | 'info'; fields: Record<string, any>; message: string }> = [];
    for (const level of ['error', 'info'] as const) {
      logger[level] = (...args: unknown[]) => {
        lines.push({ level, fields: args[0] as Record<string, any>, message: args[1] as string });
        original[level].apply(logger, args);
      };
    }
    return { lines, stop: () => Object.assign(logger, original) };
  };
  const setOutcome = (sequence: string, outcome: string) => asAttacker((c) => c.query('UPDATE audit_event SET outcome = $2 WHERE sequence = $1', [sequence, outcome]));

  it('keeps every signed checkpoint outside the database: a line in the directory, the receiver, the log, and the newest at /.well-known/audit-head', async () => {
    const log = sealerLog();
    try {
      await sealedEvent();
      await sealedEvent();
    } finally {
      log.stop();
    }
    const logged = log.lines.filter((l) => l.level === 'info' && l.message === 'audit checkpoint signed').map((l) => l.fields.auditCheckpoint.jws);
    expect(logged.length).toBeGreaterThanOrEqual(2);
    const count = await checkpointCount();
    const rows = await db<{ jws: string }>('SELECT jws FROM audit_checkpoint ORDER BY checkpoint');
    expect(await witnessLines(witnessDir)).toEqual(rows.map((r) => r.jws));
    expect((await request(receiver.url).get('/checkpoints')).text.split('\n').filter(Boolean)).toEqual(rows.map((r) => r.jws));
    const head = await request(t.http).get('/.well-known/audit-head');
    expect(head.status).toBe(200);
    expect(head.headers['cache-control']).toBe('no-store');
    expect(head.body).toMatchObject({ checkpoint: count, jws: rows[rows.length - 1].jws });
    expect(logged).toEqual(rows.slice(-logged.length).map((r) => r.jws));
    expect(await verifyAll()).toMatchObject({ valid: true, reason: null, receiptsChecked: count, unavailableWitnesses: [] });
  });

  it('delete the newest checkpoint, then verify: CHECKPOINT_MISSING — from the witnesses, and from a receipt a person kept', async () => {
    // (60 s: it also builds and runs the compiled command.)
    await sealedEvent();
    const kept = (await request(t.http).get('/.well-known/audit-head')).body.jws as string;
    const deleted = await deleteNewestCheckpoint();
    try {
      expect(await verifyAll()).toMatchObject({ valid: false, firstInvalidSequence: deleted.first_sequence, reason: 'CHECKPOINT_MISSING' });
      // Without witnesses or receipts the database alone looks valid: the events are only "unsealed".
      expect(await verifyOffline(['--database-url', url, '--keys', keysFile])).toMatchObject({ valid: true });
      // A receipt kept from /.well-known/audit-head is enough.
      expect(await verifyOffline(['--database-url', url, '--keys', keysFile, '--receipt', kept])).toMatchObject({
        valid: false,
        firstInvalidSequence: deleted.first_sequence,
        reason: 'CHECKPOINT_MISSING',
      });
      const receiptFile = join(dir, 'kept-receipts.txt');
      await writeFile(receiptFile, `${kept}\n`);
      expect(await verifyOffline(['--database-url', url, '--keys', keysFile, '--receipt', `@${receiptFile}`])).toMatchObject({ reason: 'CHECKPOINT_MISSING' });
      // The compiled command (worker threads), as an auditor runs it: exit code 1, the same answer.
      const root = projectRoot();
      execFileSync('npm', ['run', '-s', 'build:server'], { cwd: root, stdio: 'ignore' });
      const run = spawnSync(process.execPath, ['dist/src/cli/audit-verify.js', '--database-url', url, '--keys', keysFile, '--witness-dir', witnessDir], { cwd: root, encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ valid: false, firstInvalidSequence: deleted.first_sequence, reason: 'CHECKPOINT_MISSING' });
    } finally {
      await deleted.restore();
    }
    expect(await verifyAll()).toMatchObject({ valid: true, reason: null });
  }, 60_000);

  it('alter an event and delete the newest checkpoint: the sealer refuses to sign over it, readiness fails, verification names the sequence', async () => {
    const sequence = await sealedEvent();
    const checkpointsBefore = await checkpointCount();
    await setOutcome(sequence, 'DENIED');
    const deleted = await deleteNewestCheckpoint();
    try {
      // New events arrive; requests are served as ever (the append is fail-closed, the sealer is not on its path: C17).
      await appendEvent();
      const log = sealerLog();
      const refused = sealer.sealEverythingCommitted(5000);
      await expect(refused).rejects.toThrow(LedgerRefusedError);
      await expect(refused).rejects.toMatchObject({ refusal: { reason: 'CHECKPOINT_MISSING', sequence, witness: 'directory' } });
      log.stop();
      // Raised in the log at error level, naming the sequence; nothing signed, so nothing logged as signed.
      expect(log.lines.filter((l) => l.level === 'error')).toEqual([
        expect.objectContaining({ fields: { auditLedgerRefusal: expect.objectContaining({ reason: 'CHECKPOINT_MISSING', sequence }) } }),
      ]);
      expect(log.lines.filter((l) => l.message === 'audit checkpoint signed')).toEqual([]);
      // Nothing was signed over the altered event.
      expect(await checkpointCount()).toBe(checkpointsBefore - 1);
      expect((await request(receiver.url).get('/head')).body.checkpoint).toBe(checkpointsBefore);
      expect((await request(t.http).get('/health/ready')).status).toBe(503);
      expect((await request(t.http).get('/metrics')).text).toMatch(/^crisis_link_audit_ledger_refused 1$/m);
      // A restarted instance, with no memory of what it signed, refuses as well: the witnesses remember.
      const restarted = await TestApp.start({ DATABASE_URL: url, AUDIT_WITNESS_DIR: witnessDir, AUDIT_WITNESS_URL: receiver.url }, t.idp);
      try {
        await expect(restarted.app.get(AuditSealer).sealEverythingCommitted(5000)).rejects.toMatchObject({ refusal: { reason: 'CHECKPOINT_MISSING', sequence } });
        expect((await request(restarted.http).get('/health/ready')).status).toBe(503);
      } finally {
        await restarted.built.close();
      }
      expect(await verifyAll()).toMatchObject({ valid: false, firstInvalidSequence: sequence, reason: 'CHECKPOINT_MISSING' });
    } finally {
      await setOutcome(sequence, 'SUCCESS');
      await deleted.restore();
    }
    // Restored from a backup: the database extends the witnessed head again, and sealing resumes.
    await sealer.sealEverythingCommitted();
    expect((await request(t.http).get('/health/ready')).status).toBe(200);
    expect(await verifyAll()).toMatchObject({ valid: true, reason: null });
  });

  it('names a checkpoint re-signed with the real key over altered events (what the service did before witnesses): HEAD_MISMATCH at the event', async () => {
    const sequence = await sealedEvent();
    const newest = await newestCheckpoint();
    const original = newest.jws;
    const payload = JSON.parse(Buffer.from(original.split('.')[1], 'base64url').toString()) as CheckpointPayload;
    await setOutcome(sequence, 'DENIED');
    // Re-hash the range as it now is and sign it with the service's own key.
    const events = await db<StoredEvent>(SEALABLE_EVENTS_SQL, [payload.firstSequence, payload.lastSequence]);
    const hashes = events.map((e) => storedEventHash(e));
    let head = payload.previousHead ?? GENESIS_HEAD;
    for (const hash of hashes) head = nextHead(head, hash);
    const forged: CheckpointPayload = { ...payload, digests: packDigests(hashes), head, sealedAt: new Date().toISOString().replace('Z', '000Z') };
    const resigned = await new CompactSign(checkpointPayloadBytes(forged))
      .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid, typ: 'audit-checkpoint+jws' })
      .sign(await importJWK(privateJwk, 'ES256'));
    await asAttacker((c) => c.query('UPDATE audit_checkpoint SET jws = $2, head = $3 WHERE checkpoint = $1', [newest.checkpoint, resigned, head]));
    try {
      // The database alone is consistent: only the witnesses can tell.
      expect(await verifyOffline(['--database-url', url, '--keys', keysFile])).toMatchObject({ valid: true });
      expect(await verifyAll()).toMatchObject({ valid: false, firstInvalidSequence: sequence, reason: 'HEAD_MISMATCH' });
      await expect(sealer.sealEverythingCommitted(5000)).rejects.toMatchObject({ refusal: { reason: 'HEAD_MISMATCH', sequence } });
    } finally {
      await setOutcome(sequence, 'SUCCESS');
      await asAttacker((c) => c.query('UPDATE audit_checkpoint SET jws = $2, head = $3 WHERE checkpoint = $1', [newest.checkpoint, original, payload.head]));
    }
    await sealer.sealEverythingCommitted();
    expect(await verifyAll()).toMatchObject({ valid: true, reason: null });
  });

  it('catches an event altered below a witnessed head, at its sequence, and keeps sealing', async () => {
    const sequence = await sealedEvent();
    await sealedEvent();
    await setOutcome(sequence, 'DENIED');
    try {
      expect(await verifyAll()).toMatchObject({ valid: false, firstInvalidSequence: sequence, reason: 'EVENT_ALTERED' });
      // The checkpoints are intact: nothing to refuse, the altered event stays named.
      await sealedEvent();
      expect(await verifyAll()).toMatchObject({ valid: false, firstInvalidSequence: sequence, reason: 'EVENT_ALTERED' });
    } finally {
      await setOutcome(sequence, 'SUCCESS');
    }
    expect(await verifyAll()).toMatchObject({ valid: true, reason: null });
  });

  it('a witness that does not answer holds the checkpoint as not done and the sealing back, never a request; it is caught up when it answers', async () => {
    await sealedEvent();
    await receiver.close();
    try {
      await appendEvent();
      await expect(sealer.sealEverythingCommitted(1500)).rejects.toThrow(/witness url does not answer/);
      expect(sealer.status().witnessFailure).toMatchObject({ witness: 'url' });
      // Requests go on; readiness says degraded, which is still ready.
      expect((await t.graphql(await t.token('admin', org), '{ organizations { key } }')).errors).toBeUndefined();
      expect((await request(t.http).get('/health/ready')).status).toBe(200);
      expect((await request(t.http).get('/metrics')).text).toMatch(/^crisis_link_audit_witness_unanswered 1$/m);
      // The one checkpoint signed is in the database and the directory, but no more is signed.
      const count = await checkpointCount();
      await appendEvent();
      await sealer.sealRound().catch(() => undefined);
      expect(await checkpointCount()).toBe(count);
    } finally {
      await startReceiver(receiverPort);
    }
    await sealer.sealEverythingCommitted(20_000);
    expect(sealer.status().witnessFailure).toBeNull();
    const rows = await db<{ jws: string }>('SELECT jws FROM audit_checkpoint ORDER BY checkpoint');
    expect((await request(receiver.url).get('/checkpoints')).text.split('\n').filter(Boolean)).toEqual(rows.map((r) => r.jws));
    expect(await verifyAll()).toMatchObject({ valid: true, reason: null });
  }, 60_000);

  it('sends a witness that lags every checkpoint it lacks, in order, before anything new', async () => {
    for (let i = 0; i < 4; i++) await sealedEvent();
    const rows = await db<{ jws: string }>('SELECT jws FROM audit_checkpoint ORDER BY checkpoint');
    // A second receiver that has seen the ledger only up to three checkpoints ago.
    const lagging = await startWitnessServer({ keys: keysFile, dir: join(dir, 'lagging'), port: 0 });
    const other = await TestApp.start({ DATABASE_URL: url, AUDIT_WITNESS_DIR: witnessDir, AUDIT_WITNESS_URL: lagging.url }, t.idp);
    try {
      expect((await request(lagging.url).post('/checkpoints').send({ jws: rows[rows.length - 4].jws })).status).toBe(201);
      await appendEvent();
      await other.app.get(AuditSealer).sealEverythingCommitted();
      const all = await db<{ jws: string }>('SELECT jws FROM audit_checkpoint ORDER BY checkpoint');
      expect(all.length).toBe(rows.length + 1);
      expect((await request(lagging.url).get('/checkpoints')).text.split('\n').filter(Boolean)).toEqual(all.slice(rows.length - 4).map((r) => r.jws));
    } finally {
      await other.built.close();
      await lagging.close();
    }
    // The first receiver missed the one the other instance signed; it is caught up too.
    await sealedEvent();
    expect((await request(receiver.url).get('/checkpoints')).text.split('\n').filter(Boolean)).toEqual((await db<{ jws: string }>('SELECT jws FROM audit_checkpoint ORDER BY checkpoint')).map((r) => r.jws));
  });

  it('the receiver keeps only checkpoints the service signed that extend the newest it holds', async () => {
    await sealedEvent();
    const rows = await db<{ jws: string }>('SELECT jws FROM audit_checkpoint ORDER BY checkpoint');
    const newest = rows[rows.length - 1].jws;
    expect((await request(receiver.url).post('/checkpoints').send({ jws: newest })).status).toBe(200);
    expect((await request(receiver.url).post('/checkpoints').send({ jws: rows[0].jws })).status).toBe(409);
    expect((await request(receiver.url).post('/checkpoints').send({ nope: true })).status).toBe(400);
    const [h, p] = newest.split('.');
    const strangerKey = await (await import('jose')).generateKeyPair('ES256');
    const foreign = await new CompactSign(Buffer.from(p, 'base64url')).setProtectedHeader(JSON.parse(Buffer.from(h, 'base64url').toString())).sign(strangerKey.privateKey);
    expect((await request(receiver.url).post('/checkpoints').send({ jws: foreign })).status).toBe(400);
    expect((await request(receiver.url).get('/head')).body).toMatchObject({ checkpoint: rows.length, jws: newest });
  });

  it('reports how far sealing is behind, in seconds and events, on /metrics', async () => {
    await sealedEvent();
    await appendEvent();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const behind = (await request(t.http).get('/metrics')).text;
    expect(behind).toMatch(/^crisis_link_audit_unsealed_events [1-9]\d*$/m);
    expect(Number(/^crisis_link_audit_seal_lag_seconds (\S+)$/m.exec(behind)![1])).toBeGreaterThan(0.5);
    await sealer.sealEverythingCommitted();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const caughtUp = (await request(t.http).get('/metrics')).text;
    expect(caughtUp).toMatch(/^crisis_link_audit_unsealed_events 0$/m);
    expect(caughtUp).toMatch(/^crisis_link_audit_seal_lag_seconds 0$/m);
    expect(caughtUp).not.toMatch(/\{/);
  });

  it('seals while a transaction holds a transaction id open in another database of the same server', async () => {
    const other = new pg.Client({ connectionString: testDatabaseUrl() });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');
      const sequence = await appendEvent();
      await sealer.sealEverythingCommitted(5000);
      expect(BigInt((await newestCheckpoint()).last_sequence)).toBeGreaterThanOrEqual(BigInt(sequence));
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('still waits for an open transaction of its own database', async () => {
    const open = new pg.Client({ connectionString: url });
    await open.connect();
    try {
      await open.query('BEGIN');
      const { rows } = await open.query<{ sequence: string }>(
        `SELECT sequence::text FROM audit_append('openTransaction', 'SUCCESS', 'test:open', 'test', ARRAY['test'], 'test', '{}', '{}', NULL, NULL, NULL, '{}', '{}', NULL, NULL, NULL, '{}')`,
      );
      await appendEvent();
      for (let i = 0; i < 3; i++) await sealer.sealRound();
      expect(BigInt((await newestCheckpoint()).last_sequence)).toBeLessThan(BigInt(rows[0].sequence));
      await open.query('COMMIT');
    } finally {
      await open.end();
    }
    await sealer.sealEverythingCommitted();
    expect(await verifyAll()).toMatchObject({ valid: true, reason: null });
  });
});

async function organizationIn(url: string, kind: TestOrganization['kind']): Promise<TestOrganization> {
  const key = `${kind.toLowerCase()}-${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, $3, false, 'test-fixture') RETURNING id`,
      [key, `Test ${key}`, kind],
    );
    return { id: rows[0].id, key, name: `Test ${key}`, kind };
  } finally {
    await client.end();
  }
}
