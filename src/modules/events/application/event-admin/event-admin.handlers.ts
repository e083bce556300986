import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { DomainError, ForbiddenError, NotFoundError } from '@libs/ddd';
import { integrationEvent, Outbox } from '@libs/outbox';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import {
  CancelEventCommand,
  CheckInCommand,
  CreateEventCommand,
  EventsEvents,
  PublishEventCommand,
  UndoCheckInCommand,
  UpdateEventCommand,
} from '../../contracts';
import { Event, EventCancelledError } from '../../domain/event.entity';
import { checkEventInput, EventInputError, type EventDetails } from '../../domain/event-schedule';
import { Registration } from '../../domain/registration.entity';
import { fillFreeSeats } from '../registration/seat-allocation';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const CANCEL_REASON_MAX = 1000;

/** Operators (and HR admins) run events; the route checks it, and so does every handler. */
export function requireOperator(actor: Viewer | null | undefined): asserts actor is Viewer {
  if (!AccessPolicy.isOperator(actor)) throw new ForbiddenError();
}

function validDetails(input: CreateEventCommand['input']): EventDetails {
  const { details, problems } = checkEventInput(input);
  if (!details) throw new EventInputError(problems);
  return details;
}

/** The event row, locked until the transaction ends (registrations lock it too, so seats are counted once). */
async function lockEvent(tx: EntityManager, eventId: string): Promise<Event> {
  if (!UUID.test(eventId)) throw new NotFoundError();
  const event = await tx.findOne(Event, { id: eventId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!event) throw new NotFoundError();
  return event;
}

/** Members registered (confirmed or waitlisted), in order of arrival: the ones told about a change. */
async function registeredMemberIds(tx: EntityManager, eventId: string): Promise<string[]> {
  const rows = await tx.execute<{ member_id: string }[]>(
    `select member_id from events.registration where event_id = ? and state in ('confirmed', 'waitlisted') order by seq`,
    [eventId],
  );
  return rows.map((r) => r.member_id);
}

@CommandHandler(CreateEventCommand)
export class CreateEventHandler implements ICommandHandler<CreateEventCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, input }: CreateEventCommand): Promise<{ eventId: string }> {
    requireOperator(actor);
    const event = Event.draft(validDetails(input), actor.memberId);
    event.refreshSearch();
    await this.em.persist(event).flush();
    return { eventId: event.id };
  }
}

@CommandHandler(UpdateEventCommand)
export class UpdateEventHandler implements ICommandHandler<UpdateEventCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, eventId, input }: UpdateEventCommand): Promise<{ changed: string[]; promoted: number }> {
    requireOperator(actor);
    const details = validDetails(input);
    return this.em.transactional(async (tx) => {
      const event = await lockEvent(tx, eventId);
      const before = event.capacity ?? null;
      const changed = event.applyDetails(details);
      event.refreshSearch();
      if (event.state !== 'published') return { changed, promoted: 0 };

      // A raised (or removed) limit gives the freed seats to the waitlist, in order of arrival, under the row lock.
      const raised = before !== null && (event.capacity === null || event.capacity === undefined || event.capacity > before);
      const promoted = raised && event.waitlistCount > 0 ? await fillFreeSeats(tx, event) : [];

      if (changed.length > 0) {
        const memberIds = await registeredMemberIds(tx, event.id);
        // Registrations promoted just now are flushed with the event; they count as registered.
        for (const r of promoted) if (!memberIds.includes(r.memberId)) memberIds.push(r.memberId);
        Outbox.publish(tx, integrationEvent(EventsEvents.eventChanged, { communityEventId: event.id, changed: [...changed], memberIds }));
      }
      return { changed, promoted: promoted.length };
    });
  }
}

@CommandHandler(PublishEventCommand)
export class PublishEventHandler implements ICommandHandler<PublishEventCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, eventId }: PublishEventCommand): Promise<void> {
    requireOperator(actor);
    await this.em.transactional(async (tx) => {
      const event = await lockEvent(tx, eventId);
      if (event.publish()) Outbox.publish(tx, integrationEvent(EventsEvents.eventPublished, { communityEventId: event.id }));
    });
  }
}

@CommandHandler(CancelEventCommand)
export class CancelEventHandler implements ICommandHandler<CancelEventCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, eventId, reason }: CancelEventCommand): Promise<void> {
    requireOperator(actor);
    const why = typeof reason === 'string' ? reason.trim() : '';
    if (!why) throw new DomainError('events.admin.errors.reasonRequired', { field: 'reason' });
    if (why.length > CANCEL_REASON_MAX) throw new DomainError('events.admin.errors.tooLong', { field: 'reason', params: { max: CANCEL_REASON_MAX } });
    await this.em.transactional(async (tx) => {
      const event = await lockEvent(tx, eventId);
      const wasPublished = event.state === 'published';
      if (!event.cancel(why)) return;
      // Members saw only a published event; a draft has nobody to tell.
      if (wasPublished) {
        const memberIds = await registeredMemberIds(tx, event.id);
        Outbox.publish(tx, integrationEvent(EventsEvents.eventCancelled, { communityEventId: event.id, reason: why, memberIds }));
      }
    });
  }
}

/** The registration of that event, locked; the event must not be cancelled. */
async function attendeeOf(tx: EntityManager, eventId: string, registrationId: string): Promise<Registration> {
  if (!UUID.test(eventId) || !UUID.test(registrationId)) throw new NotFoundError();
  const registration = await tx.findOne(Registration, { id: registrationId, eventId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!registration) throw new NotFoundError();
  const event = await tx.findOne(Event, { id: eventId });
  if (!event) throw new NotFoundError();
  if (event.state === 'cancelled') throw new EventCancelledError();
  return registration;
}

@CommandHandler(CheckInCommand)
export class CheckInHandler implements ICommandHandler<CheckInCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, eventId, registrationId }: CheckInCommand): Promise<{ alreadyCheckedIn: boolean }> {
    requireOperator(actor);
    return this.em.transactional(async (tx) => {
      const registration = await attendeeOf(tx, eventId, registrationId);
      return { alreadyCheckedIn: !registration.checkIn(actor.memberId) };
    });
  }
}

@CommandHandler(UndoCheckInCommand)
export class UndoCheckInHandler implements ICommandHandler<UndoCheckInCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, eventId, registrationId }: UndoCheckInCommand): Promise<void> {
    requireOperator(actor);
    await this.em.transactional(async (tx) => {
      const registration = await attendeeOf(tx, eventId, registrationId);
      registration.undoCheckIn();
    });
  }
}
