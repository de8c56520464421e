import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Reads a JSON key file, or (outside production only, when `create` is given) writes a new one
 * with owner-only permissions first. Keys never go into the database.
 */
export async function readOrCreateKeyFile<T>(path: string, create?: () => Promise<T> | T): Promise<T> {
  if (!existsSync(path)) {
    if (!create) throw new Error(`key file not found: ${path}`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(await create(), null, 2), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      // Another process created it first: use theirs.
      if (error.code !== 'EEXIST') throw error;
    });
    await chmod(path, 0o600);
  }
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
