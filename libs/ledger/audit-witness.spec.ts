import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointPayload } from './audit-chain.js';
import type { CheckpointReceipt } from './audit-receipt.js';
import { auditWitnessDirectory, DirectoryWitness, LogWitness, WitnessConflictError, WitnessUnavailableError } from './audit-witness.js';

/** A fake "JWS" whose middle part is the payload; the verifier here only decodes it. */
function receipt(checkpoint: number, first: number, last: number, previousHead: string, head: string): CheckpointReceipt {
  const payload: CheckpointPayload = { v: 1, checkpoint, firstSequence: String(first), lastSequence: String(last), eventCount: 0, gaps: [], digests: '', previousHead, head, sealedAt: 't' };
  return { jws: `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`, payload };
}
const decode = async (jws: string) => {
  if (jws.startsWith('bad')) throw new Error('signature does not verify');
  return JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString()) as CheckpointPayload;
};
const H = (c: string) => c.repeat(64);

describe('DirectoryWitness (C18)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'witness-spec-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('appends one line per checkpoint, holds the newest, and takes only one that extends it', async () => {
    const witness = new DirectoryWitness(join(dir, 'w'), decode);
    expect(await witness.newest()).toBeNull();
    const one = receipt(1, 1, 5, H('0'), H('a'));
    const two = receipt(2, 6, 9, H('a'), H('b'));
    expect(await witness.record(one)).toBe(true);
    expect(await witness.record(one)).toBe(false);
    expect(await witness.record(two)).toBe(true);
    expect((await witness.newest())?.payload.checkpoint).toBe(2);
    await expect(witness.record(receipt(3, 9, 12, H('b'), H('c')))).rejects.toBeInstanceOf(WitnessConflictError);
    await expect(witness.record(receipt(2, 6, 9, H('a'), H('x')))).rejects.toBeInstanceOf(WitnessConflictError);
    expect(await witness.receipts()).toEqual([one.jws, two.jws]);
  });

  it('ignores a line cut short by a crash and starts the next on a line of its own', async () => {
    const witness = new DirectoryWitness(dir, decode);
    const one = receipt(1, 1, 5, H('0'), H('a'));
    await witness.record(one);
    const name = (await readdir(dir))[0];
    await appendFile(join(dir, name), 'h.eyJjaGVja3BvaW50Ijoy'); // no newline: a write cut short
    expect((await witness.newest())?.payload.checkpoint).toBe(1);
    const two = receipt(2, 6, 9, H('a'), H('b'));
    await witness.record(two);
    expect((await readFile(join(dir, name), 'utf8')).split('\n')).toEqual([one.jws, 'h.eyJjaGVja3BvaW50Ijoy', two.jws, '']);
    expect((await witness.newest())?.payload.checkpoint).toBe(2);
  });

  it('is unavailable, not empty, when its newest line does not verify', async () => {
    await writeFile(join(dir, 'checkpoints-2026-11.jws'), 'bad.line.here\n');
    await expect(new DirectoryWitness(dir, decode).newest()).rejects.toBeInstanceOf(WitnessUnavailableError);
  });

  it('lives under DATA_DIR, one folder per database, outside production; only where told in production', () => {
    expect(auditWitnessDirectory({ DATA_DIR: '.data', NODE_ENV: 'development' }, 'postgres://u:p@127.0.0.1:5999/x')).toBe(join('.data', 'audit-witness', 'embedded'));
    expect(auditWitnessDirectory({ DATA_DIR: '.data', NODE_ENV: 'test', DATABASE_URL: 'set' }, 'postgres://u:p@db.example:5433/crisis')).toBe(join('.data', 'audit-witness', 'db.example-5433-crisis'));
    expect(auditWitnessDirectory({ DATA_DIR: '.data', NODE_ENV: 'production', DATABASE_URL: 'set' }, 'postgres://db/x')).toBeUndefined();
    expect(auditWitnessDirectory({ DATA_DIR: '.data', NODE_ENV: 'production', AUDIT_WITNESS_DIR: '/w' }, 'postgres://db/x')).toBe('/w');
  });
});

describe('LogWitness', () => {
  it('writes each checkpoint to the structured log with its JWS, and holds nothing it could be asked for', async () => {
    const lines: Array<[Record<string, unknown>, string]> = [];
    const witness = new LogWitness((fields, message) => lines.push([fields, message]));
    const one = receipt(1, 1, 5, H('0'), H('a'));
    expect(await witness.record(one)).toBe(true);
    expect(lines).toEqual([[{ auditCheckpoint: expect.objectContaining({ checkpoint: 1, lastSequence: '5', head: H('a'), jws: one.jws }) }, 'audit checkpoint signed']]);
    expect(witness.holdsHeads).toBe(false);
    expect(await witness.newest()).toBeNull();
  });
});
