import { MailMessage } from '@libs/mail/mail-message.entity';
import { integrationEvent } from '@libs/outbox/integration-event';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { EventsEvents } from '@modules/events/contracts';
import { EventsModule } from '@modules/events/events.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { Notification } from '@modules/notifications/domain/notification.entity';
import { NotificationsModule } from '@modules/notifications/notifications.module';
import { CountUnreadNotificationsQuery, ListNotificationsQuery, MarkNotificationsReadCommand, NOTIFICATIONS_PAGE_SIZE } from '@modules/notifications/contracts';
import { SiteNotifier } from '@modules/notifications/application/site-notifications';
import { buildEvent } from '../../factories/event.factory';
import { buildMember } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

describe('event notices and site notifications (PostgreSQL)', () => {
  let h: ModuleHarness;
  let events: IntegrationEventsProcessor;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, EventsModule, NotificationsModule, OutboxWorkerModule, QueueModule]);
    events = h.app.get(IntegrationEventsProcessor);
  });
  beforeEach(() => resetDatabase(h.em));
  afterAll(() => h.close());

  const mails = (template: string) => h.fresh((em) => em.find(MailMessage, { template: `notifications/${template}` }, { orderBy: { to: 'asc' } }));
  const notes = (memberId: string) => h.fresh((em) => em.find(Notification, { memberId }, { orderBy: { createdAt: 'asc' } }));

  it('tells a promoted member by mail and notification, in their language; confirmed and waitlisted get a notification only', async () => {
    const event = await buildEvent(h.em.fork(), { title: 'ファミリーデー', startsAt: new Date('2027-03-20T01:00:00Z') });
    const m = await buildMember(h.em.fork(), { familyName: 'Brown', givenName: 'Amy' });
    await h.fresh((em) => em.execute(`update membership.member set locale = 'en' where id = ?`, [m.member.id]));
    const data = { communityEventId: event.id, registrationId: event.id, memberId: m.member.id };

    await events.dispatch(integrationEvent(EventsEvents.registrationWaitlisted, data));
    const promoted = integrationEvent(EventsEvents.registrationPromoted, data);
    await events.dispatch(promoted);
    await events.dispatch({ ...promoted });
    await events.dispatch(integrationEvent(EventsEvents.registrationConfirmed, data));

    expect((await notes(m.member.id)).map((n) => n.kind)).toEqual(['registration-waitlisted', 'registration-promoted', 'registration-confirmed']);
    const sent = await mails('event-promoted');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: m.email, locale: 'en', subject: '[Kizuna] You have a place at "ファミリーデー"' });
    expect(sent[0].text).toContain('Dear Brown Amy,');
    expect(sent[0].text).toContain('When: Sat, 20 March 2027 10:00 – 12:00 (Asia/Tokyo)');
    expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(1);
  });

  it('lists what changed with the new time, and tells the reason of a cancellation, to each registered member', async () => {
    const event = await buildEvent(h.em.fork(), { title: '勉強会', place: '大阪支社 5階', startsAt: new Date('2027-02-01T09:00:00Z') });
    const a = await buildMember(h.em.fork(), { familyName: '佐藤', givenName: '一郎' });
    const b = await buildMember(h.em.fork());
    await events.dispatch(integrationEvent(EventsEvents.eventChanged, { communityEventId: event.id, changed: ['startsAt', 'endsAt', 'place'], memberIds: [a.member.id, b.member.id] }));

    const changed = await mails('event-changed');
    expect(changed.map((m) => m.to).sort()).toEqual([a.email, b.email].sort());
    const toA = changed.find((m) => m.to === a.email)!;
    expect(toA.subject).toBe('【Kizuna】「勉強会」の内容が変更されました');
    expect(toA.text).toContain('・日時: 2027年2月1日(月) 18:00〜20:00（Asia/Tokyo）');
    expect(toA.text).toContain('・会場: 大阪支社 5階');
    expect((await notes(a.member.id)).map((n) => [n.kind, n.params.changed])).toEqual([['event-changed', 'startsAt,endsAt,place']]);

    await events.dispatch(integrationEvent(EventsEvents.eventCancelled, { communityEventId: event.id, reason: '講師の体調不良のため', memberIds: [a.member.id] }));
    const cancelled = await mails('event-cancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0].text).toContain('理由: 講師の体調不良のため');
    expect((await notes(a.member.id)).map((n) => n.kind)).toEqual(['event-changed', 'event-cancelled']);
  });

  it('gives the times in the member’s own time zone when they chose one', async () => {
    const event = await buildEvent(h.em.fork(), { title: 'Online meetup', startsAt: new Date('2027-02-01T09:00:00Z') });
    const m = await buildMember(h.em.fork(), { familyName: 'Brown', givenName: 'Amy' });
    await h.fresh((em) => em.execute(`update membership.member set locale = 'en', time_zone = 'America/New_York' where id = ?`, [m.member.id]));
    await events.dispatch(integrationEvent(EventsEvents.eventChanged, { communityEventId: event.id, changed: ['startsAt'], memberIds: [m.member.id] }));

    const [mail] = await mails('event-changed');
    expect(mail.text).toContain('(America/New_York)');
    expect(mail.text).toContain('04:00');
    expect(mail.text).not.toContain('Asia/Tokyo');
  });

  it('skips deleted and suspended members without failing the others', async () => {
    const event = await buildEvent(h.em.fork());
    const ok = await buildMember(h.em.fork());
    const suspended = await buildMember(h.em.fork(), { status: 'suspended' });
    const missing = '00000000-0000-4000-8000-000000000001';
    await events.dispatch(integrationEvent(EventsEvents.eventCancelled, { communityEventId: event.id, reason: null, memberIds: [missing, suspended.member.id, ok.member.id] }));

    expect((await mails('event-cancelled')).map((m) => m.to)).toEqual([ok.email]);
    expect(await h.fresh((em) => em.count(Notification, {}))).toBe(1);
    expect((await notes(ok.member.id))[0].kind).toBe('event-cancelled-no-reason');
  });

  it('counts, lists newest first by pages, and marks read only the reader’s own notifications', async () => {
    const me = await buildMember(h.em.fork());
    const other = await buildMember(h.em.fork());
    await h.fresh(async (em) => {
      await em.transactional(async (tx) => {
        for (let i = 0; i < NOTIFICATIONS_PAGE_SIZE + 3; i++) {
          await SiteNotifier.notify(tx, { memberId: me.member.id, kind: 'reminder-1h', params: { title: `#${i}`, startsAt: '2027-01-01T00:00:00.000Z' }, dedupeKey: `t:${i}` });
        }
        expect(await SiteNotifier.notify(tx, { memberId: me.member.id, kind: 'reminder-1h', dedupeKey: 't:0' })).toBe(false);
        await SiteNotifier.notify(tx, { memberId: other.member.id, kind: 'reminder-1h', params: { title: 'other' }, dedupeKey: 'o:1' });
      });
    });

    expect(await h.query(new CountUnreadNotificationsQuery(me.viewer))).toBe(NOTIFICATIONS_PAGE_SIZE + 3);
    const first = await h.query(new ListNotificationsQuery(me.viewer, 1));
    expect(first).toMatchObject({ total: NOTIFICATIONS_PAGE_SIZE + 3, pages: 2, page: 1, unread: NOTIFICATIONS_PAGE_SIZE + 3 });
    expect(first.items[0].params.title).toBe(`#${NOTIFICATIONS_PAGE_SIZE + 2}`);
    const second = await h.query(new ListNotificationsQuery(me.viewer, 9));
    expect(second.page).toBe(2);
    expect(second.items.map((n) => n.params.title)).toEqual(['#2', '#1', '#0']);

    const otherId = (await notes(other.member.id))[0].id;
    expect(await h.command(new MarkNotificationsReadCommand(me.viewer, [first.items[0].id, otherId, 'not-an-id']))).toEqual({ marked: 1 });
    expect(await h.query(new CountUnreadNotificationsQuery(me.viewer))).toBe(NOTIFICATIONS_PAGE_SIZE + 2);
    expect(await h.query(new CountUnreadNotificationsQuery(other.viewer))).toBe(1);
    expect(await h.command(new MarkNotificationsReadCommand(me.viewer, 'all'))).toEqual({ marked: NOTIFICATIONS_PAGE_SIZE + 2 });
    expect(await h.query(new CountUnreadNotificationsQuery(me.viewer))).toBe(0);
    expect(await h.query(new CountUnreadNotificationsQuery(other.viewer))).toBe(1);
  });
});
