import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { type AppConfig, loadConfig } from '@libs/config/app-config.js';
import { resolveDatabase } from '@libs/database/database-url.js';
import type { EmbeddedDatabase } from '@libs/database/embedded-database.js';
import { migrateDatabase } from '@libs/database/migrate.js';
import { createValidationPipe } from '@libs/graphql/validation.js';
import { MIGRATIONS } from '@migrations/index.js';
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
    await migrateDatabase(database.url, MIGRATIONS);
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl: database.url }), {
      bufferLogs: true,
    });
    app.useLogger(app.get(Logger));
    app.useGlobalPipes(createValidationPipe());
    app.disable('x-powered-by');
    app.set('trust proxy', 'loopback');
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
