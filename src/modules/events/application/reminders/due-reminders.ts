import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { REMINDER_OFFSETS, type ReminderKind } from '../../contracts/views';
import { REMINDER_GRACE_MS, REMINDER_KINDS, SWEEP_LOOKAHEAD_MS, reminderDueAt, reminderKey } from './reminder-schedule';

export interface DueReminder {
  eventId: string;
  kind: ReminderKind;
  startsAt: Date;
  dueAt: Date;
}

/**
 * Reminders of published events due in the next 10 minutes or overdue by less than an hour, not yet done (their key
 * is not in platform.processed_job). A reminder due before the event was published is not one that was scheduled.
 */
@Injectable()
export class DueReminders {
  constructor(private readonly em: EntityManager) {}

  async find(now = new Date()): Promise<DueReminder[]> {
    const em = this.em.fork();
    const found: DueReminder[] = [];
    for (const kind of REMINDER_KINDS) {
      const offsetMs = REMINDER_OFFSETS[kind] * 60_000;
      const rows = await em.execute<{ id: string; starts_at: Date }[]>(
        `select id, starts_at from events.event
          where state = 'published' and starts_at > ? and starts_at >= ? and starts_at <= ?
            and published_at is not null and published_at < starts_at - make_interval(mins => ?)
          order by starts_at, id`,
        [now, new Date(now.getTime() - REMINDER_GRACE_MS + offsetMs), new Date(now.getTime() + SWEEP_LOOKAHEAD_MS + offsetMs), REMINDER_OFFSETS[kind]],
      );
      for (const row of rows) {
        const startsAt = new Date(row.starts_at);
        found.push({ eventId: row.id, kind, startsAt, dueAt: reminderDueAt(startsAt, kind) });
      }
    }
    if (found.length === 0) return [];
    const done = await em.execute<{ key: string }[]>('select key from platform.processed_job where key in (?)', [
      found.map((r) => reminderKey(r.eventId, r.kind, r.startsAt)),
    ]);
    const doneKeys = new Set(done.map((d) => d.key));
    return found.filter((r) => !doneKeys.has(reminderKey(r.eventId, r.kind, r.startsAt)));
  }
}
