import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { sql, testDatabaseUrl } from './database.js';

/**
 * A database of its own, so that terminating every backend of it (as a failover does) cannot
 * touch the test files running beside this one on the shared test database.
 */
export async function isolatedDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `crisis_link_outage_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await sql(`CREATE DATABASE ${name}`);
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: async () => void (await sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}

/** A superuser session inside `url`, which survives its own `pg_terminate_backend` storms. */
export async function adminSession(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Terminates every other backend of the session's database, as a failover or a restart does. */
export async function terminateBackends(admin: pg.Client): Promise<number> {
  const rows = await admin.query<{ terminated: boolean }>(
    'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  return rows.rows.filter((r) => r.terminated).length;
}

/**
 * A TCP hop between the service and PostgreSQL that a test can cut: open connections are reset
 * and new ones refused (ECONNRESET, ECONNREFUSED), as while PostgreSQL restarts or a primary is
 * replaced; `restore` listens again on the same port.
 */
export class DatabaseLink {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private terminateWhenReady = 0;

  private constructor(private readonly target: URL) {}

  /** Returns the link and `url` rewritten to go through it. */
  static async open(url: string): Promise<{ link: DatabaseLink; url: string }> {
    const link = new DatabaseLink(new URL(url));
    await link.restore();
    const through = new URL(url);
    through.hostname = '127.0.0.1';
    through.port = String(link.port);
    return { link, url: through.toString() };
  }

  async restore(): Promise<void> {
    if (this.server) return;
    const server = createServer((downstream) => {
      const upstream = connect(Number(this.target.port || 5432), this.target.hostname);
      for (const socket of [downstream, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          downstream.destroy();
          upstream.destroy();
        });
      }
      downstream.pipe(upstream);
      if (this.terminateWhenReady > 0) {
        this.terminateWhenReady--;
        terminateWhenReady(upstream, downstream);
      } else {
        upstream.pipe(downstream);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : this.port;
    this.server = server;
  }

  /**
   * The next `count` new connections are terminated by the server the moment they are ready: the
   * client reads ReadyForQuery and FATAL 57P01 in one chunk, as when pg_terminate_backend meets
   * a connection that has just been opened (the race that ended the process, issue 9).
   */
  terminateNewConnectionsWhenReady(count = 1): void {
    this.terminateWhenReady = count;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    await closed;
  }
}

/** ErrorResponse: FATAL 57P01, as PostgreSQL sends it to a backend ended by pg_terminate_backend. */
function adminShutdownMessage(): Buffer {
  const fields = Buffer.from('SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0\0', 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0, 'ascii');
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}

/** Passes the server's messages on until ReadyForQuery ('Z'), then sends it with a FATAL in one write and ends. */
function terminateWhenReady(upstream: Socket, downstream: Socket): void {
  let pending = Buffer.alloc(0);
  upstream.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    let offset = 0;
    while (pending.length - offset >= 5) {
      const type = pending[offset];
      const end = offset + 1 + pending.readInt32BE(offset + 1);
      if (end > pending.length) break;
      offset = end;
      if (type === 0x5a) {
        downstream.end(Buffer.concat([pending.subarray(0, offset), adminShutdownMessage()]));
        upstream.destroy();
        return;
      }
    }
    if (offset > 0) downstream.write(pending.subarray(0, offset));
    pending = pending.subarray(offset);
  });
}
