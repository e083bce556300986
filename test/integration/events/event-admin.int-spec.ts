import {
  CancelEventCommand,
  CancelRegistrationCommand,
  CheckInCommand,
  CreateEventCommand,
  GetEventForEditQuery,
  ListAttendeesQuery,
  ListEventsForOperatorsQuery,
  PublishEventCommand,
  RegisterForEventCommand,
  SeedDemoEventsCommand,
  UndoCheckInCommand,
  UpdateEventCommand,
  type EventInput,
} from '@modules/events/contracts';
import { EventsModule } from '@modules/events/events.module';
import { Event } from '@modules/events/domain/event.entity';
import { Registration } from '@modules/events/domain/registration.entity';
import { SeedDemoCommunityCommand } from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';

/** Local date-time in Asia/Tokyo, `days` from now, at `time`. */
function tokyo(days: number, time: string): string {
  const date = new Date(Date.now() + days * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
  return `${date}T${time}`;
}

const input = (over: Partial<EventInput> = {}): EventInput => ({
  title: '秋のアルムナイ交流会',
  category: 'party',
  format: 'onsite',
  visibility: 'members',
  timeZone: 'Asia/Tokyo',
  startsAt: tokyo(20, '18:30'),
  endsAt: tokyo(20, '21:00'),
  deadlineAt: '',
  place: '本社 20階 カフェテリア',
  onlineUrl: '',
  feeYen: '0',
  paymentNote: '',
  capacity: '3',
  maxCompanions: '2',
  description: '年に一度の交流会です。',
  notes: '',
  organiserName: '運営事務局',
  ...over,
});

describe('operators run events (Events, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let operator: BuiltMember;
  let members: BuiltMember[];

  beforeAll(async () => {
    h = await bootModules([EventsModule, MembershipModule]);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    operator = await buildMember(h.em.fork(), { status: 'alumni', role: 'operator', familyName: '運営', givenName: '太郎' });
    members = [];
    for (const [family, given, familyKana, givenKana] of [
      ['田中', '美咲', 'タナカ', 'ミサキ'],
      ['佐藤', '健', 'サトウ', 'ケン'],
      ['鈴木', '花子', 'スズキ', 'ハナコ'],
      ['高橋', '翔', 'タカハシ', 'ショウ'],
      ['伊藤', '葵', 'イトウ', 'アオイ'],
    ]) {
      members.push(await buildMember(h.em.fork(), { status: 'alumni', familyName: family, givenName: given, familyNameKana: familyKana, givenNameKana: givenKana }));
    }
  });
  afterAll(() => h.close());

  const outbox = (name: string) => h.fresh((em) => em.find(OutboxMessage, { name }, { orderBy: { createdAt: 'asc' } }));
  const eventRow = (id: string) => h.fresh((em) => em.findOneOrFail(Event, { id }));

  async function publishedEvent(over: Partial<EventInput> = {}): Promise<string> {
    const { eventId } = await h.command(new CreateEventCommand(operator.viewer, input(over)));
    await h.command(new PublishEventCommand(operator.viewer, eventId));
    return eventId;
  }

  describe('CreateEventCommand', () => {
    it('creates a draft with its times in UTC and its search text, unseen by members', async () => {
      const { eventId } = await h.command(new CreateEventCommand(operator.viewer, input({ startsAt: '2027-04-10T18:30', endsAt: '2027-04-10T21:00' })));
      const event = await eventRow(eventId);
      expect(event).toMatchObject({ state: 'draft', title: '秋のアルムナイ交流会', capacity: 3, createdBy: operator.member.id, publishedAt: null });
      expect(event.startsAt.toISOString()).toBe('2027-04-10T09:30:00.000Z');
      expect(event.searchTokens).toContain('交流会');
      expect((await h.query(new GetEventForEditQuery(operator.viewer, eventId))).values).toMatchObject({ startsAt: '2027-04-10T18:30', endsAt: '2027-04-10T21:00', capacity: 3 });
      expect(await outbox('events.event-published')).toHaveLength(0);
    });

    it('names every broken rule at its field and stores nothing', async () => {
      const attempt = h.command(new CreateEventCommand(operator.viewer, input({ title: '', endsAt: tokyo(20, '17:00'), deadlineAt: tokyo(21, '10:00'), feeYen: '-100', capacity: '0', format: 'hybrid', onlineUrl: 'ftp://x' })));
      await expect(attempt).rejects.toMatchObject({
        field: 'title',
        problems: {
          title: [{ key: 'events.admin.errors.titleRequired' }],
          endsAt: [{ key: 'events.admin.errors.endBeforeStart' }],
          deadlineAt: [{ key: 'events.admin.errors.deadlineAfterStart' }],
          feeYen: [{ key: 'events.admin.errors.feeNegative' }],
          capacity: [{ key: 'events.admin.errors.capacityMin' }],
          onlineUrl: [{ key: 'events.admin.errors.onlineUrlInvalid' }],
        },
      });
      expect(await h.fresh((em) => em.count(Event, {}))).toBe(0);
    });

    it('is for operators only', async () => {
      await expect(h.command(new CreateEventCommand(members[0].viewer, input()))).rejects.toMatchObject({ status: 403 });
      await expect(h.query(new ListEventsForOperatorsQuery(members[0].viewer))).rejects.toMatchObject({ status: 403 });
      expect(await h.fresh((em) => em.count(Event, {}))).toBe(0);
    });
  });

  describe('PublishEventCommand', () => {
    it('publishes once: publishedAt is set and events.event-published goes out once', async () => {
      const { eventId } = await h.command(new CreateEventCommand(operator.viewer, input()));
      await h.command(new PublishEventCommand(operator.viewer, eventId));
      const publishedAt = (await eventRow(eventId)).publishedAt;
      await h.command(new PublishEventCommand(operator.viewer, eventId));
      expect((await eventRow(eventId)).publishedAt).toEqual(publishedAt);
      const published = await outbox('events.event-published');
      expect(published.map((m) => m.payload)).toEqual([expect.objectContaining({ communityEventId: eventId })]);
    });
  });

  describe('UpdateEventCommand', () => {
    it('tells the registered members only when start, end, place, online URL or format change', async () => {
      const eventId = await publishedEvent({ capacity: '2' });
      for (const m of members.slice(0, 3)) await h.command(new RegisterForEventCommand(m.viewer, eventId));
      // A member who cancelled is not told.
      await h.command(new CancelRegistrationCommand(members[2].viewer, eventId));

      const titleOnly = await h.command(new UpdateEventCommand(operator.viewer, eventId, input({ capacity: '2', title: '秋の交流会（改）', description: '内容を更新しました。' })));
      expect(titleOnly.changed).toEqual([]);
      expect(await outbox('events.event-changed')).toHaveLength(0);
      expect((await eventRow(eventId)).searchText).toContain('改');

      const moved = await h.command(new UpdateEventCommand(operator.viewer, eventId, input({ capacity: '2', title: '秋の交流会（改）', startsAt: tokyo(21, '18:30'), endsAt: tokyo(21, '21:00'), place: '別館 3階' })));
      expect(moved.changed).toEqual(['startsAt', 'endsAt', 'place']);
      const changed = await outbox('events.event-changed');
      expect(changed).toHaveLength(1);
      expect(changed[0].payload).toMatchObject({ communityEventId: eventId, changed: ['startsAt', 'endsAt', 'place'], memberIds: [members[0].member.id, members[1].member.id] });

      await h.command(new UpdateEventCommand(operator.viewer, eventId, input({ capacity: '2', title: '秋の交流会（改）', startsAt: tokyo(21, '18:30'), endsAt: tokyo(21, '21:00'), place: '', format: 'online', onlineUrl: 'https://meet.example.jp/aki' })));
      expect((await outbox('events.event-changed'))[1].payload).toMatchObject({ changed: ['place', 'onlineUrl', 'format'] });
    });

    it('does not tell anyone about changes to a draft', async () => {
      const { eventId } = await h.command(new CreateEventCommand(operator.viewer, input()));
      const result = await h.command(new UpdateEventCommand(operator.viewer, eventId, input({ startsAt: tokyo(25, '10:00'), endsAt: tokyo(25, '12:00') })));
      expect(result.changed).toEqual(['startsAt', 'endsAt']);
      expect(await outbox('events.event-changed')).toHaveLength(0);
    });

    it('refuses a capacity below the seats already confirmed, at the capacity field, and changes nothing', async () => {
      const eventId = await publishedEvent({ capacity: '5' });
      await h.command(new RegisterForEventCommand(members[0].viewer, eventId, 2));
      await h.command(new RegisterForEventCommand(members[1].viewer, eventId));
      expect((await eventRow(eventId)).confirmedSeats).toBe(4);

      await expect(h.command(new UpdateEventCommand(operator.viewer, eventId, input({ capacity: '3', title: '変更しない' })))).rejects.toMatchObject({
        code: 'events.admin.errors.capacityBelowConfirmed',
        field: 'capacity',
        params: { confirmed: 4 },
      });
      expect(await eventRow(eventId)).toMatchObject({ capacity: 5, title: '秋のアルムナイ交流会' });
      await h.command(new UpdateEventCommand(operator.viewer, eventId, input({ capacity: '4' })));
      expect((await eventRow(eventId)).capacity).toBe(4);
    });

    it('gives raised seats to the waitlist in order of arrival, each party whole', async () => {
      const eventId = await publishedEvent({ capacity: '2' });
      const results = [];
      for (const [i, m] of members.slice(0, 5).entries()) results.push(await h.command(new RegisterForEventCommand(m.viewer, eventId, i === 2 ? 1 : 0)));
      expect(results.map((r) => r.state)).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted', 'waitlisted']);

      // Three more seats: the party of two (third in line) and the fourth member; the fifth still waits.
      const { promoted } = await h.command(new UpdateEventCommand(operator.viewer, eventId, input({ capacity: '5' })));
      expect(promoted).toBe(2);
      const states = await h.fresh((em) => em.find(Registration, { eventId }, { orderBy: { seq: 'asc' } }));
      expect(states.map((r) => r.state)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed', 'waitlisted']);
      expect(await eventRow(eventId)).toMatchObject({ confirmedSeats: 5, waitlistCount: 1 });
      expect((await outbox('events.registration-promoted')).map((m) => m.payload.memberId)).toEqual([members[2].member.id, members[3].member.id]);

      // No limit at all: the last one gets in too.
      expect((await h.command(new UpdateEventCommand(operator.viewer, eventId, input({ capacity: '' })))).promoted).toBe(1);
      expect(await eventRow(eventId)).toMatchObject({ capacity: null, confirmedSeats: 6, waitlistCount: 0 });
    });
  });

  describe('CancelEventCommand', () => {
    it('needs a reason, tells the registered members, keeps the registrations and closes the event', async () => {
      const eventId = await publishedEvent({ capacity: '1' });
      await h.command(new RegisterForEventCommand(members[0].viewer, eventId));
      await h.command(new RegisterForEventCommand(members[1].viewer, eventId));

      await expect(h.command(new CancelEventCommand(operator.viewer, eventId, '  '))).rejects.toMatchObject({ code: 'events.admin.errors.reasonRequired', field: 'reason' });
      expect((await eventRow(eventId)).state).toBe('published');

      await h.command(new CancelEventCommand(operator.viewer, eventId, '台風接近のため中止します。'));
      expect(await eventRow(eventId)).toMatchObject({ state: 'cancelled', cancelReason: '台風接近のため中止します。' });
      const cancelled = await outbox('events.event-cancelled');
      expect(cancelled.map((m) => m.payload)).toEqual([
        expect.objectContaining({ communityEventId: eventId, reason: '台風接近のため中止します。', memberIds: [members[0].member.id, members[1].member.id] }),
      ]);
      expect(await h.fresh((em) => em.count(Registration, { eventId, state: { $ne: 'cancelled' } }))).toBe(2);

      await h.command(new CancelEventCommand(operator.viewer, eventId, 'もう一度'));
      expect(await outbox('events.event-cancelled')).toHaveLength(1);
      await expect(h.command(new UpdateEventCommand(operator.viewer, eventId, input()))).rejects.toMatchObject({ code: 'events.admin.errors.cancelled' });
      await expect(h.command(new PublishEventCommand(operator.viewer, eventId))).rejects.toMatchObject({ code: 'events.admin.errors.cancelled' });
      await expect(h.command(new RegisterForEventCommand(members[2].viewer, eventId))).rejects.toMatchObject({ status: 409 });
      expect((await h.query(new ListEventsForOperatorsQuery(operator.viewer, 'cancelled'))).items.map((e) => e.eventId)).toEqual([eventId]);
    });
  });

  describe('check-in and attendance', () => {
    it('checks in confirmed registrations once, even when tapped at the same time, and can undo it', async () => {
      const eventId = await publishedEvent({ capacity: '1' });
      const confirmed = await h.command(new RegisterForEventCommand(members[0].viewer, eventId));
      const waitlisted = await h.command(new RegisterForEventCommand(members[1].viewer, eventId));

      const taps = await Promise.all(Array.from({ length: 5 }, () => h.command(new CheckInCommand(operator.viewer, eventId, confirmed.registrationId))));
      expect(taps.filter((t) => !t.alreadyCheckedIn)).toHaveLength(1);
      const first = await h.fresh((em) => em.findOneOrFail(Registration, { id: confirmed.registrationId }));
      expect(first.checkedInBy).toBe(operator.member.id);
      expect(await h.command(new CheckInCommand(operator.viewer, eventId, confirmed.registrationId))).toEqual({ alreadyCheckedIn: true });
      expect((await h.fresh((em) => em.findOneOrFail(Registration, { id: confirmed.registrationId }))).checkedInAt).toEqual(first.checkedInAt);

      await expect(h.command(new CheckInCommand(operator.viewer, eventId, waitlisted.registrationId))).rejects.toMatchObject({ code: 'events.admin.errors.checkInNotConfirmed' });
      const other = await publishedEvent();
      await expect(h.command(new CheckInCommand(operator.viewer, other, confirmed.registrationId))).rejects.toMatchObject({ status: 404 });
      await expect(h.command(new CheckInCommand(members[0].viewer, eventId, confirmed.registrationId))).rejects.toMatchObject({ status: 403 });

      await h.command(new UndoCheckInCommand(operator.viewer, eventId, confirmed.registrationId));
      await h.command(new UndoCheckInCommand(operator.viewer, eventId, confirmed.registrationId));
      expect((await h.fresh((em) => em.findOneOrFail(Registration, { id: confirmed.registrationId }))).checkedInAt).toBeNull();
    });

    it('lists attendees in order with names, companions and waitlist places, and finds them by name', async () => {
      const eventId = await publishedEvent({ capacity: '4' });
      await h.command(new RegisterForEventCommand(members[0].viewer, eventId, 2));
      await h.command(new RegisterForEventCommand(members[1].viewer, eventId));
      await h.command(new RegisterForEventCommand(members[2].viewer, eventId, 1));
      await h.command(new RegisterForEventCommand(members[3].viewer, eventId));
      const list = await h.query(new ListAttendeesQuery(operator.viewer, eventId, 'ja'));
      expect(list.attendees.map((a) => [a.displayName, a.state, a.companions, a.waitlistPosition])).toEqual([
        ['田中 美咲', 'confirmed', 2, null],
        ['佐藤 健', 'confirmed', 0, null],
        ['鈴木 花子', 'waitlisted', 1, 1],
        ['高橋 翔', 'waitlisted', 0, 2],
      ]);
      expect(list.event).toMatchObject({ confirmed: 2, waitlisted: 2, confirmedSeats: 4, attendanceRate: null });
      expect((await h.query(new ListAttendeesQuery(operator.viewer, eventId, 'ja', '田中'))).attendees.map((a) => a.displayName)).toEqual(['田中 美咲']);
      expect((await h.query(new ListAttendeesQuery(operator.viewer, eventId, 'ja', '佐藤　健'))).attendees.map((a) => a.displayName)).toEqual(['佐藤 健']);
      expect((await h.query(new ListAttendeesQuery(operator.viewer, eventId, 'ja', '山本'))).attendees).toEqual([]);
      // At the door people say their name: the reading finds them, in hiragana or katakana, with or without the space.
      expect((await h.query(new ListAttendeesQuery(operator.viewer, eventId, 'ja', 'すずき'))).attendees.map((a) => a.displayName)).toEqual(['鈴木 花子']);
      expect((await h.query(new ListAttendeesQuery(operator.viewer, eventId, 'ja', 'タカハシショウ'))).attendees.map((a) => a.displayName)).toEqual(['高橋 翔']);
    });

    it('shows the attendance rate of past events as checked-in over confirmed, by state tab', async () => {
      const eventId = await publishedEvent({ capacity: '10' });
      const regs = [];
      for (const m of members.slice(0, 4)) regs.push(await h.command(new RegisterForEventCommand(m.viewer, eventId)));
      for (const r of regs.slice(0, 3)) await h.command(new CheckInCommand(operator.viewer, eventId, r.registrationId));
      const upcoming = await h.query(new ListEventsForOperatorsQuery(operator.viewer, 'upcoming'));
      expect(upcoming.items[0]).toMatchObject({ eventId, confirmed: 4, checkedIn: 3, attendanceRate: null });

      // The event took place: it moves to the past tab with its rate.
      await h.command(new UpdateEventCommand(operator.viewer, eventId, input({ capacity: '10', startsAt: tokyo(-2, '18:30'), endsAt: tokyo(-2, '21:00') })));
      await h.command(new CreateEventCommand(operator.viewer, input({ title: '下書きのイベント' })));
      const past = await h.query(new ListEventsForOperatorsQuery(operator.viewer, 'past'));
      expect(past.counts).toEqual({ upcoming: 0, drafts: 1, past: 1, cancelled: 0 });
      expect(past.items.map((e) => [e.eventId, e.confirmed, e.checkedIn, e.attendanceRate])).toEqual([[eventId, 4, 3, 75]]);
      expect((await h.query(new ListEventsForOperatorsQuery(operator.viewer, 'drafts'))).items.map((e) => e.title)).toEqual(['下書きのイベント']);
    });
  });

  describe('SeedDemoEventsCommand', () => {
    it('fills an empty events table once, with counters that match the registrations', async () => {
      await resetDatabase(h.em);
      await h.command(new SeedDemoCommunityCommand(30));
      expect(await h.command(new SeedDemoEventsCommand())).toEqual({ created: 6 });
      expect(await h.command(new SeedDemoEventsCommand())).toEqual({ created: 0 });

      const events = await h.fresh((em) => em.find(Event, {}, { orderBy: { startsAt: 'asc' } }));
      expect(events.map((e) => e.state)).toEqual(['published', 'published', 'published', 'published', 'published', 'draft']);
      for (const event of events) {
        const regs = await h.fresh((em) => em.find(Registration, { eventId: event.id }));
        const seats = regs.filter((r) => r.state === 'confirmed').reduce((n, r) => n + r.seats, 0);
        expect([event.title, event.confirmedSeats, event.waitlistCount]).toEqual([event.title, seats, regs.filter((r) => r.state === 'waitlisted').length]);
        if (event.capacity !== null && event.capacity !== undefined) expect(event.confirmedSeats).toBeLessThanOrEqual(event.capacity);
      }
      const admin = { ...operator.viewer, memberId: events[0].createdBy };
      const past = await h.query(new ListEventsForOperatorsQuery(admin, 'past'));
      expect(past.items.map((e) => e.attendanceRate)).toEqual([75, 83]);
      const upcoming = await h.query(new ListEventsForOperatorsQuery(admin, 'upcoming'));
      expect(upcoming.items.some((e) => e.waitlisted > 0)).toBe(true);
      expect(upcoming.items.find((e) => e.category === 'family-day')!.confirmedSeats).toBeGreaterThan(upcoming.items.find((e) => e.category === 'family-day')!.confirmed);
    });
  });
});
