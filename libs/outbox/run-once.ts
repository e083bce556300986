import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs `work` in a transaction that first claims `key` in platform.processed_job. A second run with the same
 * key (a retried or duplicated job) finds the key taken and does nothing. Returns whether the work ran.
 */
export async function runOnce(em: EntityManager, key: string, work: (tx: EntityManager) => Promise<void>): Promise<boolean> {
  return em.transactional(async (tx) => {
    const claimed = await tx.execute<{ key: string }[]>(
      'insert into platform.processed_job (key, processed_at) values (?, now()) on conflict do nothing returning key',
      [key],
    );
    if (claimed.length === 0) return false;
    await work(tx);
    return true;
  });
}
