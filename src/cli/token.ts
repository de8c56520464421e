import { parseArgs } from 'node:util';
import { DevIssuer, devIssuerUrl } from '@libs/auth/dev-issuer.js';
import { isRole, ROLES } from '@libs/auth/principal.js';
import { loadConfig } from '@libs/config/app-config.js';

const USAGE = `usage: npm run token -- --role ROLE --org ORG_KEY --sub USER_ID [--name "Display Name"] [--ttl SECONDS] [--mfa]
roles: ${ROLES.join(', ')}`;

/**
 * Mints an access token with the development provider's own signing key (under DATA_DIR), with
 * its issuer (`<PUBLIC_URL>/dev-idp`) and the API's audience, so it verifies against the
 * provider's JWKS like a token the browser app gets by signing in. Refuses when it is off.
 */
export async function mintDevToken(argv: string[], env: Record<string, string | undefined>): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      role: { type: 'string', multiple: true },
      org: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string' },
      mfa: { type: 'boolean' },
    },
    strict: true,
  });
  const config = loadConfig(env);
  if (!config.usesDevIssuer) throw new Error('the development issuer is off (AUTH_ISSUER is set or NODE_ENV=production): get tokens from your identity provider');
  const roles = values.role ?? [];
  if (roles.length === 0 || !values.org || !values.sub) throw new Error(USAGE);
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0) throw new Error(`unknown role: ${unknown.join(', ')}\n${USAGE}`);
  const ttl = values.ttl ? Number(values.ttl) : 8 * 3600;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 7 * 24 * 3600) throw new Error('--ttl must be 1..604800 seconds');
  const issuer = await DevIssuer.open(config.env.DATA_DIR, devIssuerUrl(config.publicUrl));
  return issuer.mint({ sub: values.sub, org: values.org, roles, name: values.name, amr: values.mfa ? ['pwd', 'mfa'] : ['pwd'] }, ttl);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mintDevToken(process.argv.slice(2), process.env).then(
    (token) => process.stdout.write(`${token}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
