import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium } from './chromium';
import { japaneseFontConfig } from './japanese-font';
import { ensureDatabaseExists, resolveDatabase } from '@libs/database/resolve-database';
import { testWorkerResources, workerDatabaseUrl } from './worker-resources';

/**
 * Fresh PostgreSQL databases, a Redis key prefix and an upload folder for this run, one of each per Jest worker
 * (`env.ts` picks the worker's own). Refuses any database whose name does not say "test", so a run can never touch
 * real data.
 */
export default async function globalSetup(globalConfig: { selectProjects?: string[]; maxWorkers?: number }): Promise<void> {
  const selected = globalConfig.selectProjects;
  if (selected && selected.length > 0 && selected.every((p) => p === 'unit')) return;
  const run = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let url: string;
  if (base) {
    const u = new URL(base);
    u.pathname = `/kizuna_test_${run}`;
    url = u.toString();
  } else {
    const server = await resolveDatabase('postgres');
    const u = new URL(server.url);
    u.pathname = `/kizuna_test_${run}`;
    url = u.toString();
  }
  const name = new URL(url).pathname.slice(1);
  if (!name.includes('test')) throw new Error(`Refusing to run tests against database "${name}"`);
  const workers = Math.max(1, globalConfig.maxWorkers ?? 1);
  process.env.KIZUNA_TEST_DATABASE = url;
  process.env.KIZUNA_TEST_DATABASES = String(workers);
  process.env.KIZUNA_TEST_REDIS_PREFIX = `kizuna-test-${run}`;
  process.env.KIZUNA_TEST_UPLOAD_DIR = mkdtempSync(join(tmpdir(), 'kizuna-uploads-'));
  for (let n = 1; n <= workers; n++) await ensureDatabaseExists(workerDatabaseUrl(url, n));
  const first = testWorkerResources(process.env, '1')!;
  process.env.DATABASE_URL = first.databaseUrl;
  process.env.REDIS_PREFIX = first.redisPrefix;
  process.env.UPLOAD_DIR = first.uploadDir;
  // Unpack the browser and its Japanese font once, before the suites (the e2e projects' browser journeys launch it).
  if (!selected || selected.length === 0 || selected.includes('e2e')) {
    process.env.CHROMIUM_PATH = findChromium();
    japaneseFontConfig();
  }
}
