import { ConfigurationError, EnvironmentVariables, validateEnvironment } from './env.schema';

const GOOD_SECRET = 'a-production-secret-that-is-long-enough-0123456789';

function problemOf(raw: Record<string, unknown>): string {
  try {
    validateEnvironment(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

/** The variables named on the lines of a configuration error. */
const namedVariables = (message: string) => [...message.matchAll(/^ {2}([A-Z_]+):/gm)].map((m) => m[1]);

describe('validateEnvironment', () => {
  it('runs on its defaults without any variables', () => {
    const env = validateEnvironment({});
    expect(env).toBeInstanceOf(EnvironmentVariables);
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      BASE_URL: 'http://localhost:3000',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'kizuna',
      DEFAULT_LOCALE: 'ja',
      TRUST_PROXY: false,
      MIGRATE_ON_START: true,
      DEMO_SEED: true,
      LOG_LEVEL: 'info',
      WORKER_CONCURRENCY: 5,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
  });

  it('reads numbers and yes/no switches from their text form', () => {
    const env = validateEnvironment({ PORT: '8080', WORKER_CONCURRENCY: '2', TRUST_PROXY: 'true', MIGRATE_ON_START: '0', DEMO_SEED: 'No' });
    expect(env.PORT).toBe(8080);
    expect(env.WORKER_CONCURRENCY).toBe(2);
    expect(env.TRUST_PROXY).toBe(true);
    expect(env.MIGRATE_ON_START).toBe(false);
    expect(env.DEMO_SEED).toBe(false);
  });

  it('treats empty variables as unset', () => {
    const env = validateEnvironment({ PORT: '', REDIS_URL: '', SESSION_SECRET: '', DATABASE_URL: undefined });
    expect(env.PORT).toBe(3000);
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('accepts well-formed service addresses', () => {
    const env = validateEnvironment({
      DATABASE_URL: 'postgresql://kizuna:pw@db:5432/kizuna',
      REDIS_URL: 'rediss://cache.internal:6380',
      SMTP_URL: 'smtps://user:pw@mail.example.jp:465',
      BASE_URL: 'https://alumni.example.jp',
    });
    expect(env.DATABASE_URL).toBe('postgresql://kizuna:pw@db:5432/kizuna');
    expect(env.REDIS_URL).toBe('rediss://cache.internal:6380');
  });

  it.each([
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_URL', '127.0.0.1:6379'],
    ['SESSION_SECRET', 'too-short'],
    ['DATABASE_URL', 'mysql://db/kizuna'],
    ['SMTP_URL', 'mail.example.jp'],
    ['NODE_ENV', 'staging'],
    ['DEFAULT_LOCALE', 'fr'],
    ['LOG_LEVEL', 'verbose'],
    ['REDIS_PREFIX', 'kizuna:prod'],
    ['WORKER_CONCURRENCY', '0'],
    ['BASE_URL', 'ftp://example.jp'],
  ])('refuses %s=%s with one error naming only that variable', (name, value) => {
    const message = problemOf({ [name]: value });
    expect(message).toMatch(/^Invalid configuration:/);
    expect(namedVariables(message)).toEqual([name]);
  });

  it('explains what is wrong with the address or secret', () => {
    expect(problemOf({ REDIS_URL: 'http://x' })).toContain('REDIS_URL must be a redis:// URL');
    expect(problemOf({ SESSION_SECRET: 'short' })).toContain('SESSION_SECRET must be at least 32 characters');
  });

  it('names every bad variable in the one error', () => {
    const message = problemOf({ PORT: 'abc', REDIS_URL: 'http://x', SESSION_SECRET: 'short' });
    expect(namedVariables(message).sort()).toEqual(['PORT', 'REDIS_URL', 'SESSION_SECRET']);
  });

  it('refuses to run in production with the development session secret', () => {
    expect(problemOf({ NODE_ENV: 'production' })).toContain('SESSION_SECRET must be set in production');
    const defaultSecret = new EnvironmentVariables().SESSION_SECRET;
    expect(problemOf({ NODE_ENV: 'production', SESSION_SECRET: defaultSecret })).toContain('SESSION_SECRET');
  });

  it('runs in production with a secret of its own', () => {
    const env = validateEnvironment({ NODE_ENV: 'production', SESSION_SECRET: GOOD_SECRET });
    expect(env.NODE_ENV).toBe('production');
    expect(env.SESSION_SECRET).toBe(GOOD_SECRET);
  });

  it('keeps the development secret usable outside production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'test' })).not.toThrow();
  });

  it('ignores unrelated variables of the process environment', () => {
    expect(() => validateEnvironment({ PATH: '/usr/bin', HOME: '/home/kizuna', npm_config_cache: '/tmp' })).not.toThrow();
  });
});
