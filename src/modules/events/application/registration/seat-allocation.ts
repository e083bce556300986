import type { EntityManager } from '@mikro-orm/postgresql';
import { integrationEvent, Outbox } from '@libs/outbox';
import { EventsEvents } from '../../contracts/integration-events';
import type { Event } from '../../domain/event.entity';
import { Registration } from '../../domain/registration.entity';
import { partiesToPromote, seatsLeft } from '../../domain/registration-rules';

/**
 * Gives free seats to the waitlist, in order of arrival (`seq`), each party whole, while seats remain; a head of the
 * queue that does not fit stops it. Each promotion is published (events.registration-promoted) in the caller's
 * transaction. The caller holds the event row lock (`select … for update`) and flushes.
 */
export async function fillFreeSeats(tx: EntityManager, event: Event): Promise<Registration[]> {
  if (event.state !== 'published' || event.waitlistCount <= 0) return [];
  const free = seatsLeft(event);
  if (free === 0) return [];
  // Every party holds at least one seat, so no more than `free` of them can be promoted.
  const waitlist = await tx.find(
    Registration,
    { eventId: event.id, state: 'waitlisted' },
    { orderBy: { seq: 'asc' }, limit: free === null ? undefined : free, refresh: true },
  );
  const promoted = partiesToPromote(event, waitlist);
  const now = new Date();
  for (const registration of promoted) {
    registration.promote(now);
    event.countLeft('waitlisted', registration.seats);
    event.countJoined('confirmed', registration.seats);
    Outbox.publish(
      tx,
      integrationEvent(EventsEvents.registrationPromoted, { communityEventId: event.id, registrationId: registration.id, memberId: registration.memberId }),
    );
  }
  return promoted;
}
