import { randomUUID } from 'node:crypto';
import type { DomainError } from '@libs/ddd';
import type { MemberRole, MemberStatus, Viewer } from '@libs/security/access-policy';
import { EventsEvents, RegisterForEventCommand, type EventState, type EventVisibility, type RegistrationState } from '@modules/events/contracts';
import { Event } from '@modules/events/domain/event.entity';
import { canSeeEvent } from '@modules/events/domain/event-visibility';
import { EventNotFoundError } from '@modules/events/domain/events.errors';
import { Registration } from '@modules/events/domain/registration.entity';
import { assertCanRegister, placeFor } from '@modules/events/domain/registration-rules';
import { EventsModule } from '@modules/events/events.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { buildEvent } from '../../factories/event.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

jest.setTimeout(120_000);

/**
 * The registration statement (`events.register_for_event`) against the domain rules it mirrors: for each case the
 * TypeScript rules (canSeeEvent, assertCanRegister, placeFor) say what should happen, and the command — which runs the
 * statement — must do exactly that: the same refusal, or the same place, counters and outbox row.
 */
describe('the registration statement decides as the domain rules do', () => {
  let h: ModuleHarness;
  const viewer = (status: MemberStatus, role: MemberRole): Viewer => ({ memberId: randomUUID(), status, role, displayName: 'x', locale: null, sessionVersion: 1 });
  const codeOf = (p: Promise<unknown>) => p.then(() => undefined, (e: DomainError) => e.code);
  const hour = 3600 * 1000;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, EventsModule]);
    await resetDatabase(h.em);
  });
  afterAll(() => h?.close());

  interface Case {
    status: MemberStatus;
    role: MemberRole;
    state: EventState;
    visibility: EventVisibility;
    capacity: number | null;
    maxCompanions: number;
    confirmedSeats: number;
    waitlistCount: number;
    deadline: 'none' | 'past' | 'future';
    started: boolean;
    existing: RegistrationState | null;
    companions: number;
  }

  /** Every rule gets its turn: a deterministic sample (a fixed-seed generator) of all the combinations. */
  function cases(n: number): Case[] {
    let seed = 20261205;
    // mulberry32
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    return Array.from({ length: n }, () => {
      const capacity = pick([null, 1, 2, 3, 5] as const);
      return {
        status: pick(['alumni', 'employee'] as const),
        role: pick(['member', 'member', 'member', 'operator'] as const),
        state: pick(['published', 'published', 'published', 'draft', 'cancelled'] as const),
        visibility: pick(['public', 'members', 'members', 'alumni', 'employees'] as const),
        capacity,
        maxCompanions: pick([0, 1, 3] as const),
        confirmedSeats: capacity === null ? pick([0, 4]) : pick([0, 0, 1, capacity - 1, capacity]),
        waitlistCount: pick([0, 0, 1]),
        deadline: pick(['none', 'none', 'past', 'future'] as const),
        started: pick([false, false, false, true]),
        existing: pick([null, null, null, 'confirmed', 'waitlisted', 'cancelled'] as const),
        companions: pick([0, 0, 1, 2, 3]),
      };
    });
  }

  it('agrees with the rules on 300 cases: visibility, state, duplicates, deadline, companions, party size, place', async () => {
    const seen = new Set<string>();
    for (const c of cases(300)) {
      const startsAt = new Date(Date.now() + (c.started ? -hour : 14 * 24 * hour));
      const deadlineAt = c.deadline === 'none' ? null : new Date(Date.now() + (c.deadline === 'past' ? -hour : hour));
      const event = await buildEvent(h.em.fork(), { state: c.state, visibility: c.visibility, capacity: c.capacity, maxCompanions: c.maxCompanions, startsAt, deadlineAt });
      await h.fresh((em) => em.nativeUpdate(Event, { id: event.id }, { confirmedSeats: c.confirmedSeats, waitlistCount: c.waitlistCount }));
      const v = viewer(c.status, c.role);
      let earlier: string | undefined;
      if (c.existing) {
        const reg = new Registration(event.id, v.memberId, c.existing, 0, '1');
        earlier = reg.id;
        await h.fresh((em) => em.persist(reg).flush());
      }
      const before = { ...event, confirmedSeats: c.confirmedSeats, waitlistCount: c.waitlistCount };

      // What the domain rules say.
      let expected: string;
      try {
        if (!canSeeEvent(v, before)) throw new EventNotFoundError();
        assertCanRegister(before, c.existing, c.companions, new Date());
        expected = placeFor(before, 1 + c.companions);
      } catch (e) {
        expected = (e as DomainError).code;
      }

      // What the statement did.
      const outcome = await h.command(new RegisterForEventCommand(v, event.id, c.companions)).then(
        (r) => r,
        (e: DomainError) => e.code,
      );
      const got = typeof outcome === 'string' ? outcome : outcome.state;
      expect({ case: c, outcome: got }).toEqual({ case: c, outcome: expected });
      seen.add(expected);

      const after = await h.fresh((em) => em.findOneOrFail(Event, { id: event.id }));
      const outbox = await h.fresh((em) =>
        em.execute<{ name: string; registration_id: string; member_id: string }[]>(
          `select name, payload->>'registrationId' as registration_id, payload->>'memberId' as member_id from platform.outbox where payload->>'communityEventId' = ?`,
          [event.id],
        ),
      );
      if (typeof outcome === 'string') {
        // A refusal writes nothing.
        expect([after.confirmedSeats, after.waitlistCount]).toEqual([c.confirmedSeats, c.waitlistCount]);
        expect(outbox).toEqual([]);
        continue;
      }
      const seats = 1 + c.companions;
      expect([after.confirmedSeats, after.waitlistCount]).toEqual(
        outcome.state === 'confirmed' ? [c.confirmedSeats + seats, c.waitlistCount] : [c.confirmedSeats, c.waitlistCount + 1],
      );
      expect(outcome.position).toBe(outcome.state === 'waitlisted' ? c.waitlistCount + 1 : null);
      if (earlier) expect(outcome.registrationId).toBe(earlier);
      const row = await h.fresh((em) => em.findOneOrFail(Registration, { id: outcome.registrationId }));
      expect([row.memberId, row.state, row.companions, row.cancelledAt ?? null]).toEqual([v.memberId, outcome.state, c.companions, null]);
      expect(outbox).toEqual([
        {
          name: outcome.state === 'confirmed' ? EventsEvents.registrationConfirmed : EventsEvents.registrationWaitlisted,
          registration_id: outcome.registrationId,
          member_id: v.memberId,
        },
      ]);
    }
    // The sample reached every rule and both places.
    expect([...seen].sort()).toEqual(
      [
        'confirmed',
        'waitlisted',
        'events.errors.notFound',
        'events.errors.notOpen',
        'events.errors.cancelled',
        'events.errors.alreadyConfirmed',
        'events.errors.alreadyWaitlisted',
        'events.errors.closed',
        'events.errors.noCompanions',
        'events.errors.tooManyCompanions',
        'events.errors.partyTooLarge',
      ].sort(),
    );
  });

  it('refuses a party larger than the whole event, with its capacity, and writes nothing', async () => {
    const event = await buildEvent(h.em.fork(), { capacity: 2, maxCompanions: 3 });
    const refusal = await h.command(new RegisterForEventCommand(viewer('alumni', 'member'), event.id, 2)).catch((e: DomainError) => e);
    expect(refusal).toMatchObject({ code: 'events.errors.partyTooLarge', params: { capacity: 2 } });
    expect(await h.fresh((em) => em.count(Registration, { eventId: event.id }))).toBe(0);
  });

  it('takes one registration from a member who presses the button five times at once', async () => {
    const event = await buildEvent(h.em.fork(), { capacity: 10 });
    const v = viewer('employee', 'member');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => codeOf(h.command(new RegisterForEventCommand(v, event.id)))));
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'events.errors.alreadyConfirmed')).toHaveLength(4);
    const row = await h.fresh((em) => em.findOneOrFail(Event, { id: event.id }));
    expect([row.confirmedSeats, row.waitlistCount]).toEqual([1, 0]);
  });

  it('answers a companion count that is not a whole number with the companions message', async () => {
    const event = await buildEvent(h.em.fork(), { capacity: 10, maxCompanions: 2 });
    expect(await codeOf(h.command(new RegisterForEventCommand(viewer('alumni', 'member'), event.id, 1.5)))).toBe('events.errors.tooManyCompanions');
    expect(await codeOf(h.command(new RegisterForEventCommand(viewer('alumni', 'member'), event.id, -1)))).toBe('events.errors.tooManyCompanions');
  });
});
