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

export const NODE_ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type NodeEnvironment = (typeof NODE_ENVIRONMENTS)[number];

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * The one typed view of the environment (CONVENTIONS rule 7). Every variable of DESIGN.md's
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

  /** JWKS of the identity provider (keys picked by `kid`, cached, refreshed on rotation). Required with AUTH_ISSUER. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.AUTH_ISSUER !== undefined || env.NODE_ENV === 'production')
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

  /** Seconds after a JWKS fetch during which an unknown `kid` does not trigger another fetch. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  AUTH_JWKS_COOLDOWN_SECONDS = 30;
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
  for (const name of [...known, 'DATABASE_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL', 'AUDIT_SIGNING_KEY_FILE', 'AUDIT_RETIRED_KEYS_FILE', 'DATA_ENCRYPTION_KEY_FILE', 'SEED_DEMO_DATA']) {
    if (env[name] !== undefined) raw[name] = env[name];
  }
  const vars = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(vars, { skipMissingProperties: false });
  // class-validator's messages start with the variable's name and never echo its value.
  const problems = errors.map((e) => Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`);
  if (vars.NODE_ENV === 'production' && vars.SEED_DEMO_DATA) {
    problems.push('SEED_DEMO_DATA: demo data is never seeded in production');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return new AppConfig(vars);
}

/** Validated configuration with the derived facts the rest of the code asks about. */
export class AppConfig {
  constructor(readonly env: EnvironmentVariables) {}

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

  /** Demo data: on by default for a newcomer's `npm start`, never in production. */
  get seedDemoData(): boolean {
    if (this.isProduction) return false;
    return this.env.SEED_DEMO_DATA ?? this.env.NODE_ENV === 'development';
  }
}
