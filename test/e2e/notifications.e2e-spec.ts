import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { integrationEvent } from '@libs/outbox/integration-event';
import { runOnce } from '@libs/outbox/run-once';
import { EventsEvents, type ReminderKind } from '@modules/events/contracts';
import { RemindMemberOnReminderDueHandler } from '@modules/notifications/application/event-notices/event-notice.handlers';
import { SiteNotifier } from '@modules/notifications/application/site-notifications';
import { CommandBus, type Command } from '@nestjs/cqrs';
import { OpenDirectConversationCommand } from '@modules/networking/contracts';
import { sendMessage } from '../factories/chat.factory';
import { buildBoard, buildThread } from '../factories/forum.factory';
import { buildPublished } from '../factories/content.factory';
import { buildEvent } from '../factories/event.factory';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { browser, follow, signIn, submit, type Agent } from '../support/http';
import { decode, mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** The bell in the header and /notifications over HTTP. */
describe('site notifications (bell and list)', () => {
  let app: NestExpressApplication;
  let em: EntityManager;

  beforeAll(async () => {
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
  });
  afterAll(() => app.close());

  /** What the worker does on a reminder-due event: the notice handler, once. */
  async function remind(member: BuiltMember, eventId: string, startsAt: Date, kind: ReminderKind): Promise<void> {
    const handler = app.get(RemindMemberOnReminderDueHandler, { strict: false });
    const e = integrationEvent(EventsEvents.reminderDue, { communityEventId: eventId, registrationId: member.member.id, memberId: member.member.id, kind, startsAt: startsAt.toISOString() });
    await RequestContext.create(em.fork(), () => runOnce(em, `${RemindMemberOnReminderDueHandler.name}:${e.eventId}`, (tx) => handler.handle(e, tx)));
  }

  const bell = (html: string) => /<a class="header-badge header-badge-notifications"[^>]*>[\s\S]*?<\/a>/.exec(html)?.[0] ?? '';

  async function signedIn(member: BuiltMember): Promise<Agent> {
    const a = browser(app);
    await signIn(a, member.email, member.password);
    return a;
  }

  it('shows the unread count on the bell, lists the notices in the reader’s language and marks them read on opening', async () => {
    const member = await buildMember(em.fork(), { status: 'alumni' });
    const event = await buildEvent(em.fork(), { title: '新年会 <2027>', startsAt: new Date('2027-01-15T10:00:00Z') });
    const a = await signedIn(member);

    expect(decode(bell((await a.get('/').expect(200)).text))).not.toContain('aria-label');
    await remind(member, event.id, event.startsAt, '24h');
    await remind(member, event.id, event.startsAt, '1h');

    const home = bell((await a.get('/').expect(200)).text);
    expect(decode(home)).toContain('aria-label="通知 (2)"');
    expect(home).toContain('<span class="header-badge-count" aria-hidden="true">2</span>');

    const page = await a.get('/notifications').expect(200);
    const text = mainText(page.text);
    expect(text).toContain('1時間後に開催: 「新年会 <2027>」は 2027年1月15日(金) 19:00 に始まります。');
    expect(text).toContain('明日開催: 「新年会 <2027>」は 2027年1月15日(金) 19:00 に始まります。');
    expect(page.text).toContain('新年会 &lt;2027&gt;');
    expect(page.text.match(/class="notification notification-unread"/g)).toHaveLength(2);
    expect(page.text.indexOf('1時間後に開催')).toBeLessThan(page.text.indexOf('明日開催'));
    expect(page.text).toContain(`href="/events/${event.id}"`);
    // Opening the list changes nothing: GET is safe, the count stays.
    expect(decode(bell(page.text))).toContain('aria-label="通知 (2)"');
    const again = await a.get('/notifications').expect(200);
    expect(again.text.match(/class="notification notification-unread"/g)).toHaveLength(2);
    expect(decode(bell((await a.get('/').expect(200)).text))).toContain('aria-label="通知 (2)"');

    // The page's script sends the ids it showed (a POST with the CSRF token): those are read now.
    const ids = [...page.text.matchAll(/<input type="hidden" name="ids\[\]" value="([0-9a-f-]{36})">/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    expect((await a.post('/notifications/read').type('form').send({ 'ids[]': ids })).status).toBe(403);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const marked = await a.post('/notifications/read').type('form').send(`_csrf=${encodeURIComponent(token)}&${ids.map((id) => `ids[]=${id}`).join('&')}`);
    expect([marked.status, marked.headers.location]).toEqual([303, '/notifications']);
    const after = await a.get('/notifications').expect(200);
    expect(after.text).not.toContain('notification-unread');
    expect(mainText(after.text)).not.toContain('すべてのお知らせを既読にしました。');
    expect(bell((await a.get('/').expect(200)).text)).not.toContain('header-badge-count');
  });

  it('speaks English to an English reader', async () => {
    const member = await buildMember(em.fork(), { status: 'employee' });
    await em.fork().execute(`update membership.member set locale = 'en' where id = ?`, [member.member.id]);
    const event = await buildEvent(em.fork(), { title: 'Tech talk', startsAt: new Date('2027-01-15T10:00:00Z') });
    const a = await signedIn(member);
    await remind(member, event.id, event.startsAt, '24h');

    expect(decode(bell((await a.get('/').expect(200)).text))).toContain('aria-label="Notifications (1)"');
    expect(mainText((await a.get('/notifications').expect(200)).text)).toContain('Tomorrow: "Tech talk" starts Fri, 15 January 2027 19:00.');
  });

  it('pages the list and marks everything read with one button', async () => {
    const member = await buildMember(em.fork(), { status: 'alumni' });
    await em.fork().transactional(async (tx) => {
      for (let i = 0; i < 25; i++) {
        await SiteNotifier.notify(tx, { memberId: member.member.id, kind: 'registration-confirmed', params: { title: `イベント${i}`, startsAt: '2027-02-01T01:00:00.000Z' }, link: null, dedupeKey: `e2e:${member.member.id}:${i}` });
      }
    });
    const a = await signedIn(member);
    expect(decode(bell((await a.get('/').expect(200)).text))).toContain('aria-label="通知 (25)"');

    const first = await a.get('/notifications').expect(200);
    expect(first.text.match(/class="notification notification-unread"/g)).toHaveLength(20);
    expect(mainText(first.text)).toContain('「イベント24」');
    expect(decode(first.text)).toContain('href="/notifications?page=2"');
    expect(decode(bell(first.text))).toContain('aria-label="通知 (25)"');
    expect(mainText(first.text)).toContain('すべて既読にする');

    const res = await submit(a, '/notifications/read', {}, '/notifications');
    expect([res.status, res.headers.location]).toEqual([303, '/notifications']);
    const after = await follow(a, res);
    expect(mainText(after.text)).toContain('すべてのお知らせを既読にしました。');
    expect(bell(after.text)).not.toContain('header-badge-count');
    const second = await a.get('/notifications?page=2').expect(200);
    expect(second.text).not.toContain('notification-unread');
    expect(mainText(second.text)).toContain('「イベント0」');

    // Bad page numbers are refused with a message, not a 500.
    expect((await a.get('/notifications?page=abc')).status).toBe(400);
  });

  it('marks the notices about a conversation or a post read when the member opens it, and only those', async () => {
    const run = <R>(command: Command<R>): Promise<R> => RequestContext.create(em.fork(), () => app.get(CommandBus).execute(command));
    const operator = await buildMember(em.fork(), { status: 'employee', role: 'operator' });
    const alice = await buildMember(em.fork(), { status: 'alumni', familyName: '山田', givenName: '花子' });
    const bob = await buildMember(em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健' });
    const dm = (await run(new OpenDirectConversationCommand(alice.viewer, bob.member.id))).conversationId;
    await sendMessage(run, alice.viewer, dm, 'こんにちは');
    const other = (await run(new OpenDirectConversationCommand(operator.viewer, bob.member.id))).conversationId;
    const board = await buildBoard(run, operator.viewer);
    const { threadId, postId } = await buildThread(run, board, alice.viewer, { title: '同窓会の相談', replies: [{ by: operator.viewer, body: '賛成です' }] });
    await em.fork().transactional(async (tx) => {
      const notice = (memberId: string, link: string, n: string) =>
        SiteNotifier.notify(tx, { memberId, kind: 'chat-dm', params: { name: '山田 花子' }, link, dedupeKey: `e2e-link:${memberId}:${n}` });
      await notice(bob.member.id, `/chat/c/${dm}`, 'dm');
      await notice(bob.member.id, `/chat/c/${dm}?seq=1#m1`, 'dm-seq');
      await notice(bob.member.id, `/chat/c/${other}`, 'other-dm');
      await notice(bob.member.id, `/forum/p/${postId}`, 'post');
      await notice(alice.member.id, `/chat/c/${dm}`, 'alice-dm');
    });
    const b = await signedIn(bob);
    expect(decode(bell((await b.get('/').expect(200)).text))).toContain('aria-label="通知 (4)"');

    // The page that marks them read already counts them out in its own header.
    expect(decode(bell((await b.get(`/chat/c/${dm}`).expect(200)).text))).toContain('aria-label="通知 (2)"');
    expect(decode(bell((await b.get('/').expect(200)).text))).toContain('aria-label="通知 (2)"');
    expect(decode(bell((await b.get(`/forum/t/${threadId}`).expect(200)).text))).toContain('aria-label="通知 (1)"');
    expect(decode(bell((await b.get('/').expect(200)).text))).toContain('aria-label="通知 (1)"');
    // An article and an event page do the same for their notices.
    const article = await buildPublished(run, alice.viewer, operator.viewer, { title: '同窓会のレポート' });
    const event = await buildEvent(em.fork(), { title: '新年会', startsAt: new Date('2027-01-15T10:00:00Z') });
    await em.fork().transactional(async (tx) => {
      await SiteNotifier.notify(tx, { memberId: bob.member.id, kind: 'chat-dm', params: { name: '山田 花子' }, link: `/content/${article}#c-1`, dedupeKey: `e2e-link:${bob.member.id}:article` });
      await SiteNotifier.notify(tx, { memberId: bob.member.id, kind: 'chat-dm', params: { name: '山田 花子' }, link: `/events/${event.id}`, dedupeKey: `e2e-link:${bob.member.id}:event` });
    });
    expect(decode(bell((await b.get('/').expect(200)).text))).toContain('aria-label="通知 (3)"');
    expect(decode(bell((await b.get(`/content/${article}`).expect(200)).text))).toContain('aria-label="通知 (2)"');
    expect(decode(bell((await b.get(`/events/${event.id}`).expect(200)).text))).toContain('aria-label="通知 (1)"');
    expect(decode(bell((await b.get('/').expect(200)).text))).toContain('aria-label="通知 (1)"');

    // The other conversation's notice stays, and so does Alice's own notice about the same DM.
    const unread = await em.fork().execute<{ member_id: string; link: string }[]>(`select member_id, link from notifications.notification where read_at is null and dedupe_key like 'e2e-link:%' order by link`);
    expect(unread).toEqual([
      { member_id: bob.member.id, link: `/chat/c/${other}` },
      { member_id: alice.member.id, link: `/chat/c/${dm}` },
    ].sort((x, y) => x.link.localeCompare(y.link)));
  });

  it('shows no bell to visitors and applicants, and keeps the page for members', async () => {
    const anonymous = browser(app);
    expect(bell((await anonymous.get('/').expect(200)).text)).toBe('');
    const applicant = await buildMember(em.fork(), { status: 'pending' });
    const a = await signedIn(applicant);
    expect(bell((await a.get('/').expect(200)).text)).toBe('');
    expect((await a.get('/notifications')).status).toBe(403);
  });
});
