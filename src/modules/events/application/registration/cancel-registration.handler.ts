import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { integrationEvent, Outbox } from '@libs/outbox';
import { CancelRegistrationCommand, EventsEvents } from '../../contracts';
import { Event } from '../../domain/event.entity';
import { canSeeEvent } from '../../domain/event-visibility';
import { EventNotFoundError } from '../../domain/events.errors';
import { isUuid } from '@libs/ddd/ids';
import { Registration } from '../../domain/registration.entity';
import { assertCanCancel } from '../../domain/registration-rules';
import { fillFreeSeats } from './seat-allocation';

/** Cancels under the event row's lock, then gives the freed seats to the waitlist in the same transaction. */
@CommandHandler(CancelRegistrationCommand)
export class CancelRegistrationHandler implements ICommandHandler<CancelRegistrationCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, eventId }: CancelRegistrationCommand): Promise<{ promoted: number }> {
    if (!isUuid(eventId)) throw new EventNotFoundError();
    return this.em.transactional(async (tx) => {
      const event = await tx.findOne(Event, { id: eventId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const registration = event ? await tx.findOne(Registration, { eventId, memberId: viewer.memberId }, { refresh: true }) : null;
      // A member who registered keeps the right to cancel even if the event's visibility changed since.
      if (!event || (!canSeeEvent(viewer, event) && !registration?.isActive)) throw new EventNotFoundError();
      const now = new Date();
      assertCanCancel(event, registration?.state, now);
      const reg = registration as Registration;
      const was = reg.state as 'confirmed' | 'waitlisted';
      reg.cancel(now);
      event.countLeft(was, reg.seats);
      Outbox.publish(tx, integrationEvent(EventsEvents.registrationCancelled, { communityEventId: event.id, registrationId: reg.id, memberId: reg.memberId }));
      const promoted = await fillFreeSeats(tx, event);
      await tx.flush();
      return { promoted: promoted.length };
    });
  }
}
