import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createRemoteJWKSet, type JSONWebKeySet } from 'jose';
import { type CheckpointVerifier, checkpointVerifier } from '@libs/ledger/audit-receipt.js';
import { DirectoryWitness, WitnessConflictError } from '@libs/ledger/audit-witness.js';

const USAGE = 'usage: npm run audit:witness -- --keys FILE_OR_URL --dir DIR [--port 4600] [--host 127.0.0.1]';
/** A checkpoint's JWS is at most ~150 KB (10,000 digests); anything much larger is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface WitnessServer {
  url: string;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(type === 'application/json' ? JSON.stringify(body) : String(body));
}

/** The `jws` of a `{"jws": "..."}` body of at most MAX_BODY_BYTES; null for anything else, 'too large' when it is. */
async function readCheckpointBody(req: IncomingMessage): Promise<string | null | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too large';
    chunks.push(chunk as Buffer);
  }
  try {
    const jws = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { jws?: unknown }).jws;
    return typeof jws === 'string' ? jws : null;
  } catch {
    return null;
  }
}

/** The witness's answers: its store, the service's keys, and one write at a time. */
class WitnessRoutes {
  /** The extension check and the append must not interleave. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: DirectoryWitness,
    private readonly verify: CheckpointVerifier,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/head') return this.head(res);
    if (req.method === 'GET' && path === '/checkpoints') return answer(res, 200, (await this.store.receipts()).map((line) => `${line}\n`).join(''), 'text/plain; charset=utf-8');
    if (req.method === 'POST' && path === '/checkpoints') return this.record(req, res);
    return answer(res, 404, { error: 'not found' });
  }

  private async head(res: ServerResponse): Promise<void> {
    const newest = await this.store.newest();
    if (!newest) return answer(res, 404, { error: 'no checkpoint held' });
    const { checkpoint, lastSequence, head } = newest.payload;
    return answer(res, 200, { checkpoint, lastSequence, head, jws: newest.jws });
  }

  private async record(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const jws = await readCheckpointBody(req);
    if (jws === 'too large') return answer(res, 413, { error: 'too large for a checkpoint' });
    if (jws === null) return answer(res, 400, { error: 'expected {"jws": "<compact JWS>"}' });
    let payload;
    try {
      payload = await this.verify(jws);
    } catch {
      return answer(res, 400, { error: 'not a checkpoint signed by a key of the service' });
    }
    const recorded = this.writing.then(() => this.store.record({ jws, payload }));
    this.writing = recorded.catch(() => undefined);
    try {
      const created = await recorded;
      return answer(res, created ? 201 : 200, { checkpoint: payload.checkpoint, lastSequence: payload.lastSequence, head: payload.head });
    } catch (error) {
      if (!(error instanceof WitnessConflictError)) throw error;
      const held = error.held;
      process.stderr.write(`audit witness: refused checkpoint ${payload.checkpoint}: it does not extend checkpoint ${held?.payload.checkpoint ?? '?'} held here\n`);
      return answer(res, 409, {
        error: 'does not extend the newest checkpoint held',
        held: held ? { checkpoint: held.payload.checkpoint, lastSequence: held.payload.lastSequence, head: held.payload.head, jws: held.jws } : null,
      });
    }
  }
}

/**
 * A witness of the audit ledger for another organisation to run (the oversight body, say): it
 * keeps, outside the service's database, every checkpoint the service signs (C18), and serves
 * them back so that anyone can check the service's database against them.
 *
 * - `POST /checkpoints` `{"jws": "<compact JWS>"}`: the JWS is the signature — checked with the
 *   service's public keys (`--keys`: its /.well-known/audit-keys.json, or a file). Kept (201) when
 *   it extends the newest checkpoint held (the next number, from its head), or is the first;
 *   200 when already held; 409 with the newest held when it does not extend it (a rollback or a
 *   rewrite: the service must not continue); 400 when it is not a checkpoint signed by the service.
 * - `GET /head`: the newest held, `{checkpoint, lastSequence, head, jws}`; 404 when none.
 * - `GET /checkpoints`: every checkpoint held, one compact JWS per line, oldest first.
 *
 * Storage is an append-only directory in the same format as the service's AUDIT_WITNESS_DIR, so a
 * copy of it works with `npm run audit:verify -- --witness-dir`.
 */
export async function startWitnessServer(options: { keys: string; dir: string; port?: number; host?: string }): Promise<WitnessServer> {
  const keys = /^https?:\/\//.test(options.keys)
    ? createRemoteJWKSet(new URL(options.keys), { cooldownDuration: 30_000 })
    : (JSON.parse(await readFile(options.keys, 'utf8')) as JSONWebKeySet);
  const verify = checkpointVerifier(keys);
  const routes = new WitnessRoutes(new DirectoryWitness(options.dir, verify), verify);
  const server = createServer((req, res) => {
    routes.handle(req, res).catch((error: unknown) => {
      process.stderr.write(`audit witness: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!res.headersSent) answer(res, 503, { error: 'unavailable' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4600, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const run = async () => {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: { keys: { type: 'string' }, dir: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
      strict: true,
    });
    if (!values.keys || !values.dir) throw new Error(USAGE);
    const server = await startWitnessServer({ keys: values.keys, dir: values.dir, port: values.port ? Number(values.port) : undefined, host: values.host });
    process.stdout.write(`audit witness listening on ${server.url}, keeping checkpoints in ${values.dir}\n`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  };
  run().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
