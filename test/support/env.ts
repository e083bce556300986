import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { testWorkerResources } from './worker-resources';

// Every test process talks to the database and Redis prefix the global setup prepared for this run.
process.env.NODE_ENV = 'test';
process.env.DEMO_SEED = 'false';
process.env.KIZUNA_OUTBOX_RELAY = 'off';
process.env.LOG_LEVEL = 'silent';
process.env.BASE_URL = 'http://kizuna.test';

// Test files run in parallel workers: each worker has its own database, Redis prefix and upload folder, so that one
// file's reset or queue never touches another's. Derived from the run's base values, so the same on every file.
const own = testWorkerResources(process.env, process.env.JEST_WORKER_ID);
if (own) {
  process.env.DATABASE_URL = own.databaseUrl;
  process.env.REDIS_PREFIX = own.redisPrefix;
  process.env.UPLOAD_DIR = own.uploadDir;
  mkdirSync(own.uploadDir, { recursive: true });
}
