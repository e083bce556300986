import { join } from 'node:path';

/** What one Jest worker of a test run uses: its database, Redis prefix and upload folder. */
export interface WorkerResources {
  databaseUrl: string;
  redisPrefix: string;
  uploadDir: string;
}

/** The run's base values, as the global setup leaves them in the environment. */
export interface TestRunBase {
  KIZUNA_TEST_DATABASE?: string;
  KIZUNA_TEST_REDIS_PREFIX?: string;
  KIZUNA_TEST_UPLOAD_DIR?: string;
}

/** The database of worker `n` (1-based, as JEST_WORKER_ID counts) of the run whose base database is `base`. */
export function workerDatabaseUrl(base: string, n: number): string {
  const url = new URL(base);
  url.pathname = `${url.pathname}_w${n}`;
  return url.toString();
}

/** Worker `workerId`'s resources, or undefined outside a prepared run (the unit project alone). */
export function testWorkerResources(base: TestRunBase, workerId: string | undefined): WorkerResources | undefined {
  const { KIZUNA_TEST_DATABASE: database, KIZUNA_TEST_REDIS_PREFIX: prefix, KIZUNA_TEST_UPLOAD_DIR: uploads } = base;
  if (!database || !prefix || !uploads) return undefined;
  const n = Number(workerId ?? '1');
  if (!Number.isInteger(n) || n < 1) throw new Error(`Unexpected JEST_WORKER_ID "${workerId}"`);
  return { databaseUrl: workerDatabaseUrl(database, n), redisPrefix: `${prefix}-w${n}`, uploadDir: join(uploads, `w${n}`) };
}
