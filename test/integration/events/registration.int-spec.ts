import { randomUUID } from 'node:crypto';
import type { DomainError } from '@libs/ddd';
import type { MemberStatus, Viewer } from '@libs/security/access-policy';
import { CancelRegistrationCommand, GetEventQuery, RegisterForEventCommand } from '@modules/events/contracts';
import { Event } from '@modules/events/domain/event.entity';
import { Registration } from '@modules/events/domain/registration.entity';
import { fillFreeSeats } from '@modules/events/application/registration/seat-allocation';
import { EventsModule } from '@modules/events/events.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { buildEvent } from '../../factories/event.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

/** Registration rules through the commands, on real PostgreSQL. */
describe('registering for events', () => {
  let h: ModuleHarness;
  const member = (status: MemberStatus = 'alumni'): Viewer => ({ memberId: randomUUID(), status, role: 'member', displayName: 'x', locale: null, sessionVersion: 1 });
  const codeOf = (p: Promise<unknown>) => p.then(() => undefined, (e: DomainError) => e.code);
  const eventRow = (id: string) => h.fresh((em) => em.findOneOrFail(Event, { id }));

  beforeAll(async () => {
    h = await bootModules([MembershipModule, EventsModule]);
    await resetDatabase(h.em);
  });
  afterAll(() => h?.close());

  it('confirms, then waitlists when full, and shows the waitlist place on the event', async () => {
    const event = await buildEvent(h.em.fork(), { capacity: 2 });
    const [a, b, c, d] = [member(), member(), member(), member()];
    expect((await h.command(new RegisterForEventCommand(a, event.id))).state).toBe('confirmed');
    expect((await h.command(new RegisterForEventCommand(b, event.id))).state).toBe('confirmed');
    expect(await h.command(new RegisterForEventCommand(c, event.id))).toMatchObject({ state: 'waitlisted', position: 1 });
    expect(await h.command(new RegisterForEventCommand(d, event.id))).toMatchObject({ state: 'waitlisted', position: 2 });
    const seen = await h.query(new GetEventQuery(d, event.id));
    expect(seen.myRegistration).toMatchObject({ state: 'waitlisted', position: 2 });
    expect(seen.seatsLeft).toBe(0);
    expect(seen.waitlistCount).toBe(2);
  });

  it('refuses registering twice, with a message, and changes nothing', async () => {
    const event = await buildEvent(h.em.fork(), { capacity: 1 });
    const a = member();
    await h.command(new RegisterForEventCommand(a, event.id));
    expect(await codeOf(h.command(new RegisterForEventCommand(a, event.id)))).toBe('events.errors.alreadyConfirmed');
    const b = member();
    await h.command(new RegisterForEventCommand(b, event.id));
    expect(await codeOf(h.command(new RegisterForEventCommand(b, event.id)))).toBe('events.errors.alreadyWaitlisted');
    expect(await h.fresh((em) => em.count(Registration, { eventId: event.id }))).toBe(2);
    expect((await eventRow(event.id)).waitlistCount).toBe(1);
  });

  it('refuses after the deadline, for drafts and cancelled events, and hides events the viewer may not see', async () => {
    const closed = await buildEvent(h.em.fork(), { deadlineAt: new Date(Date.now() - 60_000) });
    expect(await codeOf(h.command(new RegisterForEventCommand(member(), closed.id)))).toBe('events.errors.closed');
    const cancelled = await buildEvent(h.em.fork(), { state: 'cancelled' });
    expect(await codeOf(h.command(new RegisterForEventCommand(member(), cancelled.id)))).toBe('events.errors.cancelled');
    const draft = await buildEvent(h.em.fork(), { state: 'draft' });
    expect(await codeOf(h.command(new RegisterForEventCommand(member(), draft.id)))).toBe('events.errors.notFound');
    const alumniOnly = await buildEvent(h.em.fork(), { visibility: 'alumni' });
    expect(await codeOf(h.command(new RegisterForEventCommand(member('employee'), alumniOnly.id)))).toBe('events.errors.notFound');
    expect(await codeOf(h.command(new RegisterForEventCommand(member('alumni'), alumniOnly.id)))).toBeUndefined();
    expect(await codeOf(h.command(new RegisterForEventCommand(member(), 'not-a-uuid')))).toBe('events.errors.notFound');
    expect(await codeOf(h.command(new RegisterForEventCommand(member(), randomUUID())))).toBe('events.errors.notFound');
  });

  it('counts companions as seats, and never lets a later small party jump a waiting family', async () => {
    const event = await buildEvent(h.em.fork(), { capacity: 5, maxCompanions: 3, category: 'family-day' });
    const family = member();
    const late = member();
    expect((await h.command(new RegisterForEventCommand(member(), event.id, 2))).state).toBe('confirmed'); // 3 seats
    expect((await h.command(new RegisterForEventCommand(family, event.id, 3))).state).toBe('waitlisted'); // needs 4, 2 left
    // One seat would fit, but the family is waiting ahead.
    expect((await h.command(new RegisterForEventCommand(late, event.id, 0))).state).toBe('waitlisted');
    expect(await codeOf(h.command(new RegisterForEventCommand(member(), event.id, 4)))).toBe('events.errors.tooManyCompanions');
    expect((await eventRow(event.id)).confirmedSeats).toBe(3);
  });

  it('promotes whole parties from the head of the queue only, and tells each (outbox)', async () => {
    const event = await buildEvent(h.em.fork(), { capacity: 5, maxCompanions: 3 });
    const [first, second, family, single] = [member(), member(), member(), member()];
    await h.command(new RegisterForEventCommand(first, event.id, 2)); // 3 seats
    await h.command(new RegisterForEventCommand(second, event.id, 1)); // 2 seats: full
    await h.command(new RegisterForEventCommand(family, event.id, 3)); // waits for 4 seats
    await h.command(new RegisterForEventCommand(single, event.id, 0)); // waits behind the family
    // 2 seats free: the family does not fit, and the single member behind it may not go first.
    expect(await h.command(new CancelRegistrationCommand(second, event.id))).toEqual({ promoted: 0 });
    expect((await h.query(new GetEventQuery(single, event.id))).myRegistration).toMatchObject({ state: 'waitlisted', position: 2 });
    // 5 seats free: the family (4) and then the single member (1).
    expect(await h.command(new CancelRegistrationCommand(first, event.id))).toEqual({ promoted: 2 });
    expect((await h.query(new GetEventQuery(family, event.id))).myRegistration).toMatchObject({ state: 'confirmed', companions: 3 });
    expect((await h.query(new GetEventQuery(single, event.id))).myRegistration).toMatchObject({ state: 'confirmed', position: null });
    const row = await eventRow(event.id);
    expect([row.confirmedSeats, row.waitlistCount]).toEqual([5, 0]);
    const promotedEvents = await h.fresh((em) =>
      em.execute<{ member_id: string }[]>(`select payload->>'memberId' as member_id from platform.outbox where name = 'events.registration-promoted' and payload->>'communityEventId' = ?`, [event.id]),
    );
    expect(promotedEvents.map((r) => r.member_id).sort()).toEqual([family.memberId, single.memberId].sort());
  });

  it('fills seats freed by a raised capacity (the seam the operators use)', async () => {
    const event = await buildEvent(h.em.fork(), { capacity: 1 });
    await h.command(new RegisterForEventCommand(member(), event.id));
    const waiting = [member(), member(), member()];
    for (const w of waiting) await h.command(new RegisterForEventCommand(w, event.id));
    const promoted = await h.fresh((em) =>
      em.transactional(async (tx) => {
        const locked = await tx.findOneOrFail(Event, { id: event.id }, { lockMode: 4 /* PESSIMISTIC_WRITE */ });
        locked.capacity = 3;
        return fillFreeSeats(tx, locked);
      }),
    );
    expect(promoted.map((r) => r.memberId)).toEqual([waiting[0].memberId, waiting[1].memberId]);
    const row = await eventRow(event.id);
    expect([row.confirmedSeats, row.waitlistCount]).toEqual([3, 1]);
  });

  it('lets a member register again after cancelling, at the end of the queue', async () => {
    const event = await buildEvent(h.em.fork(), { capacity: 1 });
    const a = member();
    const b = member();
    await h.command(new RegisterForEventCommand(a, event.id));
    await h.command(new RegisterForEventCommand(b, event.id));
    await h.command(new CancelRegistrationCommand(a, event.id)); // b is promoted
    expect(await h.command(new RegisterForEventCommand(a, event.id))).toMatchObject({ state: 'waitlisted', position: 1 });
    expect(await h.fresh((em) => em.count(Registration, { eventId: event.id }))).toBe(2);
    expect(await codeOf(h.command(new CancelRegistrationCommand(member(), event.id)))).toBe('events.errors.notRegistered');
  });

  it('shows the online URL only to confirmed participants', async () => {
    const event = await buildEvent(h.em.fork(), { format: 'online', onlineUrl: 'https://meet.example.jp/abc', capacity: 1 });
    const a = member();
    const b = member();
    await h.command(new RegisterForEventCommand(a, event.id));
    await h.command(new RegisterForEventCommand(b, event.id));
    expect((await h.query(new GetEventQuery(a, event.id))).onlineUrl).toBe('https://meet.example.jp/abc');
    expect((await h.query(new GetEventQuery(b, event.id))).onlineUrl).toBeNull();
    expect((await h.query(new GetEventQuery(member(), event.id))).onlineUrl).toBeNull();
    expect((await h.query(new GetEventQuery(member(), event.id))).hasOnlineUrl).toBe(true);
  });
});
