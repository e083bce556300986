import { randomUUID } from 'node:crypto';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { RedisConnections } from '@libs/queue/redis-connections';
import { QueueModule } from '@libs/queue/queue.module';
import { messageCatalog } from '@libs/i18n';
import { Member } from '@modules/membership/domain/member.entity';
import { MembershipModule } from '@modules/membership/membership.module';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { NetworkingModule } from '@modules/networking/networking.module';
import { chatPresenceKey as presenceKey } from '@modules/networking/application/chat-moderation.handlers';
import {
  CreateChannelCommand,
  CreateGroupCommand,
  DeleteMessageCommand,
  InviteToGroupCommand,
  JoinChannelCommand,
  MarkConversationReadCommand,
  NetworkingEvents,
  OpenDirectConversationCommand,
  RespondToGroupInvitationCommand,
  SendMessageCommand,
  type ChatMessageCreatedEvent,
} from '@modules/networking/contracts';
import { Notification } from '@modules/notifications/domain/notification.entity';
import { NotificationsModule } from '@modules/notifications/notifications.module';
import { notificationText } from '@modules/notifications/web/notification-text';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import type { Viewer } from '@libs/security/access-policy';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

/** Networking's chat-message-created events in the members' bells, as the worker delivers them (after the delay). */
describe('chat notices through the outbox (PostgreSQL, Redis presence)', () => {
  let h: ModuleHarness;
  let events: IntegrationEventsProcessor;
  let redis: RedisConnections;
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;
  let carol: BuiltMember;
  let sent = 0;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, NetworkingModule, ModerationModule, PrivacyModule, NotificationsModule, OutboxWorkerModule, QueueModule]);
    events = h.app.get(IntegrationEventsProcessor);
    redis = h.app.get(RedisConnections);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    await redis.client.del(presenceKey(redis.prefix));
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alice = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    bob = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    carol = await buildMember(h.em.fork(), { status: 'alumni', familyName: '鈴木', givenName: '葵', familyNameKana: 'スズキ', givenNameKana: 'アオイ' });
  });
  afterAll(async () => {
    await redis.client.del(presenceKey(redis.prefix));
    await h.close();
  });

  /** The chat events waiting in the outbox, oldest first, as the relay would hand them to the worker. */
  const waiting = async () =>
    (await h.fresh((em) => em.find(OutboxMessage, { name: NetworkingEvents.chatMessageCreated }, { orderBy: { createdAt: 'asc' } }))).map(
      (row) => row.payload as unknown as ChatMessageCreatedEvent & IntegrationEvent,
    );
  /** Delivers every waiting chat event (one delivered before is delivered again: the processed-job record skips it). */
  async function deliver(): Promise<void> {
    for (const event of await waiting()) await events.dispatch(event);
  }
  const notes = (memberId: string) => h.fresh((em) => em.find(Notification, { memberId }, { orderBy: { createdAt: 'asc' } }));
  const allNotes = () => h.fresh((em) => em.count(Notification, {}));
  const say = async (viewer: Viewer, conversationId: string, body: string) =>
    (await h.command(new SendMessageCommand(viewer, conversationId, { clientId: `n-${++sent}`, body }))).message;
  const dm = async (from: BuiltMember, to: BuiltMember) => (await h.command(new OpenDirectConversationCommand(from.viewer, to.member.id))).conversationId;
  const online = (member: BuiltMember) => redis.client.zadd(presenceKey(redis.prefix), Date.now() + 60_000, member.member.id);
  const ja = (n: Notification) => notificationText(messageCatalog(), n, 'ja', 'Asia/Tokyo');
  const en = (n: Notification) => notificationText(messageCatalog(), n, 'en', 'Asia/Tokyo');

  it('tells the offline recipient of a DM, linking to the conversation, in both languages', async () => {
    const id = await dm(alice, bob);
    const message = await say(alice.viewer, id, '来週の同窓会、参加しますか？');
    const [event] = await waiting();
    expect(event).toMatchObject({ messageId: message.id, conversationId: id, kind: 'dm', authorId: alice.member.id, recipientIds: [bob.member.id] });
    await deliver();

    const got = await notes(bob.member.id);
    expect(got.map((n) => [n.kind, n.link, n.readAt ?? null])).toEqual([['chat-dm', `/chat/c/${id}`, null]]);
    expect(ja(got[0])).toBe('山田 太郎 さんからメッセージが届きました。');
    expect(en(got[0])).toBe('Message from 山田 太郎.');
    // The author is not told of their own message.
    expect(await notes(alice.member.id)).toEqual([]);
  });

  it('tells nobody who has read the message by then, nor a recipient who is connected', async () => {
    const id = await dm(alice, bob);
    const message = await say(alice.viewer, id, 'お疲れさまです');
    await h.command(new MarkConversationReadCommand(bob.viewer, id, message.seq));
    await deliver();
    expect(await notes(bob.member.id)).toEqual([]);

    const other = await dm(carol, bob);
    await say(carol.viewer, other, '今いいですか？');
    await online(bob);
    await deliver();
    expect(await allNotes()).toBe(0);
  });

  it('tells nothing of a message deleted before the notice was due', async () => {
    const id = await dm(alice, bob);
    const message = await say(alice.viewer, id, '間違えました');
    await h.command(new DeleteMessageCommand(alice.viewer, message.id));
    await deliver();
    expect(await allNotes()).toBe(0);
  });

  it('collapses a DM: one unread notice per conversation, updated with the count; a new one once it was read', async () => {
    const id = await dm(alice, bob);
    await say(alice.viewer, id, '一つ目');
    await deliver();
    await say(alice.viewer, id, '二つ目');
    await say(alice.viewer, id, '三つ目');
    await deliver();

    let got = await notes(bob.member.id);
    expect(got).toHaveLength(1);
    expect([got[0].kind, got[0].params]).toEqual(['chat-dms', { name: '山田 太郎', count: 3, firstSeq: 1, lastSeq: 3 }]);
    expect(ja(got[0])).toBe('山田 太郎 さんから 3 件のメッセージが届きました。');
    expect(en(got[0])).toBe('3 messages from 山田 太郎.');

    // Bob opens the bell: the next message is a notice of its own.
    await h.fresh((em) => em.execute('update notifications.notification set read_at = now() where member_id = ?', [bob.member.id]));
    await say(alice.viewer, id, '四つ目');
    await deliver();
    got = await notes(bob.member.id);
    expect(got.map((n) => [n.kind, n.params.count, n.readAt === null || n.readAt === undefined])).toEqual([
      ['chat-dms', 3, false],
      ['chat-dm', 1, true],
    ]);
    // Another DM partner's messages are another conversation's notice.
    const other = await dm(carol, bob);
    await say(carol.viewer, other, 'こんにちは');
    await deliver();
    expect((await notes(bob.member.id)).filter((n) => n.link === `/chat/c/${other}`).map((n) => n.kind)).toEqual(['chat-dm']);
  });

  it('adds nothing when the same events are delivered again, even under a new event id', async () => {
    const id = await dm(alice, bob);
    await say(alice.viewer, id, '一つ目');
    await say(alice.viewer, id, '二つ目');
    await deliver();
    const before = await notes(bob.member.id);
    expect(before.map((n) => n.params.count)).toEqual([2]);

    await deliver();
    for (const event of await waiting()) await events.dispatch({ ...event, eventId: randomUUID() });
    const after = await notes(bob.member.id);
    expect(after).toHaveLength(1);
    expect(after[0].params).toEqual(before[0].params);
    // Even once the notice was read, a message it covered does not come back as a new one.
    await h.fresh((em) => em.execute('update notifications.notification set read_at = now() where member_id = ?', [bob.member.id]));
    for (const event of await waiting()) await events.dispatch({ ...event, eventId: randomUUID() });
    expect(await allNotes()).toBe(1);
  });

  it('tells members mentioned in a channel, with its name in each reader\'s language, once per message', async () => {
    const { conversationId } = await h.command(
      new CreateChannelCommand(operator.viewer, { nameJa: '雑談', nameEn: 'Lounge', descriptionJa: '', descriptionEn: '', audience: 'members' }),
    );
    await h.command(new JoinChannelCommand(alice.viewer, conversationId));
    await h.command(new JoinChannelCommand(carol.viewer, conversationId));
    // Bob reads in English (his setting); he has not joined, but may read the channel.
    await h.fresh((em) => em.execute(`update membership.member set locale = 'en' where id = ?`, [bob.member.id]));
    const message = await say(alice.viewer, conversationId, '@鈴木葵 さん、@佐藤健 さん、来月の勉強会の件です');
    expect([...message.mentions].sort()).toEqual([carol.member.id, bob.member.id].sort());
    // A channel message that mentions nobody tells nobody.
    await say(alice.viewer, conversationId, 'みなさんこんにちは');
    await deliver();
    await deliver();

    const got = await notes(carol.member.id);
    expect(got.map((n) => [n.kind, n.link, n.dedupeKey])).toEqual([['chat-mention', `/chat/c/${conversationId}`, `chat-mention:${message.id}:${carol.member.id}`]]);
    expect(ja(got[0])).toBe('山田 太郎 さんがあなたをメンションしました（#雑談）。');
    const english = await notes(bob.member.id);
    expect(english.map((n) => n.params.title)).toEqual(['Lounge']);
    expect(en(english[0])).toBe('山田 太郎 mentioned you in #Lounge.');
    expect(await allNotes()).toBe(2);
  });

  it('tells a member mentioned in a group; not one who is connected, nor one whose account was suspended since', async () => {
    const dave = await buildMember(h.em.fork(), { status: 'employee', familyName: '田中', givenName: '実', familyNameKana: 'タナカ', givenNameKana: 'ミノル' });
    const { conversationId } = await h.command(new CreateGroupCommand(alice.viewer, { name: 'DX勉強会', description: '', listed: true }));
    for (const member of [bob, carol, dave]) {
      await h.command(new InviteToGroupCommand(alice.viewer, conversationId, member.member.id));
      await h.command(new RespondToGroupInvitationCommand(member.viewer, conversationId, true));
    }
    const message = await say(alice.viewer, conversationId, '@佐藤健 さん @鈴木葵 さん @田中実 さん、資料を共有しました');
    expect([...message.mentions].sort()).toEqual([bob.member.id, carol.member.id, dave.member.id].sort());
    await h.fresh(async (em) => {
      const member = await em.findOneOrFail(Member, carol.member.id);
      member.suspend(operator.member.id, '確認のため');
      await em.flush();
    });
    await online(dave);
    await deliver();

    const got = await notes(bob.member.id);
    expect(got.map((n) => [n.kind, n.link])).toEqual([['chat-mention-group', `/chat/c/${conversationId}`]]);
    expect(ja(got[0])).toBe('山田 太郎 さんがグループ「DX勉強会」であなたをメンションしました。');
    expect(en(got[0])).toBe('山田 太郎 mentioned you in the group "DX勉強会".');
    expect(await allNotes()).toBe(1);
  });

  it('tells a mentioned member who may not read the conversation nothing (chat does not name them)', async () => {
    const { conversationId } = await h.command(new CreateGroupCommand(alice.viewer, { name: '秘密の相談', description: '', listed: false }));
    const message = await say(alice.viewer, conversationId, '@佐藤健 さんにはまだ内緒です');
    // Even an event that names them (a forged or stale one): chat answers that bob may not read it.
    const [event] = await waiting();
    const forged: ChatMessageCreatedEvent = { ...event, eventId: randomUUID(), mentionIds: [bob.member.id], messageId: message.id };
    await events.dispatch(forged);
    expect(await allNotes()).toBe(0);
  });
});
