import { ConfigurationError, loadConfig, programWebhookEnvironmentKey } from './app-config.js';

const SECRET = 's3cret-for-signing-0123456789';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
}

describe('program webhooks in the environment (PROGRAM_WEBHOOK_URL_<ORG_KEY>, PROGRAM_WEBHOOK_SECRET_<ORG_KEY>)', () => {
  it('names an organisation key as the environment does: upper-cased, every other character _', () => {
    expect(programWebhookEnvironmentKey('riverside-recovery')).toBe('RIVERSIDE_RECOVERY');
    expect(programWebhookEnvironmentKey('harbor-2')).toBe('HARBOR_2');
  });

  it('reads each program\'s URL and secret', () => {
    const config = loadConfig({ PROGRAM_WEBHOOK_URL_RIVERSIDE_RECOVERY: 'https://riverside.example/hooks/crisis-link', PROGRAM_WEBHOOK_SECRET_RIVERSIDE_RECOVERY: SECRET });
    expect(config.programWebhooks.get('RIVERSIDE_RECOVERY')).toEqual({ url: 'https://riverside.example/hooks/crisis-link', secret: SECRET });
    expect(config.env.PROGRAM_WEBHOOK_POLL_INTERVAL_MS).toBe(2000);
  });

  it.each([
    [{ PROGRAM_WEBHOOK_URL_A: 'https://a.example/hook' }, 'PROGRAM_WEBHOOK_URL_A needs PROGRAM_WEBHOOK_SECRET_A'],
    [{ PROGRAM_WEBHOOK_SECRET_A: SECRET }, 'PROGRAM_WEBHOOK_SECRET_A is set without PROGRAM_WEBHOOK_URL_A'],
    [{ PROGRAM_WEBHOOK_URL_A: 'not a url', PROGRAM_WEBHOOK_SECRET_A: SECRET }, 'PROGRAM_WEBHOOK_URL_A must be an https URL'],
    [{ PROGRAM_WEBHOOK_URL_A: 'https://user:pw@a.example/hook', PROGRAM_WEBHOOK_SECRET_A: SECRET }, 'PROGRAM_WEBHOOK_URL_A must be an https URL'],
    [{ PROGRAM_WEBHOOK_URL_A: 'https://a.example/hook', PROGRAM_WEBHOOK_SECRET_A: 'short-secret' }, 'PROGRAM_WEBHOOK_SECRET_A must be at least 16 characters'],
  ])('refuses %j, naming the variable and never its value', (env, problem) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
    for (const value of Object.values(env)) expect(problems[0]).not.toContain(value);
  });

  it('takes http only outside production', () => {
    const env = { PROGRAM_WEBHOOK_URL_A: 'http://127.0.0.1:4700/hook', PROGRAM_WEBHOOK_SECRET_A: SECRET };
    expect(problemsOf(env)).toEqual([]);
    const production = {
      ...env,
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db:5432/crisis',
      AUTH_ISSUER: 'https://idp.example/',
      AUTH_AUDIENCE: 'crisis-link',
      AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-key.json',
      DATA_ENCRYPTION_KEY_FILE: '/run/secrets/data-key.json',
      AUDIT_WITNESS_DIR: '/var/lib/crisis-link/witness',
    };
    expect(problemsOf(production)).toEqual(['PROGRAM_WEBHOOK_URL_A must be an https URL without credentials']);
  });
});
