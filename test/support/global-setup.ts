import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium } from './chromium';
import { japaneseFontConfig } from './japanese-font';
import { ensureDatabaseExists, resolveDatabase } from '@libs/database/resolve-database';

/**
 * A fresh PostgreSQL database and Redis key prefix for this run. Refuses any database whose name does not say
 * "test", so a run can never touch real data.
 */
export default async function globalSetup(globalConfig: { selectProjects?: string[] }): Promise<void> {
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
  await ensureDatabaseExists(url);
  process.env.DATABASE_URL = url;
  process.env.REDIS_PREFIX = `kizuna-test-${run}`;
  process.env.UPLOAD_DIR = mkdtempSync(join(tmpdir(), 'kizuna-uploads-'));
  process.env.KIZUNA_TEST_DATABASE = url;
  // Unpack the browser and its Japanese font once, before the suites (the e2e projects' browser journeys launch it).
  if (!selected || selected.length === 0 || selected.includes('e2e')) {
    process.env.CHROMIUM_PATH = findChromium();
    japaneseFontConfig();
  }
}
