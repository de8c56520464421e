// C18: the audit log is tamper-evident. A sealer chains committed events and signs checkpoints
// with a key outside the database; verification names the first sequence that does not match,
// in the service and offline alike, and a verifier written from docs/audit.md alone agrees.
// (Witnesses, truncation and re-signing: test/audit-witness.e2e-spec.ts, on a database of its own.)
import { generateKeyPair, CompactSign } from 'jose';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { verifyOffline } from '@app/cli/audit-verify.js';
import { AuditSealer } from '@libs/ledger/audit-sealer.js';
import { canonicalJson } from '@libs/ledger/canonical-json.js';
import { auditWitnessDirectory, DirectoryWitness } from '@libs/ledger/audit-witness.js';
import { sql, testDatabaseUrl } from './support/database.js';
import { independentVerify } from './support/independent-audit-verifier.js';
import { codeOf, TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const VERIFY = 'query($from: String, $to: String) { verifyAuditLog(fromSequence: $from, toSequence: $to) { valid eventsChecked checkpointsChecked firstInvalidSequence reason unsealedEvents } }';

describe('audit ledger: sealing and verification (C18)', () => {
  let t: TestApp;
  let sealer: AuditSealer;
  let officer: string;
  let org: TestOrganization;
  let keysFile: string;
  let dir: string;

  beforeAll(async () => {
    t = await TestApp.start({ AUDIT_SEAL_INTERVAL_MS: '0' });
    sealer = t.app.get(AuditSealer);
    org = await t.organization('OVERSIGHT');
    officer = await t.token('compliance_officer', org);
    dir = await mkdtemp(join(tmpdir(), 'crisis-link-audit-'));
    keysFile = join(dir, 'audit-keys.json');
    await writeFile(keysFile, JSON.stringify((await request(t.http).get('/.well-known/audit-keys.json')).body));
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** An event of this test's own, sealed; its sequence. */
  const sealedEvent = async (): Promise<string> => {
    const sub = uniqueSub();
    await t.graphql(await t.token('admin', org, { sub }), '{ organizations { key } }');
    await sealer.sealEverythingCommitted();
    return (await sql<{ sequence: string }>('SELECT sequence::text AS sequence FROM audit_event WHERE actor_sub = $1', [sub]))[0].sequence;
  };
  /** The service, the offline command, and a verifier written from docs/audit.md alone, all with this ledger's witness directory. */
  const verifyBoth = async () => {
    const witnessDir = auditWitnessDirectory({ DATA_DIR: process.env.TEST_DATA_DIR!, NODE_ENV: 'test', DATABASE_URL: testDatabaseUrl() }, testDatabaseUrl())!;
    const receipts = await new DirectoryWitness(witnessDir, async () => ({}) as never).receipts();
    const answer = await t.graphql(officer, VERIFY, {});
    expect(answer.errors).toBeUndefined();
    const online = answer.data!.verifyAuditLog;
    const offline = await verifyOffline(['--database-url', testDatabaseUrl(), '--keys', keysFile, '--witness-dir', witnessDir]);
    const independent = await independentVerify(testDatabaseUrl(), JSON.parse(await readFile(keysFile, 'utf8')), receipts);
    const verdict = (r: { valid: boolean; firstInvalidSequence: string | null; reason: string | null }) => ({ valid: r.valid, firstInvalidSequence: r.firstInvalidSequence, reason: r.reason });
    expect(verdict(offline)).toEqual(verdict(online));
    expect(verdict(independent)).toEqual(verdict(online));
    return online;
  };
  /** Runs `work` as a superuser with triggers off: what an attacker owning the database can do. */
  const asAttacker = async (work: (client: pg.Client) => Promise<unknown>) => {
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      await client.query("SET session_replication_role = 'replica'");
      await work(client);
    } finally {
      await client.end();
    }
  };

  it('publishes the checkpoint key as a JWKS, public half only', async () => {
    const { body } = await request(t.http).get('/.well-known/audit-keys.json');
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: expect.any(String) });
    expect(body.keys[0].d).toBeUndefined();
  });

  it('seals committed events and verifies them, in the service and offline', async () => {
    await sealedEvent();
    const result = await verifyBoth();
    expect(result).toMatchObject({ valid: true, firstInvalidSequence: null, reason: null });
    expect(result.eventsChecked).toBeGreaterThan(0);
    expect(result.checkpointsChecked).toBeGreaterThan(0);
  });

  it('numbers checkpoints on past 9 and 10 (numeric order, not text order)', async () => {
    for (let i = 0; i < 11; i++) await sealedEvent();
    const [{ count, max }] = await sql<{ count: number; max: string }>('SELECT count(*)::int AS count, max(checkpoint)::text AS max FROM audit_checkpoint');
    expect(Number(max)).toBe(count);
    expect(count).toBeGreaterThanOrEqual(11);
    expect(await verifyBoth()).toMatchObject({ valid: true, reason: null });
  });

  it('keeps checkpoints append-only', async () => {
    await sealedEvent();
    await expect(sql('UPDATE audit_checkpoint SET head = head')).rejects.toThrow(/append-only/);
    await expect(sql('DELETE FROM audit_checkpoint')).rejects.toThrow(/append-only/);
  });

  it('waits for an event that commits late behind a sequence another event took, and seals a rolled-back one as a gap', async () => {
    const late = new pg.Client({ connectionString: testDatabaseUrl() });
    const rolledBack = new pg.Client({ connectionString: testDatabaseUrl() });
    await late.connect();
    await rolledBack.connect();
    try {
      const append = (client: pg.Client, action: string) =>
        client.query<{ sequence: string }>(
          `SELECT sequence::text FROM audit_append($1, 'SUCCESS', 'test:late', 'test', ARRAY['test'], 'test', '{}', '{}', NULL, NULL, NULL, '{}', '{}', NULL, NULL, NULL, '{}')`,
          [action],
        );
      await late.query('BEGIN');
      const lateSequence = BigInt((await append(late, 'lateCommit')).rows[0].sequence);
      await rolledBack.query('BEGIN');
      const gapSequence = BigInt((await append(rolledBack, 'rolledBack')).rows[0].sequence);
      await rolledBack.query('ROLLBACK');
      const after = await sealedEventWithoutWaiting();
      expect(BigInt(after)).toBeGreaterThan(lateSequence);
      // While the early transaction is open, nothing at or after its sequence is sealed.
      for (let i = 0; i < 3; i++) {
        await sealer.sealRound();
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      const sealedThrough = BigInt((await sql<{ last: string }>('SELECT max(last_sequence)::text AS last FROM audit_checkpoint'))[0].last ?? '0');
      expect(sealedThrough).toBeLessThan(lateSequence);
      await late.query('COMMIT');
      await sealer.sealEverythingCommitted();
      const covering = await sql<{ jws: string }>('SELECT jws FROM audit_checkpoint WHERE $1 BETWEEN first_sequence AND last_sequence', [gapSequence.toString()]);
      const payload = JSON.parse(Buffer.from(covering[0].jws.split('.')[1], 'base64url').toString());
      expect(payload.gaps).toContain(gapSequence.toString());
      expect(await verifyBoth()).toMatchObject({ valid: true, reason: null });
    } finally {
      await late.end();
      await rolledBack.end();
    }

    async function sealedEventWithoutWaiting(): Promise<string> {
      const sub = uniqueSub();
      await t.graphql(await t.token('admin', org, { sub }), '{ organizations { key } }');
      return (await sql<{ sequence: string }>('SELECT sequence::text AS sequence FROM audit_event WHERE actor_sub = $1', [sub]))[0].sequence;
    }
  });

  it('does not seal past an open transaction that holds the newest transaction id', async () => {
    const open = new pg.Client({ connectionString: testDatabaseUrl() });
    await open.connect();
    try {
      await open.query('BEGIN');
      const { rows } = await open.query<{ sequence: string }>(
        `SELECT sequence::text FROM audit_append('openTransaction', 'SUCCESS', 'test:open', 'test', ARRAY['test'], 'test', '{}', '{}', NULL, NULL, NULL, '{}', '{}', NULL, NULL, NULL, '{}')`,
      );
      // No other transaction completes in between: a snapshot's xmax would now be at or below the
      // open transaction's id, and a sealer trusting it would seal past it.
      for (let i = 0; i < 3; i++) await sealer.sealRound();
      const sealedThrough = BigInt((await sql<{ last: string | null }>('SELECT max(last_sequence)::text AS last FROM audit_checkpoint'))[0].last ?? '0');
      expect(sealedThrough).toBeLessThan(BigInt(rows[0].sequence));
      await open.query('COMMIT');
    } finally {
      await open.end();
    }
    await sealer.sealEverythingCommitted();
    expect(await verifyBoth()).toMatchObject({ valid: true, reason: null });
  });

  it('names an altered field', async () => {
    const sequence = await sealedEvent();
    await asAttacker((db) => db.query(`UPDATE audit_event SET outcome = 'DENIED' WHERE sequence = $1`, [sequence]));
    try {
      expect(await verifyBoth()).toMatchObject({ valid: false, firstInvalidSequence: sequence, reason: 'EVENT_ALTERED' });
    } finally {
      await asAttacker((db) => db.query(`UPDATE audit_event SET outcome = 'SUCCESS' WHERE sequence = $1`, [sequence]));
    }
    expect(await verifyBoth()).toMatchObject({ valid: true, reason: null });
  });

  it('agrees with the compiled offline command (npm run audit:verify, worker threads), valid and tampered', async () => {
    const { execFileSync } = await import('node:child_process');
    const { projectRoot } = await import('@libs/config/project-root.js');
    const root = projectRoot();
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
    const run = () => {
      try {
        return JSON.parse(execFileSync(process.execPath, ['dist/src/cli/audit-verify.js', '--database-url', testDatabaseUrl(), '--keys', keysFile], { cwd: root, encoding: 'utf8' }));
      } catch (error) {
        // Exit code 1 means "not valid": the report is still on stdout.
        return JSON.parse((error as { stdout: string }).stdout);
      }
    };
    const sequence = await sealedEvent();
    expect(run()).toMatchObject({ valid: true, reason: null });
    await asAttacker((db) => db.query(`UPDATE audit_event SET outcome = 'DENIED' WHERE sequence = $1`, [sequence]));
    try {
      expect(run()).toMatchObject({ valid: false, firstInvalidSequence: sequence, reason: 'EVENT_ALTERED' });
    } finally {
      await asAttacker((db) => db.query(`UPDATE audit_event SET outcome = 'SUCCESS' WHERE sequence = $1`, [sequence]));
    }
  }, 60_000);

  it('names a deleted event', async () => {
    const sequence = await sealedEvent();
    const backup = `audit_backup_${sequence}`;
    await asAttacker(async (db) => {
      // Kept in the database, so the restore is exact to the microsecond.
      await db.query(`CREATE TABLE ${backup} AS SELECT * FROM audit_event WHERE sequence = $1`, [sequence]);
      await db.query('DELETE FROM audit_event WHERE sequence = $1', [sequence]);
    });
    try {
      expect(await verifyBoth()).toMatchObject({ valid: false, firstInvalidSequence: sequence, reason: 'EVENT_MISSING' });
    } finally {
      await asAttacker(async (db) => {
        await db.query(`INSERT INTO audit_event SELECT * FROM ${backup}`);
        await db.query(`DROP TABLE ${backup}`);
      });
    }
    expect(await verifyBoth()).toMatchObject({ valid: true, reason: null });
  });

  it('names an event inserted behind a checkpoint', async () => {
    const sequence = await sealedEvent();
    const forged = (await sql<{ id: string }>(
      `SELECT gen_random_uuid()::text AS id`,
    ))[0].id;
    await asAttacker((db) =>
      db.query(
        `INSERT INTO audit_event (sequence, id, occurred_at, action, outcome, actor_sub, actor_org, actor_roles)
         SELECT sequence, $2, occurred_at + interval '1 microsecond', 'registerPatient', 'SUCCESS', 'mallory', 'x', ARRAY['provider_staff'] FROM audit_event WHERE sequence = $1`,
        [sequence, forged],
      ),
    );
    try {
      expect(await verifyBoth()).toMatchObject({ valid: false, firstInvalidSequence: sequence, reason: 'EVENT_INSERTED_BEHIND_CHECKPOINT' });
    } finally {
      await asAttacker((db) => db.query('DELETE FROM audit_event WHERE id = $1', [forged]));
    }
    expect(await verifyBoth()).toMatchObject({ valid: true, reason: null });
  });

  it('names a checkpoint forged without the key (event altered, chain re-hashed, re-signed with another key)', async () => {
    const sequence = await sealedEvent();
    const [checkpoint] = await sql<{ checkpoint: string; first_sequence: string; jws: string; head: string }>(
      'SELECT checkpoint::text, first_sequence::text, jws, head FROM audit_checkpoint WHERE $1 BETWEEN first_sequence AND last_sequence',
      [sequence],
    );
    const payload = JSON.parse(Buffer.from(checkpoint.jws.split('.')[1], 'base64url').toString());
    const { privateKey } = await generateKeyPair('ES256');
    const forgedPayload = { ...payload, head: 'f'.repeat(64) };
    const forgedJws = await new CompactSign(new TextEncoder().encode(canonicalJson(forgedPayload))).setProtectedHeader({ alg: 'ES256', kid: JSON.parse(Buffer.from(checkpoint.jws.split('.')[0], 'base64url').toString()).kid }).sign(privateKey);
    await asAttacker(async (db) => {
      await db.query(`UPDATE audit_event SET outcome = 'DENIED' WHERE sequence = $1`, [sequence]);
      await db.query('UPDATE audit_checkpoint SET jws = $2, head = $3 WHERE checkpoint = $1', [checkpoint.checkpoint, forgedJws, forgedPayload.head]);
    });
    try {
      expect(await verifyBoth()).toMatchObject({ valid: false, firstInvalidSequence: checkpoint.first_sequence, reason: 'CHECKPOINT_SIGNATURE_INVALID' });
    } finally {
      await asAttacker(async (db) => {
        await db.query(`UPDATE audit_event SET outcome = 'SUCCESS' WHERE sequence = $1`, [sequence]);
        await db.query('UPDATE audit_checkpoint SET jws = $2, head = $3 WHERE checkpoint = $1', [checkpoint.checkpoint, checkpoint.jws, checkpoint.head]);
      });
    }
    expect(await verifyBoth()).toMatchObject({ valid: true, reason: null });
  });

  it('names a removed checkpoint', async () => {
    await sealedEvent();
    await sealedEvent();
    const [checkpoint] = await sql<{ checkpoint: string; first_sequence: string }>(
      'SELECT checkpoint::text, first_sequence::text FROM audit_checkpoint ORDER BY checkpoint DESC OFFSET 1 LIMIT 1',
    );
    const backup = `checkpoint_backup_${checkpoint.checkpoint}`;
    await asAttacker(async (db) => {
      await db.query(`CREATE TABLE ${backup} AS SELECT * FROM audit_checkpoint WHERE checkpoint = $1`, [checkpoint.checkpoint]);
      await db.query('DELETE FROM audit_checkpoint WHERE checkpoint = $1', [checkpoint.checkpoint]);
    });
    try {
      expect(await verifyBoth()).toMatchObject({ valid: false, firstInvalidSequence: checkpoint.first_sequence, reason: 'CHECKPOINT_MISSING' });
    } finally {
      await asAttacker(async (db) => {
        await db.query(`INSERT INTO audit_checkpoint SELECT * FROM ${backup}`);
        await db.query(`DROP TABLE ${backup}`);
      });
    }
    expect(await verifyBoth()).toMatchObject({ valid: true, reason: null });
  });

  it('is for compliance officers only, refuses bad ranges by name, and audits every verification', async () => {
    for (const role of ['admin', 'provider_staff', 'responder'] as const) expect(codeOf(await t.graphql(await t.token(role, await t.homeOf(role)), VERIFY, {}))).toBe('FORBIDDEN');
    expect((await t.graphql(officer, VERIFY, { from: 'ten' })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['fromSequence'] });
    expect((await t.graphql(officer, VERIFY, { from: '9', to: '3' })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['toSequence'] });
    const sub = uniqueSub();
    await t.graphql(await t.token('compliance_officer', org, { sub }), VERIFY, {});
    expect(await sql('SELECT action, outcome FROM audit_event WHERE actor_sub = $1', [sub])).toEqual([{ action: 'verifyAuditLog', outcome: 'SUCCESS' }]);
  });
});
