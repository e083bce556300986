import type { RegistrationState } from '../contracts/views';
import { AlreadyRegisteredError, CancellationClosedError, EventNotFoundError, EventNotOpenError, NotRegisteredError, PartyTooLargeError, RegistrationClosedError, TooManyCompanionsError } from './events.errors';

/** What the registration rules need to know about an event (the entity satisfies it). */
export interface SeatedEvent {
  state: 'draft' | 'published' | 'cancelled';
  startsAt: Date;
  deadlineAt?: Date | null;
  capacity?: number | null;
  maxCompanions: number;
  confirmedSeats: number;
  waitlistCount: number;
}

/** Registration closes at the deadline, or at the start when there is none. */
export function registrationClosesAt(event: Pick<SeatedEvent, 'startsAt' | 'deadlineAt'>): Date {
  return event.deadlineAt ?? event.startsAt;
}

export function isRegistrationOpen(event: SeatedEvent, now: Date): boolean {
  return event.state === 'published' && now < registrationClosesAt(event);
}

/** Free seats; null when there is no limit. Never negative (a capacity lowered below the confirmed seats shows 0). */
export function seatsLeft(event: Pick<SeatedEvent, 'capacity' | 'confirmedSeats'>): number | null {
  if (event.capacity === null || event.capacity === undefined) return null;
  return Math.max(0, event.capacity - event.confirmedSeats);
}

/** Whether a party of `seats` fits in the free seats. */
export function partyFits(event: Pick<SeatedEvent, 'capacity' | 'confirmedSeats'>, seats: number): boolean {
  const left = seatsLeft(event);
  return left === null || seats <= left;
}

/**
 * Checks that a member may register now, bringing `companions`; `existing` is their current registration state, if any
 * (a cancelled one may register again). Throws the named error of the first broken rule.
 */
export function assertCanRegister(event: SeatedEvent, existing: RegistrationState | null | undefined, companions: number, now: Date): void {
  if (event.state !== 'published') throw new EventNotOpenError(event.state === 'cancelled' ? 'cancelled' : 'draft');
  if (existing === 'confirmed' || existing === 'waitlisted') throw new AlreadyRegisteredError(existing);
  if (now >= registrationClosesAt(event)) throw new RegistrationClosedError();
  if (!Number.isInteger(companions) || companions < 0 || companions > event.maxCompanions) throw new TooManyCompanionsError(event.maxCompanions);
  if (event.capacity !== null && event.capacity !== undefined && 1 + companions > event.capacity) throw new PartyTooLargeError(event.capacity);
}

/**
 * Where a new registration of `seats` goes: confirmed when the whole party fits AND nobody is waiting already
 * (a later arrival never jumps the queue), otherwise the end of the waitlist.
 */
export function placeFor(event: Pick<SeatedEvent, 'capacity' | 'confirmedSeats' | 'waitlistCount'>, seats: number): 'confirmed' | 'waitlisted' {
  return event.waitlistCount === 0 && partyFits(event, seats) ? 'confirmed' : 'waitlisted';
}

/** A registration can be cancelled by its member until the event starts. */
export function assertCanCancel(event: Pick<SeatedEvent, 'startsAt'>, state: RegistrationState | null | undefined, now: Date): void {
  if (state !== 'confirmed' && state !== 'waitlisted') throw new NotRegisteredError();
  if (now >= event.startsAt) throw new CancellationClosedError();
}

/**
 * Which of the waitlisted parties (in order of arrival) get a seat now: the queue is served from its head while the
 * head's whole party fits; a head that does not fit stops it (nobody behind it goes first).
 */
export function partiesToPromote<T extends { seats: number }>(event: Pick<SeatedEvent, 'capacity' | 'confirmedSeats'>, waitlist: T[]): T[] {
  const out: T[] = [];
  let confirmed = event.confirmedSeats;
  for (const party of waitlist) {
    if (!partyFits({ capacity: event.capacity, confirmedSeats: confirmed }, party.seats)) break;
    out.push(party);
    confirmed += party.seats;
  }
  return out;
}

/**
 * What `events.register_for_event` (the registration statement, see its migration) answers: the place it gave, or
 * which of the rules above refused, named as in the rules' order (`not-found` is canSeeEvent's refusal).
 */
export type RegistrationOutcome =
  | { outcome: 'confirmed' | 'waitlisted'; registrationId: string; position: number | null }
  | { outcome: 'not-found' | 'cancelled' | 'not-open' | 'already-confirmed' | 'already-waitlisted' | 'closed' }
  | { outcome: 'too-many-companions'; maxCompanions: number }
  | { outcome: 'party-too-large'; capacity: number };

/** The member's place from the statement's answer, or the named error of the rule that refused. */
export function placeFromOutcome(answer: RegistrationOutcome): { registrationId: string; state: 'confirmed' | 'waitlisted'; position: number | null } {
  switch (answer.outcome) {
    case 'confirmed':
    case 'waitlisted':
      return { registrationId: answer.registrationId, state: answer.outcome, position: answer.outcome === 'waitlisted' ? answer.position : null };
    case 'not-found':
      throw new EventNotFoundError();
    case 'cancelled':
      throw new EventNotOpenError('cancelled');
    case 'not-open':
      throw new EventNotOpenError('draft');
    case 'already-confirmed':
      throw new AlreadyRegisteredError('confirmed');
    case 'already-waitlisted':
      throw new AlreadyRegisteredError('waitlisted');
    case 'closed':
      throw new RegistrationClosedError();
    case 'too-many-companions':
      throw new TooManyCompanionsError(answer.maxCompanions);
    case 'party-too-large':
      throw new PartyTooLargeError(answer.capacity);
    default:
      throw new Error(`unknown registration outcome ${JSON.stringify(answer)}`);
  }
}
