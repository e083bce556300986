import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { dropDatabase } from '@libs/database/resolve-database';
import { workerDatabaseUrl } from './worker-resources';

/** Seconds the run may take to exit by itself once every suite has finished and reported. */
const EXIT_GRACE_SECONDS = 15;

export default async function globalTeardown(): Promise<void> {
  // Last-resort safety net (each test file already closes what it opened, see resources.ts): if something still
  // keeps the process alive after the summary, exit anyway instead of hanging the terminal. The timer is unref'd, so
  // it never delays a run that exits by itself, and Jest's own exit hook keeps a failed run's non-zero exit code.
  setTimeout(() => {
    console.warn(`The test run had finished but something was still open ${EXIT_GRACE_SECONDS} s later; exiting.`);
    process.exit();
  }, EXIT_GRACE_SECONDS * 1000).unref();
  const url = process.env.KIZUNA_TEST_DATABASE;
  const workers = Number(process.env.KIZUNA_TEST_DATABASES ?? 1);
  if (url && process.env.KEEP_TEST_DATABASE !== '1') {
    for (let n = 1; n <= workers; n++) await dropDatabase(workerDatabaseUrl(url, n)).catch(() => undefined);
  }
  // Every worker's keys: `<run prefix>-w<n>:…`.
  const prefix = process.env.KIZUNA_TEST_REDIS_PREFIX;
  if (prefix?.startsWith('kizuna-test-')) {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    await redis.connect().catch(() => undefined);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}-w*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
  const uploads = process.env.KIZUNA_TEST_UPLOAD_DIR;
  if (uploads?.includes('kizuna-uploads-')) rmSync(uploads, { recursive: true, force: true });
}
