import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { integrationEvent, Outbox } from '@libs/outbox';
import { AccessPolicy } from '@libs/security/access-policy';
import { ForbiddenError } from '@libs/ddd';
import { EventsEvents, RegisterForEventCommand, type RegistrationResult } from '../../contracts';
import { Event } from '../../domain/event.entity';
import { canSeeEvent } from '../../domain/event-visibility';
import { EventNotFoundError } from '../../domain/events.errors';
import { isUuid } from '../../domain/ids';
import { Registration } from '../../domain/registration.entity';
import { assertCanRegister, placeFor } from '../../domain/registration-rules';

/**
 * Registration under the event row's lock: every registration for one event waits for the one before it, so the
 * counters on the row are exact, and `seq` (taken under the lock) is the order in which they got it.
 */
@CommandHandler(RegisterForEventCommand)
export class RegisterForEventHandler implements ICommandHandler<RegisterForEventCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, eventId, companions }: RegisterForEventCommand): Promise<RegistrationResult> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    if (!isUuid(eventId)) throw new EventNotFoundError();
    return this.em.transactional(async (tx) => {
      const event = await tx.findOne(Event, { id: eventId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!event || !canSeeEvent(viewer, event)) throw new EventNotFoundError();
      const now = new Date();
      const existing = await tx.findOne(Registration, { eventId, memberId: viewer.memberId }, { refresh: true });
      assertCanRegister(event, existing?.state, companions, now);
      const [{ seq }] = await tx.execute<{ seq: string }[]>(`select nextval('events.registration_seq')::text as seq`);
      const seats = 1 + companions;
      const state = placeFor(event, seats);
      let registration: Registration;
      if (existing) {
        existing.renew(state, companions, seq, now);
        registration = existing;
      } else {
        registration = new Registration(event.id, viewer.memberId, state, companions, seq);
        registration.registeredAt = now;
        if (state === 'confirmed') registration.confirmedAt = now;
        tx.persist(registration);
      }
      event.countJoined(state, seats);
      Outbox.publish(
        tx,
        integrationEvent(state === 'confirmed' ? EventsEvents.registrationConfirmed : EventsEvents.registrationWaitlisted, {
          communityEventId: event.id,
          registrationId: registration.id,
          memberId: viewer.memberId,
        }),
      );
      await tx.flush();
      // Everyone waiting holds a seq below this one (the lock orders them), so the place is the number waiting.
      const position = state === 'waitlisted' ? event.waitlistCount : null;
      return { registrationId: registration.id, state, position };
    });
  }
}
