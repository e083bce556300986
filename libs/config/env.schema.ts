import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

/** Every setting the processes read, with defaults that run on one machine without an env file. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  BASE_URL = 'http://localhost:3000';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key (sessions, queues, rate limits): lets several installations share one Redis. */
  @Matches(/^[a-z0-9_-]+$/i)
  REDIS_PREFIX = 'kizuna';

  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Kizuna <no-reply@kizuna.local>';

  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters' })
  SESSION_SECRET = 'development-only-session-secret-change-me-please';

  @IsIn(['ja', 'en'])
  DEFAULT_LOCALE: 'ja' | 'en' = 'ja';

  @IsString()
  COMMUNITY_NAME = 'Kizuna';

  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  @Transform(toBool)
  @IsBoolean()
  MIGRATE_ON_START = true;

  @Transform(toBool)
  @IsBoolean()
  DEMO_SEED = true;

  /** How many members the demo community has (only used when DEMO_SEED fills an empty database). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(200_000)
  DEMO_MEMBERS = 200;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsString()
  UPLOAD_DIR = 'var/uploads';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  WORKER_CONCURRENCY = 5;
}

export class ConfigurationError extends Error {}

/** Validates process.env; throws one error naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(EnvironmentVariables, cleaned, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (env.NODE_ENV === 'production' && env.SESSION_SECRET === new EnvironmentVariables().SESSION_SECRET) {
    throw new ConfigurationError('Invalid configuration: SESSION_SECRET must be set in production');
  }
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigurationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}
