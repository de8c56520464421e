import { loadConfig } from '@libs/config/app-config.js';
import { resolveDatabase } from '@libs/database/database-url.js';
import { migrateDatabase } from '@libs/database/migrate.js';
import { migrationContextFor } from '@libs/crypto/crypto.module.js';
import { MIGRATIONS } from '@migrations/index.js';

/** `npm run migration:run`: applies pending migrations (under the same advisory lock as a start). */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const database = await resolveDatabase(config);
  try {
    const applied = await migrateDatabase(database.url, MIGRATIONS, await migrationContextFor(config));
    process.stdout.write(applied.length === 0 ? 'no pending migrations\n' : `applied: ${applied.join(', ')}\n`);
  } finally {
    await database.embedded?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
