import { resolve } from 'node:path';
import type { AppConfig } from '@libs/config/app-config.js';

const DEFAULT_PORT = 3000;
const DEFAULT_DATA_DIR = '.data';

/** A value as one shell word: bare when it is plain, else in single quotes. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `npm run token` command that mints a token this running service accepts. The command
 * names the development provider's issuer from PUBLIC_URL (else PORT) and signs with the key
 * under DATA_DIR, so a service started with another port, address or data folder needs the same
 * values in the other terminal; they are written in front of the command, and nothing when the
 * defaults are in use.
 */
export function devTokenCommand(config: AppConfig, person: { role: string; org: string; sub: string; name?: string }): string {
  const env: string[] = [];
  if (config.env.PUBLIC_URL !== undefined || config.env.PORT !== DEFAULT_PORT) env.push(`PUBLIC_URL=${shellWord(config.publicUrl)}`);
  if (config.env.DATA_DIR !== DEFAULT_DATA_DIR) env.push(`DATA_DIR=${shellWord(resolve(config.env.DATA_DIR))}`);
  const args = ['--role', person.role, '--org', person.org, '--sub', person.sub, ...(person.name ? ['--name', person.name] : [])];
  return [...env, 'npm run -s token --', ...args.map((a) => (/^[\w.-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, '\\$1')}"`))].join(' ');
}
