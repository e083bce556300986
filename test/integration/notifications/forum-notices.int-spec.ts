import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { messageCatalog } from '@libs/i18n';
import { Member } from '@modules/membership/domain/member.entity';
import { MembershipModule } from '@modules/membership/membership.module';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { REACTION_WINDOW_MS } from '@modules/networking/application/posting.handlers';
import { NetworkingModule } from '@modules/networking/networking.module';
import { NetworkingEvents, ReactToPostCommand, ReplyToThreadCommand, WatchBoardCommand, WatchThreadCommand } from '@modules/networking/contracts';
import { Notification } from '@modules/notifications/domain/notification.entity';
import { NotificationsModule } from '@modules/notifications/notifications.module';
import { notificationText } from '@modules/notifications/web/notification-text';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { buildBoard, buildThread } from '../../factories/forum.factory';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

/** Networking's post-created and reactions-batched events in the members' bells, as the worker delivers them. */
describe('forum notices through the outbox (PostgreSQL)', () => {
  let h: ModuleHarness;
  let events: IntegrationEventsProcessor;
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;
  let carol: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, NetworkingModule, ModerationModule, PrivacyModule, NotificationsModule, OutboxWorkerModule, QueueModule]);
    events = h.app.get(IntegrationEventsProcessor);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alice = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    bob = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    carol = await buildMember(h.em.fork(), { status: 'alumni', familyName: '鈴木', givenName: '葵', familyNameKana: 'スズキ', givenNameKana: 'アオイ' });
  });
  afterAll(() => h.close());

  /** The events of `name` waiting in the outbox, oldest first, as the relay would hand them to the worker. */
  const waiting = async (name: string) =>
    (await h.fresh((em) => em.find(OutboxMessage, { name }, { orderBy: { createdAt: 'asc' } }))).map((row) => row.payload as unknown as IntegrationEvent);
  /** Delivers every waiting event of `name` through the worker's dispatcher (an event delivered before is delivered again). */
  async function deliver(name: string): Promise<void> {
    for (const event of await waiting(name)) await events.dispatch(event);
  }
  const notes = (memberId: string) => h.fresh((em) => em.find(Notification, { memberId }, { orderBy: { createdAt: 'asc' } }));
  const allNotes = () => h.fresh((em) => em.count(Notification, {}));

  it('tells the thread starter (who watches it) of a reply once, with the thread title and the author, linking to the post', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId } = await buildThread(h.command, boardId, alice.viewer, { title: '議事録の話' });
    const reply = await h.command(new ReplyToThreadCommand(bob.viewer, threadId, { body: 'いいですね、私も使っています。' }));
    await deliver(NetworkingEvents.postCreated);

    const got = await notes(alice.member.id);
    expect(got.map((n) => [n.kind, n.params, n.link])).toEqual([['forum-reply', { title: '議事録の話', name: '佐藤 健' }, `/forum/p/${reply.postId}`]]);
    expect(got[0].dedupeKey).toBe(`forum-post:${reply.postId}:${alice.member.id}`);
    // The author is not told of their own post; nobody else watches the thread.
    expect(await notes(bob.member.id)).toEqual([]);
    expect(await allNotes()).toBe(1);
    // The bell's text, in both languages.
    const catalog = messageCatalog();
    expect(notificationText(catalog, got[0], 'ja', 'Asia/Tokyo')).toBe('佐藤 健 さんが「議事録の話」に返信しました。');
    expect(notificationText(catalog, got[0], 'en', 'Asia/Tokyo')).toBe('佐藤 健 replied in "議事録の話".');
  });

  it('adds nothing when the same events are delivered again', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId } = await buildThread(h.command, boardId, alice.viewer, { title: '議事録の話' });
    await h.command(new ReplyToThreadCommand(bob.viewer, threadId, { body: 'いいですね @鈴木葵 さんもどうですか' }));
    await deliver(NetworkingEvents.postCreated);
    expect(await allNotes()).toBe(2);

    await deliver(NetworkingEvents.postCreated);
    // A redelivery under a new handler run (the processed-job record lost): the dedupe key still holds.
    for (const event of await waiting(NetworkingEvents.postCreated)) await events.dispatch({ ...event, eventId: randomUUID() });
    expect(await allNotes()).toBe(2);
  });

  it('tells mentioned and quoted members with the strongest reason, each once', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId, postId } = await buildThread(h.command, boardId, alice.viewer, { title: '議事録の話' });
    await h.command(new ReplyToThreadCommand(bob.viewer, threadId, { body: '@鈴木葵 さん、これを見てください', quotePostId: postId }));
    await deliver(NetworkingEvents.postCreated);
    // Alice is quoted (and watches the thread): quote is the stronger reason. Carol is mentioned.
    expect((await notes(alice.member.id)).map((n) => n.kind)).toEqual(['forum-quote']);
    expect((await notes(carol.member.id)).map((n) => [n.kind, n.params])).toEqual([['forum-mention', { title: '議事録の話', name: '佐藤 健' }]]);
  });

  it('does not tell a mentioned member who may not read the board (an employee on an alumni board)', async () => {
    const alumniBoard = await buildBoard(h.command, operator.viewer, { visibility: 'alumni', nameJa: 'アルムナイ広場' });
    const { threadId } = await buildThread(h.command, alumniBoard, alice.viewer, { title: '退職後の話' });
    await h.command(new ReplyToThreadCommand(carol.viewer, threadId, { body: '@佐藤健 さんにも聞いてほしい' }));
    await deliver(NetworkingEvents.postCreated);
    expect(await notes(bob.member.id)).toEqual([]);
    expect((await notes(alice.member.id)).map((n) => n.kind)).toEqual(['forum-reply']);
  });

  it('does not tell a member who muted the thread, nor a watcher whose account was suspended since', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId } = await buildThread(h.command, boardId, alice.viewer, { title: '退職後の話' });
    await h.command(new WatchThreadCommand(alice.viewer, threadId, 'muted'));
    await h.command(new WatchThreadCommand(carol.viewer, threadId, 'watching'));
    await h.fresh(async (em) => {
      const member = await em.findOneOrFail(Member, carol.member.id);
      member.suspend(operator.member.id, '確認のため');
      await em.flush();
    });
    await h.command(new ReplyToThreadCommand(bob.viewer, threadId, { body: 'もう一つ' }));
    await deliver(NetworkingEvents.postCreated);
    expect(await notes(alice.member.id)).toEqual([]);
    expect(await notes(carol.member.id)).toEqual([]);
  });

  it('tells the watchers of a board about a new thread', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    await h.command(new WatchBoardCommand(carol.viewer, boardId, 'watching'));
    await buildThread(h.command, boardId, bob.viewer, { title: '新しい話題' });
    await deliver(NetworkingEvents.postCreated);
    expect((await notes(carol.member.id)).map((n) => [n.kind, n.params])).toEqual([['forum-watching', { title: '新しい話題', name: '佐藤 健' }]]);
    expect(notificationText(messageCatalog(), (await notes(carol.member.id))[0], 'en', 'Asia/Tokyo')).toBe('佐藤 健 started a new thread: "新しい話題".');
  });

  it('batches reactions: five in one window make one notice to the author with the count, once', async () => {
    // Not across a window's end: that would rightly make two notices.
    const left = REACTION_WINDOW_MS - (Date.now() % REACTION_WINDOW_MS);
    if (left < 10_000) await sleep(left + 100);
    const boardId = await buildBoard(h.command, operator.viewer);
    const { postId } = await buildThread(h.command, boardId, alice.viewer, { title: '議事録の話' });
    const dave = await buildMember(h.em.fork(), { status: 'employee' });
    await h.command(new ReactToPostCommand(bob.viewer, postId, 'like', true));
    await h.command(new ReactToPostCommand(bob.viewer, postId, 'tada', true));
    await h.command(new ReactToPostCommand(carol.viewer, postId, 'like', true));
    await h.command(new ReactToPostCommand(dave.viewer, postId, 'heart', true));
    await h.command(new ReactToPostCommand(operator.viewer, postId, 'thanks', true));
    // The author's own reaction counts for nothing.
    await h.command(new ReactToPostCommand(alice.viewer, postId, 'like', true));

    const batched = await waiting(NetworkingEvents.reactionsBatched);
    expect(batched).toHaveLength(1);
    await deliver(NetworkingEvents.reactionsBatched);
    await deliver(NetworkingEvents.reactionsBatched);
    const got = await notes(alice.member.id);
    expect(got.map((n) => [n.kind, n.params])).toEqual([['forum-reactions', { title: '議事録の話', count: 5 }]]);
    const windowStart = (batched[0] as IntegrationEvent & { windowStart: string }).windowStart;
    expect(got[0].dedupeKey).toBe(`forum-reactions:${postId}:${windowStart}`);
    expect(notificationText(messageCatalog(), got[0], 'ja', 'Asia/Tokyo')).toBe('「議事録の話」のあなたの投稿に 5 件のリアクションがありました。');
    expect(await notes(bob.member.id)).toEqual([]);
  });

  it('tells nothing when every reaction of the window was taken back', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { postId } = await buildThread(h.command, boardId, alice.viewer);
    await h.command(new ReactToPostCommand(bob.viewer, postId, 'like', true));
    await h.command(new ReactToPostCommand(bob.viewer, postId, 'like', false));
    await deliver(NetworkingEvents.reactionsBatched);
    expect(await notes(alice.member.id)).toEqual([]);
  });
});
