import type { DomainError } from '@libs/ddd';
import { assertCanCancel, assertCanRegister, isRegistrationOpen, partiesToPromote, placeFor, placeFromOutcome, registrationClosesAt, seatsLeft, type SeatedEvent } from './registration-rules';

const now = new Date('2026-12-01T10:00:00Z');
const event = (over: Partial<SeatedEvent> = {}): SeatedEvent => ({
  state: 'published',
  startsAt: new Date('2026-12-10T09:00:00Z'),
  deadlineAt: null,
  capacity: 10,
  maxCompanions: 0,
  confirmedSeats: 0,
  waitlistCount: 0,
  ...over,
});
const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).code;
  }
  return undefined;
};

describe('registration rules', () => {
  describe('who may register', () => {
    it('accepts a first registration for a published event before the deadline', () => {
      expect(codeOf(() => assertCanRegister(event(), null, 0, now))).toBeUndefined();
    });

    it('refuses drafts and cancelled events', () => {
      expect(codeOf(() => assertCanRegister(event({ state: 'draft' }), null, 0, now))).toBe('events.errors.notOpen');
      expect(codeOf(() => assertCanRegister(event({ state: 'cancelled' }), null, 0, now))).toBe('events.errors.cancelled');
    });

    it('refuses a second registration while the first is confirmed or waitlisted, but not after cancelling', () => {
      expect(codeOf(() => assertCanRegister(event(), 'confirmed', 0, now))).toBe('events.errors.alreadyConfirmed');
      expect(codeOf(() => assertCanRegister(event(), 'waitlisted', 0, now))).toBe('events.errors.alreadyWaitlisted');
      expect(codeOf(() => assertCanRegister(event(), 'cancelled', 0, now))).toBeUndefined();
    });

    it('closes at the deadline, or at the start when there is none', () => {
      const deadline = new Date('2026-12-01T10:00:00Z');
      expect(registrationClosesAt(event({ deadlineAt: deadline }))).toEqual(deadline);
      expect(registrationClosesAt(event())).toEqual(new Date('2026-12-10T09:00:00Z'));
      expect(codeOf(() => assertCanRegister(event({ deadlineAt: deadline }), null, 0, now))).toBe('events.errors.closed');
      expect(codeOf(() => assertCanRegister(event({ deadlineAt: new Date(deadline.getTime() + 1) }), null, 0, now))).toBeUndefined();
      expect(codeOf(() => assertCanRegister(event({ startsAt: now }), null, 0, now))).toBe('events.errors.closed');
      expect(isRegistrationOpen(event({ deadlineAt: deadline }), now)).toBe(false);
      expect(isRegistrationOpen(event(), now)).toBe(true);
    });

    it('allows 0 to maxCompanions companions', () => {
      expect(codeOf(() => assertCanRegister(event({ maxCompanions: 3 }), null, 3, now))).toBeUndefined();
      expect(codeOf(() => assertCanRegister(event({ maxCompanions: 3 }), null, 4, now))).toBe('events.errors.tooManyCompanions');
      expect(codeOf(() => assertCanRegister(event(), null, 1, now))).toBe('events.errors.noCompanions');
      expect(codeOf(() => assertCanRegister(event({ maxCompanions: 3 }), null, -1, now))).toBe('events.errors.tooManyCompanions');
    });

    it('refuses a party larger than the whole event', () => {
      expect(codeOf(() => assertCanRegister(event({ capacity: 2, maxCompanions: 5 }), null, 2, now))).toBe('events.errors.partyTooLarge');
      expect(codeOf(() => assertCanRegister(event({ capacity: null, maxCompanions: 5 }), null, 5, now))).toBeUndefined();
    });
  });

  describe('where a registration goes', () => {
    it('is confirmed while the whole party fits and nobody waits', () => {
      expect(placeFor(event({ confirmedSeats: 9 }), 1)).toBe('confirmed');
      expect(placeFor(event({ confirmedSeats: 9 }), 2)).toBe('waitlisted');
      expect(placeFor(event({ confirmedSeats: 10 }), 1)).toBe('waitlisted');
    });

    it('never jumps the queue: with anyone waiting, a newcomer waits even if a seat is free', () => {
      expect(placeFor(event({ confirmedSeats: 8, waitlistCount: 1 }), 1)).toBe('waitlisted');
    });

    it('has no limit without a capacity', () => {
      expect(placeFor(event({ capacity: null, confirmedSeats: 5000 }), 4)).toBe('confirmed');
      expect(seatsLeft(event({ capacity: null }))).toBeNull();
    });

    it('shows no negative seats when the capacity is below the confirmed seats', () => {
      expect(seatsLeft(event({ capacity: 5, confirmedSeats: 7 }))).toBe(0);
    });
  });

  describe('cancelling', () => {
    it('needs an active registration, until the start', () => {
      expect(codeOf(() => assertCanCancel(event(), 'confirmed', now))).toBeUndefined();
      expect(codeOf(() => assertCanCancel(event(), 'waitlisted', now))).toBeUndefined();
      expect(codeOf(() => assertCanCancel(event(), 'cancelled', now))).toBe('events.errors.notRegistered');
      expect(codeOf(() => assertCanCancel(event(), null, now))).toBe('events.errors.notRegistered');
      expect(codeOf(() => assertCanCancel(event({ startsAt: now }), 'confirmed', now))).toBe('events.errors.cancellationClosed');
    });
  });

  describe('promoting from the waitlist', () => {
    const queue = (...seats: number[]) => seats.map((s, i) => ({ id: i + 1, seats: s }));

    it('serves the queue from its head while each whole party fits', () => {
      expect(partiesToPromote(event({ confirmedSeats: 7 }), queue(1, 2, 1)).map((p) => p.id)).toEqual([1, 2]);
    });

    it('stops at a head that does not fit, even when a smaller party behind it would', () => {
      expect(partiesToPromote(event({ confirmedSeats: 8 }), queue(3, 1)).map((p) => p.id)).toEqual([]);
    });

    it('promotes everyone without a capacity, and no one when full', () => {
      expect(partiesToPromote(event({ capacity: null }), queue(1, 4, 2))).toHaveLength(3);
      expect(partiesToPromote(event({ confirmedSeats: 10 }), queue(1))).toHaveLength(0);
    });
  });

  describe("the registration statement's answer", () => {
    it('gives the place, with the waitlist position only when waiting', () => {
      expect(placeFromOutcome({ outcome: 'confirmed', registrationId: 'r1', position: null })).toEqual({ registrationId: 'r1', state: 'confirmed', position: null });
      expect(placeFromOutcome({ outcome: 'waitlisted', registrationId: 'r2', position: 3 })).toEqual({ registrationId: 'r2', state: 'waitlisted', position: 3 });
    });

    it('turns each refusal into the named error of its rule', () => {
      const answers = [
        [{ outcome: 'not-found' }, 'events.errors.notFound'],
        [{ outcome: 'cancelled' }, 'events.errors.cancelled'],
        [{ outcome: 'not-open' }, 'events.errors.notOpen'],
        [{ outcome: 'already-confirmed' }, 'events.errors.alreadyConfirmed'],
        [{ outcome: 'already-waitlisted' }, 'events.errors.alreadyWaitlisted'],
        [{ outcome: 'closed' }, 'events.errors.closed'],
        [{ outcome: 'too-many-companions', maxCompanions: 0 }, 'events.errors.noCompanions'],
        [{ outcome: 'too-many-companions', maxCompanions: 2 }, 'events.errors.tooManyCompanions'],
        [{ outcome: 'party-too-large', capacity: 2 }, 'events.errors.partyTooLarge'],
      ] as const;
      for (const [answer, code] of answers) expect(codeOf(() => placeFromOutcome(answer))).toBe(code);
      expect(() => placeFromOutcome({ outcome: 'something-else' } as never)).toThrow('unknown registration outcome');
    });
  });
});
