import type { AppConfig } from '@libs/config/app-config.js';
import { EmbeddedDatabase } from './embedded-database.js';
import { join } from 'node:path';

export interface ResolvedDatabase {
  url: string;
  /** Set when this process started the database and must stop it on shutdown. */
  embedded?: EmbeddedDatabase;
}

/** DATABASE_URL when set; otherwise (never in production) the embedded PostgreSQL under DATA_DIR. */
export async function resolveDatabase(config: AppConfig, onLog?: (line: string) => void): Promise<ResolvedDatabase> {
  if (config.env.DATABASE_URL) return { url: config.env.DATABASE_URL };
  if (!config.usesEmbeddedDatabase) throw new Error('DATABASE_URL is required');
  const embedded = new EmbeddedDatabase({ directory: join(config.env.DATA_DIR, 'postgres'), onLog });
  const url = await embedded.start();
  return { url, embedded };
}
