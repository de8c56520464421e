import { DemoDataSeeder } from './demo/demo-data.seeder.js';
import { buildApp } from './bootstrap.js';
import { startBanner } from './start-banner.js';
import { ConfigurationError } from '@libs/config/app-config.js';

/** A port that cannot be used, said so that a person knows what to do. */
function listenProblem(error: unknown, port: number): Error | undefined {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new Error(
      `port ${port} is already in use (is crisis-link already running?): stop that first, or start on another port, for example PORT=${port + 1} npm start (and change PUBLIC_URL too if you set it)`,
    );
  }
  if (code === 'EACCES') return new Error(`port ${port} may not be used by this user: start on a port above 1023, for example PORT=3000 npm start`);
  return undefined;
}

async function main(): Promise<void> {
  const built = await buildApp(process.env);
  const { app, config } = built;
  try {
    if (config.seedDemoData) await app.get(DemoDataSeeder).seedIfEmpty();
    await app.listen(config.env.PORT, config.env.HOST);
  } catch (error) {
    // Never leave the embedded PostgreSQL running behind a start that failed.
    await built.close().catch(() => undefined);
    throw listenProblem(error, config.env.PORT) ?? error;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.env.PORT;
  if (!config.isProduction) process.stdout.write(startBanner(config, port));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: finishing requests in flight, then stopping\n`);
    built.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Configuration problems name the variable; anything else is reported without input values.
  const message = error instanceof ConfigurationError ? error.message : `failed to start: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
