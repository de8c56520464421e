import { exportJWK, generateKeyPair } from 'jose';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FieldCipher } from '@libs/crypto/field-cipher.js';

/**
 * `npm run keys:generate -- --out DIR`: writes a new audit signing key (ES256 private JWK) and a
 * new data encryption key, owner-readable only, for AUDIT_SIGNING_KEY_FILE and
 * DATA_ENCRYPTION_KEY_FILE. Refuses to overwrite: losing the data key loses the data.
 */
export async function generateKeyFiles(argv: string[]): Promise<string[]> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' } }, strict: true });
  if (!values.out) throw new Error('usage: npm run keys:generate -- --out DIRECTORY');
  const audit = join(values.out, 'audit-signing-key.json');
  const data = join(values.out, 'data-encryption-key.json');
  for (const file of [audit, data]) if (existsSync(file)) throw new Error(`${file} exists; refusing to overwrite a key`);
  await mkdir(values.out, { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `audit-${new Date().toISOString().slice(0, 10)}-${Math.random().toString(36).slice(2, 8)}`;
  await writeFile(audit, JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' }, null, 2), { mode: 0o600 });
  await writeFile(data, JSON.stringify(FieldCipher.generateKeyFile(), null, 2), { mode: 0o600 });
  return [audit, data];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  generateKeyFiles(process.argv.slice(2)).then(
    (files) => process.stdout.write(`wrote ${files.join(' and ')}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
