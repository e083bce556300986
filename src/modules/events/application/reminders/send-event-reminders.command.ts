import { Command } from '@nestjs/cqrs';
import type { ReminderKind } from '../../contracts/views';

export type ReminderRunOutcome = 'sent' | 'already-done' | 'not-published' | 'moved' | 'started';

/**
 * Runs one event-level reminder (internal to Events: the reminder job's work). Publishes one `events.reminder-due`
 * per confirmed registration, once per reminder key, and only if the event still starts at `startsAt`.
 */
export class SendEventRemindersCommand extends Command<{ outcome: ReminderRunOutcome; members: number }> {
  constructor(
    readonly eventId: string,
    readonly kind: ReminderKind,
    readonly startsAt: Date,
    readonly now: Date = new Date(),
  ) {
    super();
  }
}
