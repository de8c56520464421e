import { ConfigurationError, loadConfig } from './app-config.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app@db:5432/crisis',
  AUTH_ISSUER: 'https://idp.example/',
  AUTH_AUDIENCE: 'crisis-link',
  AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
  AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-key.json',
  DATA_ENCRYPTION_KEY_FILE: '/run/secrets/data-key.json',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
}

describe('loadConfig (CONVENTIONS rule 7)', () => {
  it('starts a newcomer with no variables at all: embedded database, dev issuer, demo data', () => {
    const config = loadConfig({});
    expect(config.env.PORT).toBe(3000);
    expect(config.usesEmbeddedDatabase).toBe(true);
    expect(config.usesDevIssuer).toBe(true);
    expect(config.seedDemoData).toBe(true);
  });

  it('accepts a complete production environment, with every development path off', () => {
    const config = loadConfig(PRODUCTION);
    expect(config.isProduction).toBe(true);
    expect(config.usesEmbeddedDatabase).toBe(false);
    expect(config.usesDevIssuer).toBe(false);
    expect(config.seedDemoData).toBe(false);
  });

  it.each(['DATABASE_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL', 'AUDIT_SIGNING_KEY_FILE', 'DATA_ENCRYPTION_KEY_FILE'])(
    'refuses production without %s, naming it',
    (name) => {
      const problems = problemsOf({ ...PRODUCTION, [name]: undefined });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(name);
    },
  );

  it('needs audience and key set with an outside issuer, outside production too', () => {
    const problems = problemsOf({ AUTH_ISSUER: 'https://idp.example/' });
    expect(problems.join('\n')).toContain('AUTH_AUDIENCE');
    expect(problems.join('\n')).toContain('AUTH_JWKS_URL');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['NODE_ENV', 'staging'],
    ['DATABASE_URL', 'mysql://x'],
    ['AUTH_JWKS_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses a bad %s by name, without echoing the value', (name, value) => {
    const problems = problemsOf({ [name]: value, ...(name === 'AUTH_JWKS_URL' ? { AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' } : {}) });
    expect(problems.some((p) => p.includes(name))).toBe(true);
    expect(problems.join('\n')).not.toContain(value);
  });

  it('never seeds demo data in production', () => {
    expect(problemsOf({ ...PRODUCTION, SEED_DEMO_DATA: 'true' }).join()).toContain('SEED_DEMO_DATA');
  });
});
