import { Inject, Injectable } from '@nestjs/common';
import { EnvironmentVariables } from './env.schema';

export const ENVIRONMENT = Symbol('ENVIRONMENT');

/** Typed access to the validated settings. */
@Injectable()
export class AppConfig {
  constructor(@Inject(ENVIRONMENT) private readonly env: EnvironmentVariables) {}

  get nodeEnv() { return this.env.NODE_ENV; }
  get isProduction() { return this.env.NODE_ENV === 'production'; }
  get isTest() { return this.env.NODE_ENV === 'test'; }
  get port() { return this.env.PORT; }
  get baseUrl() { return this.env.BASE_URL.replace(/\/$/, ''); }
  get secureCookies() { return this.baseUrl.startsWith('https://'); }
  get databaseUrl(): string {
    if (!this.env.DATABASE_URL) throw new Error('DATABASE_URL was not resolved before boot');
    return this.env.DATABASE_URL;
  }
  get redisUrl() { return this.env.REDIS_URL; }
  get redisPrefix() { return this.env.REDIS_PREFIX; }
  get smtpUrl() { return this.env.SMTP_URL; }
  get mailFrom() { return this.env.MAIL_FROM; }
  get sessionSecret() { return this.env.SESSION_SECRET; }
  get defaultLocale() { return this.env.DEFAULT_LOCALE; }
  get communityName() { return this.env.COMMUNITY_NAME; }
  get trustProxy() { return this.env.TRUST_PROXY; }
  get migrateOnStart() { return this.env.MIGRATE_ON_START; }
  get demoSeed() { return this.env.DEMO_SEED; }
  get demoMembers() { return this.env.DEMO_MEMBERS; }
  get logLevel() { return this.env.LOG_LEVEL; }
  get uploadDir() { return this.env.UPLOAD_DIR; }
  get workerConcurrency() { return this.env.WORKER_CONCURRENCY; }
  /** Mail stays in the local outbox (readable by admins at /dev/mail) when no SMTP server is configured. */
  get localMail() { return !this.env.SMTP_URL; }
}
