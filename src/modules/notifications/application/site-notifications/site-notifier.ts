import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface SiteNotice {
  memberId: string;
  /** An i18n key under notifications.kinds. */
  kind: string;
  params?: Record<string, string | number>;
  link?: string | null;
  /** The business fact it tells; a second notice with the same key is dropped. */
  dedupeKey: string;
}

/** Adds a site notification in the caller's transaction, once per dedupe key. Returns whether it was added. */
export const SiteNotifier = {
  async notify(tx: EntityManager, notice: SiteNotice): Promise<boolean> {
    const rows = await tx.execute<{ id: string }[]>(
      `insert into notifications.notification (id, member_id, kind, params, link, dedupe_key, created_at)
       values (?, ?, ?, ?, ?, ?, clock_timestamp()) on conflict (dedupe_key) do nothing returning id`,
      [randomUUID(), notice.memberId, notice.kind, JSON.stringify(notice.params ?? {}), notice.link ?? null, notice.dedupeKey],
    );
    return rows.length > 0;
  },
};
