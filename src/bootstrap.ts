import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { type AppConfig, loadConfig } from '@libs/config/app-config.js';
import { resolveDatabase } from '@libs/database/database-url.js';
import type { EmbeddedDatabase } from '@libs/database/embedded-database.js';
import { migrateDatabase } from '@libs/database/migrate.js';
import { migrationContextFor } from '@libs/crypto/crypto.module.js';
import { createValidationPipe } from '@libs/graphql/validation.js';
import { securityHeaders } from '@libs/http/security-headers.js';
import { MIGRATIONS } from '@migrations/index.js';
import { DEV_IDP_PATH } from '@libs/auth/dev-issuer.js';
import { DevIdentityProvider } from './dev-idp/dev-identity-provider.js';
import { AppModule } from './app.module.js';

export interface BuiltApp {
  app: INestApplication;
  config: AppConfig;
  databaseUrl: string;
  /** Closes the application, then stops the embedded database if this process started one. */
  close(): Promise<void>;
}

/**
 * Everything `npm start` and the tests share: validated config, the database (embedded when
 * DATABASE_URL is unset), migrations under an advisory lock, then the Nest application.
 */
export async function buildApp(env: Record<string, string | undefined> = process.env): Promise<BuiltApp> {
  const config = loadConfig(env);
  const database = await resolveDatabase(config);
  const stopDatabase = async (embedded?: EmbeddedDatabase) => embedded?.stop();
  try {
    await migrateDatabase(database.url, MIGRATIONS, await migrationContextFor(config));
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl: database.url }), {
      bufferLogs: true,
      // No global body parser: only /graphql takes a body, read after authentication by
      // GraphqlJsonBodyMiddleware, whose refusals never quote the body (C3).
      bodyParser: false,
    });
    app.useLogger(app.get(Logger));
    app.useGlobalPipes(createValidationPipe());
    app.disable('x-powered-by');
    app.set('trust proxy', 'loopback');
    // First of all, so that every answer carries them, refusals and other mounts included.
    app.use(...securityHeaders(config));
    // Mounted before Nest's body parsers: oidc-provider reads its own request bodies.
    if (config.usesDevIssuer) app.use(DEV_IDP_PATH, app.get(DevIdentityProvider).handler);
    await app.init();
    let closed = false;
    return {
      app,
      config,
      databaseUrl: database.url,
      async close() {
        if (closed) return;
        closed = true;
        await app.close();
        await stopDatabase(database.embedded);
      },
    };
  } catch (error) {
    await stopDatabase(database.embedded);
    throw error;
  }
}
