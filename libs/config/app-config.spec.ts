import { ConfigurationError, loadConfig } from './app-config.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app@db:5432/crisis',
  AUTH_ISSUER: 'https://idp.example/',
  AUTH_AUDIENCE: 'crisis-link',
  AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
  AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-key.json',
  DATA_ENCRYPTION_KEY_FILE: '/run/secrets/data-key.json',
  AUDIT_WITNESS_URL: 'https://oversight.example/audit-witness',
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

describe('loadConfig (house rule 7)', () => {
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

  it.each(['DATABASE_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUDIT_SIGNING_KEY_FILE', 'DATA_ENCRYPTION_KEY_FILE'])(
    'refuses production without %s, naming it',
    (name) => {
      const problems = problemsOf({ ...PRODUCTION, [name]: undefined });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(name);
    },
  );

  it('needs an audience with an outside issuer, outside production too; the key set comes from discovery', () => {
    expect(problemsOf({ AUTH_ISSUER: 'https://idp.example/' })).toEqual(['AUTH_AUDIENCE is required with AUTH_ISSUER']);
    expect(problemsOf({ ...PRODUCTION, AUTH_JWKS_URL: undefined })).toEqual([]);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['NODE_ENV', 'staging'],
    ['DATABASE_URL', 'mysql://x'],
    ['AUTH_JWKS_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_URL', 'https://crisis.example/app?x=1'],
    ['AUTH_ROLE_MAP', '{"Responders":"superuser"}'],
    ['AUTH_ROLE_MAP', '["responder"]'],
    ['AUTH_MFA_ROLES', 'responder,janitor'],
    ['AUTH_ROLES_CLAIM', 'roles with spaces'],
    ['WEB_IDLE_TIMEOUT_SECONDS', '1'],
    ['WEB_ANSWER_TTL_SECONDS', '2'],
    ['WEB_HIDDEN_CLEAR_SECONDS', '-5'],
    ['WEB_CRISIS_LINE', 'call me maybe'],
  ])('refuses a bad %s by name, without echoing the value', (name, value) => {
    const problems = problemsOf({ [name]: value, ...(name === 'AUTH_JWKS_URL' ? { AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' } : {}) });
    expect(problems.some((p) => p.includes(name))).toBe(true);
    expect(problems.join('\n')).not.toContain(value);
  });

  it("gives the responder's screen its defaults: the answer kept 10 minutes, 1 minute hidden, the 988 crisis line", () => {
    const { env } = loadConfig({});
    expect([env.WEB_ANSWER_TTL_SECONDS, env.WEB_HIDDEN_CLEAR_SECONDS, env.WEB_CRISIS_LINE]).toEqual([600, 60, '988']);
    expect(loadConfig({ WEB_CRISIS_LINE: '+1 (555) 0100-100' }).env.WEB_CRISIS_LINE).toBe('+1 (555) 0100-100');
  });

  it('refuses production without a witness of the audit ledger outside the database (C18): a directory or a receiver', () => {
    expect(problemsOf({ ...PRODUCTION, AUDIT_WITNESS_URL: undefined })).toEqual([
      'AUDIT_WITNESS_DIR or AUDIT_WITNESS_URL is required in production: signed audit checkpoints must be kept outside the database',
    ]);
    expect(problemsOf({ ...PRODUCTION, AUDIT_WITNESS_URL: undefined, AUDIT_WITNESS_DIR: '/var/lib/crisis-link/audit-witness' })).toEqual([]);
    expect(problemsOf({ AUDIT_WITNESS_URL: 'not a url' })).toEqual(['AUDIT_WITNESS_URL must be an http(s) URL']);
  });

  it('never seeds demo data in production', () => {
    expect(problemsOf({ ...PRODUCTION, SEED_DEMO_DATA: 'true' }).join()).toContain('SEED_DEMO_DATA');
  });

  it('asks for multi-factor from every role in production and from none in development, unless told', () => {
    expect(loadConfig(PRODUCTION).mfaRoles).toEqual(['responder', 'clinical_responder', 'provider_staff', 'compliance_officer', 'admin']);
    expect(loadConfig({}).mfaRoles).toEqual([]);
    expect(loadConfig({ ...PRODUCTION, AUTH_MFA_ROLES: 'clinical_responder, admin' }).mfaRoles).toEqual(['clinical_responder', 'admin']);
    expect(loadConfig({ AUTH_MFA_ROLES: 'all' }).mfaRoles).toHaveLength(5);
    expect(loadConfig({ ...PRODUCTION, AUTH_MFA_ROLES: 'none' }).mfaRoles).toEqual([]);
    expect(loadConfig({ AUTH_MFA_ACR_VALUES: 'phr, phrh urn:okta:loa:2fa:any' }).mfaAcrValues).toEqual(['phr', 'phrh', 'urn:okta:loa:2fa:any']);
  });

  it('derives the public address, the web scopes and the role map', () => {
    expect(loadConfig({ PORT: '4000' }).publicUrl).toBe('http://localhost:4000');
    expect(loadConfig({ PUBLIC_URL: 'https://crisis.example.org/' }).publicUrl).toBe('https://crisis.example.org');
    expect(loadConfig({ AUTH_WEB_SCOPES: ' api://crisis/access  offline_access ' }).webScopes).toEqual(['api://crisis/access', 'offline_access']);
    expect(loadConfig({ AUTH_ROLE_MAP: '{"CrisisLink.Responder":"responder"}' }).roleMap).toEqual({ 'CrisisLink.Responder': 'responder' });
  });
});
