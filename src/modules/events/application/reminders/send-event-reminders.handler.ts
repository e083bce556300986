import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { integrationEventWithId } from '@libs/outbox/integration-event';
import { Outbox } from '@libs/outbox/outbox';
import { runOnce } from '@libs/outbox/run-once';
import { EventsEvents } from '../../contracts/integration-events';
import { Event } from '../../domain/event.entity';
import { reminderKey, reminderNoticeId } from './reminder-schedule';
import { SendEventRemindersCommand, type ReminderRunOutcome } from './send-event-reminders.command';

/**
 * The reminder's fan-out runs inside `runOnce(reminder key)`: a retried job, a job added again by the sweeper or a
 * second worker finds the key taken and does nothing. Each member's `reminder-due` has a name-based id, so even a
 * fan-out repeated by other means publishes the same events, which the outbox and the notice handlers take once.
 */
@CommandHandler(SendEventRemindersCommand)
export class SendEventRemindersHandler implements ICommandHandler<SendEventRemindersCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ eventId, kind, startsAt, now }: SendEventRemindersCommand): Promise<{ outcome: ReminderRunOutcome; members: number }> {
    let outcome: ReminderRunOutcome = 'already-done';
    let members = 0;
    await runOnce(this.em.fork(), reminderKey(eventId, kind, startsAt), async (tx) => {
      const event = await tx.findOne(Event, { id: eventId });
      if (!event || event.state !== 'published') {
        outcome = 'not-published';
        return;
      }
      if (event.startsAt.getTime() !== startsAt.getTime()) {
        outcome = 'moved';
        return;
      }
      if (now.getTime() >= event.startsAt.getTime()) {
        outcome = 'started';
        return;
      }
      const confirmed = await tx.execute<{ id: string; member_id: string }[]>(
        `select id, member_id from events.registration where event_id = ? and state = 'confirmed' order by seq`,
        [eventId],
      );
      for (const r of confirmed) {
        Outbox.publish(
          tx,
          integrationEventWithId(reminderNoticeId(r.id, kind, startsAt), EventsEvents.reminderDue, {
            communityEventId: eventId,
            registrationId: r.id,
            memberId: r.member_id,
            kind,
            startsAt: startsAt.toISOString(),
          }),
        );
      }
      members = confirmed.length;
      outcome = 'sent';
    });
    return { outcome, members };
  }
}
