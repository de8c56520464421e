import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
  ValidateIf,
} from 'class-validator';

import { isRole, type Role, ROLES } from '@libs/auth/principal.js';

export const NODE_ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type NodeEnvironment = (typeof NODE_ENVIRONMENTS)[number];

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
/** A claim name, or a dotted path into nested claims (`realm_access.roles`); URL-named claims allowed. */
const CLAIM_PATH = /^[A-Za-z0-9_:\/.#-]{1,200}$/;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * The one typed view of the environment (house rule 7). Every variable of the README's
 * table is here with what it means; nothing else in the code reads process.env.
 */
export class EnvironmentVariables {
  /** `production` turns off the dev issuer, GraphiQL, introspection and the embedded database. */
  @IsIn(NODE_ENVIRONMENTS)
  NODE_ENV: NodeEnvironment = 'development';

  /** HTTP port the API listens on. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Address to bind. */
  @IsString()
  HOST = '0.0.0.0';

  /** PostgreSQL (>= 15) connection string; unset outside production: an embedded PostgreSQL under DATA_DIR/postgres. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production' || env.DATABASE_URL !== undefined)
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// connection string' })
  DATABASE_URL?: string;

  /** Expected `iss` of every token; unset outside production: the built-in development issuer. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production' || env.AUTH_ISSUER !== undefined)
  @IsString({ message: 'AUTH_ISSUER is required in production' })
  AUTH_ISSUER?: string;

  /** Expected `aud` of every token. Required with AUTH_ISSUER. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.AUTH_ISSUER !== undefined || env.NODE_ENV === 'production')
  @IsString({ message: 'AUTH_AUDIENCE is required with AUTH_ISSUER' })
  AUTH_AUDIENCE?: string;

  /**
   * JWKS of the identity provider (keys picked by `kid`, cached, refreshed on rotation). Optional:
   * by default it is the `jwks_uri` of `<AUTH_ISSUER>/.well-known/openid-configuration`.
   */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.AUTH_JWKS_URL !== undefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'AUTH_JWKS_URL must be an http(s) URL' })
  AUTH_JWKS_URL?: string;

  /** Private JWK (ES256) that signs audit checkpoints. Required in production; dev: generated under DATA_DIR. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production' || env.AUDIT_SIGNING_KEY_FILE !== undefined)
  @IsString({ message: 'AUDIT_SIGNING_KEY_FILE is required in production' })
  AUDIT_SIGNING_KEY_FILE?: string;

  /** A JWKS of retired checkpoint-signing public keys, served and trusted beside the current key. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_RETIRED_KEYS_FILE?: string;

  /** Key for fields encrypted at rest (C23). Required in production; dev: generated under DATA_DIR. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production' || env.DATA_ENCRYPTION_KEY_FILE !== undefined)
  @IsString({ message: 'DATA_ENCRYPTION_KEY_FILE is required in production' })
  DATA_ENCRYPTION_KEY_FILE?: string;

  /** Folder for local state outside production: embedded database, dev keys. */
  @IsString()
  DATA_DIR = '.data';

  /** Log level of the structured (pino) logs. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Seed demo organisations and patients into an empty database at start (never in production). */
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : value === 'true' || value === '1'))
  @IsOptional()
  SEED_DEMO_DATA?: boolean;

  /** Seconds of clock skew accepted on `exp` and `nbf`. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CLOCK_TOLERANCE_SECONDS = 30;

  /** The longest lifetime a token may claim (`exp` − `iat`); longer ones, and an `iat` in the future, are refused (C21). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 86_400)
  AUTH_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;

  /** Responder lookups one person may make in any sliding hour (C8); beyond it RATE_LIMITED. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  LOOKUP_RATE_LIMIT_PER_HOUR = 30;

  /** Emergency accesses one person may make in any sliding day (§2.51); beyond it RATE_LIMITED. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  EMERGENCY_RATE_LIMIT_PER_DAY = 5;

  /** How often the sealer chains and signs new audit events (0: never, for tools); events are sealed within about two intervals. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  AUDIT_SEAL_INTERVAL_MS = 2000;

  /**
   * Append-only directory that witnesses every signed audit checkpoint (one line each), outside
   * the database (C18). Shared storage when several instances seal. Production: this or
   * AUDIT_WITNESS_URL is required; outside production: DATA_DIR/audit-witness/<database>.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_WITNESS_DIR?: string;

  /** A witness receiver run by another organisation (`npm run audit:witness`); every checkpoint is POSTed to it. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.AUDIT_WITNESS_URL !== undefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'AUDIT_WITNESS_URL must be an http(s) URL' })
  AUDIT_WITNESS_URL?: string;

  /** Seconds after a JWKS fetch during which an unknown `kid` does not trigger another fetch. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  AUTH_JWKS_COOLDOWN_SECONDS = 30;

  /** The origin people open (the app, its sign-in callback); default `http://localhost:<PORT>`. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.PUBLIC_URL !== undefined)
  @Matches(/^https?:\/\/[^/?#\s]+\/?$/, { message: 'PUBLIC_URL must be an origin such as https://crisis-link.example.org' })
  PUBLIC_URL?: string;

  /** The browser app's client id at the identity provider (a public client: no secret). */
  @IsString()
  @Matches(/^\S+$/, { message: 'AUTH_WEB_CLIENT_ID must not be empty or contain spaces' })
  AUTH_WEB_CLIENT_ID = 'crisis-link-web';

  /** Scopes the app asks for beyond `openid profile` (space-separated), for providers that name the API by scope. */
  @IsString()
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E ]*$/, { message: 'AUTH_WEB_SCOPES must be space-separated scope names' })
  AUTH_WEB_SCOPES = '';

  /** Dotted path of the claim holding roles (`roles` for Entra ID app roles, `groups` for Okta, `realm_access.roles` for Keycloak). */
  @Matches(CLAIM_PATH, { message: 'AUTH_ROLES_CLAIM must be a claim name or a dotted path' })
  AUTH_ROLES_CLAIM = 'roles';

  /** Dotted path of the claim holding the organisation key. */
  @Matches(CLAIM_PATH, { message: 'AUTH_ORG_CLAIM must be a claim name or a dotted path' })
  AUTH_ORG_CLAIM = 'org';

  /** Dotted path of the claim holding the display name. */
  @Matches(CLAIM_PATH, { message: 'AUTH_NAME_CLAIM must be a claim name or a dotted path' })
  AUTH_NAME_CLAIM = 'name';

  /** JSON object: the identity provider's role or group value -> one of our roles. Unset: values are our role names. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUTH_ROLE_MAP?: string;

  /** Roles that must have signed in with multi-factor (comma-separated, `all` or `none`). Production default: all; development: none. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(all|none|[a-z_]+(\s*,\s*[a-z_]+)*)$/, { message: 'AUTH_MFA_ROLES must be `all`, `none` or a comma-separated list of roles' })
  AUTH_MFA_ROLES?: string;

  /** `acr` values that count as multi-factor (comma- or space-separated), beside an `amr` of mfa, otp, hwk… */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUTH_MFA_ACR_VALUES?: string;

  /** The responder's answer is removed from the page this many seconds after it arrived (C12: nothing stays on the device). */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(24 * 3600)
  WEB_ANSWER_TTL_SECONDS = 600;

  /** The responder's answer is removed when the page has been hidden (another app, screen off) this many seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24 * 3600)
  WEB_HIDDEN_CLEAR_SECONDS = 60;

  /** The local crisis line the app offers with every "no information" answer (a number that can be dialled). */
  @Matches(/^\+?[0-9][0-9 ()-]{1,29}$/, { message: 'WEB_CRISIS_LINE must be a phone number such as 988 or +1 555 0100 100' })
  WEB_CRISIS_LINE = '988';

  /** The browser app signs out after this many seconds without activity (HIPAA 164.312(a)(2)(iii)). */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(12 * 3600)
  WEB_IDLE_TIMEOUT_SECONDS = 900;

  /** How often the service looks for §2.51 notifications to deliver to programs' webhooks (0: never, for tools and tests). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  PROGRAM_WEBHOOK_POLL_INTERVAL_MS = 2000;

  /** The first retry of a failed webhook delivery waits this long; each next one twice as long, at most an hour. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  PROGRAM_WEBHOOK_RETRY_BASE_MS = 5000;
}

/** `PROGRAM_WEBHOOK_URL_<ORG_KEY>` / `PROGRAM_WEBHOOK_SECRET_<ORG_KEY>` (DESIGN.md, Wave 2). */
const PROGRAM_WEBHOOK_VARIABLE = /^PROGRAM_WEBHOOK_(URL|SECRET)_([A-Z0-9_]+)$/;
/** Settings of the webhook feature itself, not of one program. */
const PROGRAM_WEBHOOK_SETTINGS = new Set(['PROGRAM_WEBHOOK_POLL_INTERVAL_MS', 'PROGRAM_WEBHOOK_RETRY_BASE_MS']);
/** A signing secret shorter than this is guessable. */
export const PROGRAM_WEBHOOK_SECRET_MIN_LENGTH = 16;

/** A program's webhook as the environment sets it. */
export interface ProgramWebhookSetting {
  url: string;
  secret: string;
}

/** The environment's name for an organisation key: upper-cased, every other character `_`. */
export function programWebhookEnvironmentKey(organizationKey: string): string {
  return organizationKey.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Whether a webhook address may be used: https, or http outside production (a local receiver). */
export function isWebhookUrl(value: string, production: boolean): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || (!production && url.protocol === 'http:')) && url.username === '' && url.password === '';
}

/**
 * Every program webhook the environment sets, by environment key, with the problems of those it
 * sets wrongly: a URL without its secret or the other way round, a URL that is not https (http
 * outside production), a short secret. Problems name the variable, never its value.
 */
function programWebhooksOf(env: Record<string, string | undefined>, production: boolean): { webhooks: Map<string, ProgramWebhookSetting>; problems: string[] } {
  const found = new Map<string, Partial<ProgramWebhookSetting>>();
  for (const [name, value] of Object.entries(env)) {
    if (PROGRAM_WEBHOOK_SETTINGS.has(name) || value === undefined || value === '') continue;
    const match = PROGRAM_WEBHOOK_VARIABLE.exec(name);
    if (!match) continue;
    const entry = found.get(match[2]) ?? {};
    if (match[1] === 'URL') entry.url = value;
    else entry.secret = value;
    found.set(match[2], entry);
  }
  const webhooks = new Map<string, ProgramWebhookSetting>();
  const problems: string[] = [];
  for (const [key, entry] of found) {
    if (entry.url === undefined) problems.push(`PROGRAM_WEBHOOK_SECRET_${key} is set without PROGRAM_WEBHOOK_URL_${key}`);
    else if (entry.secret === undefined) problems.push(`PROGRAM_WEBHOOK_URL_${key} needs PROGRAM_WEBHOOK_SECRET_${key} to sign its notifications`);
    else if (!isWebhookUrl(entry.url, production)) problems.push(`PROGRAM_WEBHOOK_URL_${key} must be an https URL${production ? '' : ' (http outside production)'} without credentials`);
    else if (entry.secret.length < PROGRAM_WEBHOOK_SECRET_MIN_LENGTH) problems.push(`PROGRAM_WEBHOOK_SECRET_${key} must be at least ${PROGRAM_WEBHOOK_SECRET_MIN_LENGTH} characters`);
    else webhooks.set(key, { url: entry.url, secret: entry.secret });
  }
  return { webhooks, problems };
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the environment; throws a ConfigurationError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new EnvironmentVariables());
  const raw: Record<string, string | undefined> = {};
  for (const name of [...known, 'DATABASE_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL', 'AUDIT_SIGNING_KEY_FILE', 'AUDIT_RETIRED_KEYS_FILE', 'DATA_ENCRYPTION_KEY_FILE', 'SEED_DEMO_DATA', 'AUDIT_WITNESS_DIR', 'AUDIT_WITNESS_URL', 'PUBLIC_URL', 'AUTH_ROLE_MAP', 'AUTH_MFA_ROLES', 'AUTH_MFA_ACR_VALUES']) {
    if (env[name] !== undefined) raw[name] = env[name];
  }
  const vars = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(vars, { skipMissingProperties: false });
  // class-validator's messages start with the variable's name and never echo its value.
  const problems = errors.map((e) => Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`);
  if (vars.NODE_ENV === 'production' && vars.SEED_DEMO_DATA) {
    problems.push('SEED_DEMO_DATA: demo data is never seeded in production');
  }
  if (vars.NODE_ENV === 'production' && vars.AUDIT_WITNESS_DIR === undefined && vars.AUDIT_WITNESS_URL === undefined) {
    // C18: without a witness outside the database, its owner could rewrite the ledger's recent past.
    problems.push('AUDIT_WITNESS_DIR or AUDIT_WITNESS_URL is required in production: signed audit checkpoints must be kept outside the database');
  }
  problems.push(...claimSettingProblems(vars));
  const programWebhooks = programWebhooksOf(env, vars.NODE_ENV === 'production');
  problems.push(...programWebhooks.problems);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return new AppConfig(vars, programWebhooks.webhooks);
}

/** AUTH_ROLE_MAP must be a JSON object of strings naming our roles; AUTH_MFA_ROLES must name roles. */
function claimSettingProblems(vars: EnvironmentVariables): string[] {
  const problems: string[] = [];
  if (vars.AUTH_ROLE_MAP !== undefined) {
    let map: unknown;
    try {
      map = JSON.parse(vars.AUTH_ROLE_MAP);
    } catch {
      map = undefined;
    }
    const valid = typeof map === 'object' && map !== null && !Array.isArray(map) && Object.values(map).every((role) => isRole(role));
    if (!valid) problems.push(`AUTH_ROLE_MAP must be a JSON object mapping the provider's values to roles (${ROLES.join(', ')})`);
  }
  if (vars.AUTH_MFA_ROLES !== undefined && !['all', 'none'].includes(vars.AUTH_MFA_ROLES)) {
    const unknown = vars.AUTH_MFA_ROLES.split(',').map((r) => r.trim()).filter((r) => !isRole(r));
    if (unknown.length > 0) problems.push(`AUTH_MFA_ROLES names unknown roles; known roles: ${ROLES.join(', ')}`);
  }
  return problems;
}

/** Validated configuration with the derived facts the rest of the code asks about. */
export class AppConfig {
  constructor(
    readonly env: EnvironmentVariables,
    /** Programs' webhooks set in the environment, by `programWebhookEnvironmentKey` of the organisation key. */
    readonly programWebhooks: ReadonlyMap<string, ProgramWebhookSetting> = new Map(),
  ) {}

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  /** Uses the built-in development issuer: only when no issuer is configured and never in production. */
  get usesDevIssuer(): boolean {
    return !this.isProduction && this.env.AUTH_ISSUER === undefined;
  }

  get usesEmbeddedDatabase(): boolean {
    return !this.isProduction && this.env.DATABASE_URL === undefined;
  }

  /** The origin people open, without a trailing slash. */
  get publicUrl(): string {
    return (this.env.PUBLIC_URL ?? `http://localhost:${this.env.PORT}`).replace(/\/+$/, '');
  }

  /** AUTH_WEB_SCOPES as a list. */
  get webScopes(): string[] {
    return this.env.AUTH_WEB_SCOPES.split(/\s+/).filter(Boolean);
  }

  /** AUTH_ROLE_MAP parsed (validated in loadConfig); empty: the provider's values are our role names. */
  get roleMap(): Record<string, Role> {
    return this.env.AUTH_ROLE_MAP ? (JSON.parse(this.env.AUTH_ROLE_MAP) as Record<string, Role>) : {};
  }

  /** Roles that need multi-factor authentication (HIPAA 164.312(d)). */
  get mfaRoles(): Role[] {
    const setting = this.env.AUTH_MFA_ROLES ?? (this.isProduction ? 'all' : 'none');
    if (setting === 'all') return [...ROLES];
    if (setting === 'none') return [];
    return setting.split(',').map((r) => r.trim()) as Role[];
  }

  /** `acr` values that count as multi-factor. */
  get mfaAcrValues(): string[] {
    return (this.env.AUTH_MFA_ACR_VALUES ?? '').split(/[\s,]+/).filter(Boolean);
  }

  /** Demo data: on by default for a newcomer's `npm start`, never in production. */
  get seedDemoData(): boolean {
    if (this.isProduction) return false;
    return this.env.SEED_DEMO_DATA ?? this.env.NODE_ENV === 'development';
  }
}
