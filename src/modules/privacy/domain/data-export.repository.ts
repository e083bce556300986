import { EntityRepository } from '@mikro-orm/postgresql';
import type { DataExport } from './data-export.entity';

/**
 * Erasing goes straight to SQL: the content column is lazy, and clearing a value that was never loaded would not be
 * seen as a change.
 */
export class DataExportRepository extends EntityRepository<DataExport> {
  /**
   * Ready exports past their expiry lose their content (state `expired`); exports stuck in preparation for longer than
   * `staleAfterMs` become `failed`. For one member, or for everyone. Answers how many rows changed.
   */
  async eraseExpired(options: { memberId?: string; exportId?: string; staleAfterMs?: number } = {}): Promise<number> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.memberId) {
      where.push('member_id = ?');
      params.push(options.memberId);
    }
    if (options.exportId) {
      where.push('id = ?');
      params.push(options.exportId);
    }
    const scope = where.length ? `and ${where.join(' and ')}` : '';
    const expired = await this.getEntityManager().execute<{ id: string }[]>(
      `update privacy.data_export set content = null, state = 'expired'
        where state = 'ready' and expires_at <= now() ${scope} returning id`,
      params,
    );
    let stale: { id: string }[] = [];
    if (options.staleAfterMs !== undefined) {
      stale = await this.getEntityManager().execute<{ id: string }[]>(
        `update privacy.data_export set state = 'failed'
          where state = 'requested' and requested_at <= ? ${scope} returning id`,
        [new Date(Date.now() - options.staleAfterMs), ...params],
      );
    }
    return expired.length + stale.length;
  }

  /** The member deleted their account: every export loses its content, and none will be prepared. */
  async eraseAllOf(memberId: string): Promise<number> {
    const rows = await this.getEntityManager().execute<{ id: string }[]>(
      `update privacy.data_export
          set content = null,
              state = case state when 'ready' then 'expired' when 'requested' then 'failed' else state end
        where member_id = ? and (content is not null or state in ('ready', 'requested')) returning id`,
      [memberId],
    );
    return rows.length;
  }

  /** How many of the member's exports are being prepared now. */
  async countInPreparation(memberId: string): Promise<number> {
    const [row] = await this.getEntityManager().execute<{ n: string }[]>(
      `select count(*) as n from privacy.data_export where member_id = ? and state = 'requested'`,
      [memberId],
    );
    return Number(row?.n ?? 0);
  }
}
