import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { SWEEP_LOOKAHEAD_MS } from '../jobs/content-jobs';

/** Items scheduled to go online within the sweeper's look-ahead, or overdue (a stopped worker, a lost Redis). */
@Injectable()
export class DueScheduledContent {
  constructor(private readonly em: EntityManager) {}

  async find(now = new Date()): Promise<{ contentId: string; at: Date }[]> {
    const rows = await this.em.fork().execute<{ id: string; scheduled_at: Date }[]>(
      `select id, scheduled_at from content.item where status = 'scheduled' and scheduled_at is not null and scheduled_at <= ? order by scheduled_at, id limit 1000`,
      [new Date(now.getTime() + SWEEP_LOOKAHEAD_MS)],
    );
    return rows.map((r) => ({ contentId: r.id, at: new Date(r.scheduled_at) }));
  }
}
