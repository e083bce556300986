import type { EntityManager } from '@mikro-orm/postgresql';
import { Outbox } from '@libs/outbox/outbox';
import { EVENTS_QUEUES } from '../../contracts/reminders';
import type { ReminderKind } from '../../contracts/views';
import { remindersToSchedule, reminderJobId, type EventReminderPayload } from './reminder-schedule';

export const SEND_REMINDERS_JOB = 'send';
export const SWEEP_REMINDERS_JOB = 'sweep';

/**
 * Writes the event-level reminder jobs of a published event to the outbox, delayed until each reminder is due.
 * Reminders whose time has passed are skipped. The job id is deterministic, so scheduling again adds nothing.
 */
export function scheduleReminders(
  tx: EntityManager,
  event: { id: string; state: string; startsAt: Date },
  now = new Date(),
): { kind: ReminderKind; dueAt: Date }[] {
  if (event.state !== 'published') return [];
  const due = remindersToSchedule(event.startsAt, now);
  for (const { kind, dueAt } of due) {
    const payload: EventReminderPayload = { eventId: event.id, kind, startsAt: event.startsAt.toISOString() };
    Outbox.enqueue(tx, {
      queue: EVENTS_QUEUES.reminders,
      name: SEND_REMINDERS_JOB,
      payload: { ...payload },
      jobId: reminderJobId(event.id, kind, event.startsAt),
      runAt: dueAt,
    });
  }
  return due;
}
