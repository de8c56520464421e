import { type DynamicModule, Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import type { AppConfig } from '@libs/config/app-config.js';
import type { MigrationContext } from '@libs/database/migration-context.js';
import { type DataKeyFile, FieldCipher } from './field-cipher.js';
import { readOrCreateKeyFile } from './key-files.js';

/** Opens the data encryption key: DATA_ENCRYPTION_KEY_FILE, or outside production a generated one. */
export async function openFieldCipher(config: AppConfig): Promise<FieldCipher> {
  const file = config.env.DATA_ENCRYPTION_KEY_FILE;
  const key = file
    ? await readOrCreateKeyFile<DataKeyFile>(file)
    : await readOrCreateKeyFile<DataKeyFile>(join(config.env.DATA_DIR, 'data-encryption-key.json'), () => FieldCipher.generateKeyFile());
  return new FieldCipher(key);
}

/** The data key for migrations that encrypt rows already stored (C23), for every caller of migrateDatabase. */
export async function migrationContextFor(config: AppConfig): Promise<MigrationContext> {
  const cipher = await openFieldCipher(config);
  return { encryptField: (plaintext, context) => cipher.encrypt(plaintext, context) };
}

@Global()
@Module({})
export class CryptoModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CryptoModule,
      providers: [{ provide: FieldCipher, useFactory: () => openFieldCipher(config) }],
      exports: [FieldCipher],
    };
  }
}
