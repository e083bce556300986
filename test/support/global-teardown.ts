import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { dropDatabase } from '@libs/database/resolve-database';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.KIZUNA_TEST_DATABASE;
  if (url && process.env.KEEP_TEST_DATABASE !== '1') await dropDatabase(url).catch(() => undefined);
  const prefix = process.env.REDIS_PREFIX;
  if (prefix?.startsWith('kizuna-test-')) {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    await redis.connect().catch(() => undefined);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
  if (process.env.UPLOAD_DIR?.includes('kizuna-uploads-')) rmSync(process.env.UPLOAD_DIR, { recursive: true, force: true });
}
