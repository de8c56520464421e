import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CheckpointReceipt, type CheckpointVerifier, extendsHead, payloadSegment } from './audit-receipt.js';

/**
 * Somewhere outside the database that keeps every signed checkpoint (C18): whoever can edit the
 * database cannot edit it, so the ledger's head cannot be rolled back or rewritten unnoticed.
 * The sealer sends each checkpoint to every witness before it counts it as done, and never signs
 * one that does not extend the newest a witness holds; verification compares the database with
 * what the witnesses hold.
 */
export interface AuditWitness {
  /** Names the witness in logs and answers, without secrets: `directory`, `url`, `log`. */
  readonly name: string;
  /** Whether it can say what it holds (a log cannot: it only writes). */
  readonly holdsHeads: boolean;
  /** The newest checkpoint it holds, its signature checked; null when it holds none. */
  newest(): Promise<CheckpointReceipt | null>;
  /**
   * Records a checkpoint that extends the newest it holds (any checkpoint when it holds none).
   * True when recorded now, false when it already held this very checkpoint.
   * Throws WitnessConflictError for one that does not extend its newest.
   */
  record(receipt: CheckpointReceipt): Promise<boolean>;
  /** Every checkpoint it holds, as compact JWS, oldest first. */
  receipts(): Promise<string[]>;
}

/** The witness did not answer, or answered something unusable: retry later. */
export class WitnessUnavailableError extends Error {
  constructor(
    readonly witness: string,
    readonly problem: unknown,
  ) {
    super(`audit witness ${witness} unavailable: ${problem instanceof Error ? problem.message : String(problem)}`);
    this.name = 'WitnessUnavailableError';
  }
}

/** The witness holds a newest checkpoint that the offered one does not extend. */
export class WitnessConflictError extends Error {
  constructor(
    readonly witness: string,
    readonly held: CheckpointReceipt | null,
  ) {
    super(`audit witness ${witness} holds checkpoint ${held?.payload.checkpoint ?? '?'}, which the offered checkpoint does not extend`);
    this.name = 'WitnessConflictError';
  }
}

/** The file names of a witness directory: one file per UTC month of writing, one compact JWS per line. */
const WITNESS_FILE = /^checkpoints-\d{4}-\d{2}\.jws$/;

async function unavailableAs<T>(witness: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WitnessConflictError || error instanceof WitnessUnavailableError) throw error;
    throw new WitnessUnavailableError(witness, error);
  }
}

/**
 * An append-only directory (AUDIT_WITNESS_DIR; the receiver of `npm run audit:witness` stores
 * what it gets the same way). Files `checkpoints-YYYY-MM.jws`, each line one checkpoint's compact
 * JWS, in the order they were signed. Lines are only ever appended, each with one write and an
 * fsync; a line cut short by a crash is ignored, and the next line starts on a line of its own.
 * Writers must take turns (the sealer's lock; the receiver serialises its requests).
 */
export class DirectoryWitness implements AuditWitness {
  readonly holdsHeads = true;
  private cached?: { key: string; receipt: CheckpointReceipt };

  constructor(
    private readonly directory: string,
    private readonly verify: CheckpointVerifier,
    readonly name = 'directory',
  ) {}

  newest(): Promise<CheckpointReceipt | null> {
    return unavailableAs(this.name, async () => {
      for (const file of (await this.files()).reverse()) {
        const path = join(this.directory, file);
        const handle = await open(path, 'r');
        try {
          const { size, mtimeMs } = await handle.stat();
          const key = `${file}:${size}:${mtimeMs}`;
          if (this.cached?.key === key) return this.cached.receipt;
          const jws = await lastCompleteLine(handle, size);
          if (jws === null) continue;
          const receipt = { jws, payload: await this.verify(jws) };
          this.cached = { key, receipt };
          return receipt;
        } finally {
          await handle.close();
        }
      }
      return null;
    });
  }

  record(receipt: CheckpointReceipt): Promise<boolean> {
    return unavailableAs(this.name, async () => {
      const held = await this.newest();
      if (held && payloadSegment(held.jws) === payloadSegment(receipt.jws)) return false;
      if (held && !extendsHead(receipt.payload, held.payload)) throw new WitnessConflictError(this.name, held);
      await mkdir(this.directory, { recursive: true, mode: 0o750 });
      const month = new Date().toISOString().slice(0, 7);
      const handle = await open(join(this.directory, `checkpoints-${month}.jws`), 'a+', 0o640);
      try {
        const { size } = await handle.stat();
        let separator = '';
        if (size > 0) {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) separator = '\n';
        }
        await handle.write(`${separator}${receipt.jws}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return true;
    });
  }

  receipts(): Promise<string[]> {
    return unavailableAs(this.name, async () => {
      const all: string[] = [];
      for (const file of await this.files()) {
        const text = await readFile(join(this.directory, file), 'latin1');
        const lines = text.split('\n');
        // The last element is empty after a complete line, or a line cut short: never a checkpoint.
        lines.pop();
        for (const line of lines) if (line.length > 0) all.push(line);
      }
      return all;
    });
  }

  private async files(): Promise<string[]> {
    try {
      return (await readdir(this.directory)).filter((f) => WITNESS_FILE.test(f)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

/** The last non-empty line that ends with a newline, read backwards from the end; null when there is none. */
async function lastCompleteLine(handle: Awaited<ReturnType<typeof open>>, size: number): Promise<string | null> {
  let position = size;
  // A JWS is ASCII; anything else on a line makes that line unusable, not the file.
  let text = '';
  for (let chunk = 64 * 1024; ; chunk *= 2) {
    let end = text.lastIndexOf('\n');
    while (end >= 0) {
      const start = text.lastIndexOf('\n', end - 1);
      if (start < 0 && position > 0) break;
      const line = text.slice(start + 1, end);
      if (line.length > 0) return line;
      end = start;
    }
    if (position === 0) return null;
    const length = Math.min(chunk, position);
    position -= length;
    const part = Buffer.alloc(length);
    await handle.read(part, 0, length, position);
    text = part.toString('latin1') + text;
  }
}

/**
 * A receiver run by another organisation (`npm run audit:witness`, AUDIT_WITNESS_URL): the
 * checkpoint is POSTed as its compact JWS, which is the signature — the receiver checks it with
 * the service's public keys and keeps only checkpoints that extend the newest it holds.
 */
export class HttpWitness implements AuditWitness {
  readonly holdsHeads = true;
  private readonly base: string;

  constructor(
    url: string,
    private readonly verify: CheckpointVerifier,
    readonly name = 'url',
    private readonly timeoutMs = 5000,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  newest(): Promise<CheckpointReceipt | null> {
    return unavailableAs(this.name, async () => {
      const response = await fetch(`${this.base}/head`, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } });
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { jws } = (await response.json()) as { jws: string };
      return { jws, payload: await this.verify(jws) };
    });
  }

  record(receipt: CheckpointReceipt): Promise<boolean> {
    return unavailableAs(this.name, async () => {
      const response = await fetch(`${this.base}/checkpoints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ jws: receipt.jws }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (response.status === 409) {
        const body = (await response.json().catch(() => ({}))) as { held?: { jws?: string } };
        const jws = body.held?.jws;
        throw new WitnessConflictError(this.name, jws ? { jws, payload: await this.verify(jws) } : null);
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.status === 201;
    });
  }

  receipts(): Promise<string[]> {
    return unavailableAs(this.name, async () => {
      const response = await fetch(`${this.base}/checkpoints`, { signal: AbortSignal.timeout(Math.max(this.timeoutMs, 60_000)) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.text()).split('\n').filter((line) => line.length > 0);
    });
  }
}

/**
 * The service's structured log: every checkpoint it signs, as one line at level info with the
 * compact JWS (shipped with the other logs to wherever they are kept). It cannot say what it
 * holds, so it takes no part in the sealer's checks; a person can take receipts from it.
 */
export class LogWitness implements AuditWitness {
  readonly name = 'log';
  readonly holdsHeads = false;

  constructor(private readonly log: (fields: Record<string, unknown>, message: string) => void) {}

  async newest(): Promise<null> {
    return null;
  }

  async record(receipt: CheckpointReceipt): Promise<boolean> {
    const { checkpoint, firstSequence, lastSequence, eventCount, head, sealedAt } = receipt.payload;
    this.log({ auditCheckpoint: { checkpoint, firstSequence, lastSequence, eventCount, head, sealedAt, jws: receipt.jws } }, 'audit checkpoint signed');
    return true;
  }

  async receipts(): Promise<string[]> {
    return [];
  }
}

/** The witnesses configured outside the service (AUDIT_WITNESS_DIR, AUDIT_WITNESS_URL). */
export const AUDIT_WITNESSES = Symbol('AUDIT_WITNESSES');

/**
 * The directory witness's folder: AUDIT_WITNESS_DIR, or outside production one folder per
 * database under DATA_DIR/audit-witness (so that pointing the service at another database never
 * meets the heads of this one).
 */
export function auditWitnessDirectory(env: { AUDIT_WITNESS_DIR?: string; DATA_DIR: string; NODE_ENV: string; DATABASE_URL?: string }, databaseUrl: string | undefined): string | undefined {
  if (env.AUDIT_WITNESS_DIR) return env.AUDIT_WITNESS_DIR;
  if (env.NODE_ENV === 'production') return undefined;
  let ledger = 'embedded';
  if (env.DATABASE_URL && databaseUrl) {
    const url = new URL(databaseUrl);
    ledger = `${url.hostname}-${url.port || '5432'}-${decodeURIComponent(url.pathname.slice(1)) || 'postgres'}`.replace(/[^A-Za-z0-9._-]/g, '_');
  }
  return join(env.DATA_DIR, 'audit-witness', ledger);
}

/** The witnesses configured outside the service: the directory, the URL (the log is the sealer's own). */
export function openAuditWitnesses(
  env: { AUDIT_WITNESS_DIR?: string; AUDIT_WITNESS_URL?: string; DATA_DIR: string; NODE_ENV: string; DATABASE_URL?: string },
  databaseUrl: string | undefined,
  verify: CheckpointVerifier,
): AuditWitness[] {
  const witnesses: AuditWitness[] = [];
  const directory = auditWitnessDirectory(env, databaseUrl);
  if (directory) witnesses.push(new DirectoryWitness(directory, verify));
  if (env.AUDIT_WITNESS_URL) witnesses.push(new HttpWitness(env.AUDIT_WITNESS_URL, verify));
  return witnesses;
}
