import { randomUUID } from 'node:crypto';
import { RedisConnections } from '@libs/queue/redis-connections';
import { QueueModule } from '@libs/queue/queue.module';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { MembershipModule } from '@modules/membership/membership.module';
import { SeedDemoCommunityCommand } from '@modules/membership/contracts';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { DecideModerationCommand, ListModerationQueueQuery } from '@modules/moderation/contracts';
import { NetworkingModule } from '@modules/networking/networking.module';
import { ChatFanout, type ChatFanoutSink } from '@modules/networking/application/chat-fanout';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import {
  ArchiveChannelCommand,
  BlockMemberCommand,
  CanMessageMemberQuery,
  CHAT_NOTICE_DELAY_MS,
  DecideJoinRequestCommand,
  DeleteMessageCommand,
  EditMessageCommand,
  GetChatImageAccessQuery,
  GetChatMessageNoticeQuery,
  GetChatPresenceQuery,
  GetChatSettingsQuery,
  GetChatUnreadTotalQuery,
  GetConversationAccessQuery,
  GetConversationQuery,
  HideMessageCommand,
  InviteToGroupCommand,
  JoinChannelCommand,
  LeaveConversationCommand,
  ListChannelsQuery,
  ListChatSubscriptionsQuery,
  ListConversationsQuery,
  ListGroupsQuery,
  ListMessagesQuery,
  MarkConversationReadCommand,
  MESSAGES_PAGE_SIZE,
  OpenDirectConversationCommand,
  RemoveGroupMemberCommand,
  ReportMessageCommand,
  REPLAY_MAX,
  RequestToJoinGroupCommand,
  RespondToGroupInvitationCommand,
  SearchConversationQuery,
  SeedDemoChatCommand,
  SendMessageCommand,
  SetDmPolicyCommand,
  TransferGroupOwnershipCommand,
  type MessageView,
} from '@modules/networking/contracts';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { buildChannel, buildGroup, sendMessage } from '../../factories/chat.factory';

interface Recorded {
  created: MessageView[];
  updated: MessageView[];
  reads: [string, string, number][];
  membership: [string, string, boolean][];
  changed: string[];
}

describe('chat (Networking, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;
  let carol: BuiltMember;
  let fanout: Recorded;

  beforeAll(async () => {
    h = await bootModules([NetworkingModule, MembershipModule, ModerationModule, PrivacyModule, OutboxWorkerModule, QueueModule]);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子', familyNameKana: 'ウンエイ', givenNameKana: 'ハナコ' });
    alice = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    bob = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    carol = await buildMember(h.em.fork(), { status: 'alumni', familyName: '髙橋', givenName: '葵', familyNameKana: 'タカハシ', givenNameKana: 'アオイ' });
    fanout = { created: [], updated: [], reads: [], membership: [], changed: [] };
    const sink: ChatFanoutSink = {
      messageCreated: (m) => fanout.created.push(m),
      messageUpdated: (m) => fanout.updated.push(m),
      readMoved: (c, m, s) => fanout.reads.push([c, m, s]),
      membershipChanged: (c, m, j) => fanout.membership.push([c, m, j]),
      conversationChanged: (c) => fanout.changed.push(c),
    };
    h.app.get(ChatFanout).attach(sink);
  });
  afterAll(async () => {
    h.app.get(ChatFanout).attach(null);
    await h.close();
  });

  const messages = (viewer: BuiltMember, conversationId: string, page: { after?: number; before?: number; limit?: number } = {}) => h.query(new ListMessagesQuery(viewer.viewer, conversationId, page));

  it('numbers twenty messages sent at the same moment 1..20, each once, with a delayed notice', async () => {
    const channel = await buildChannel(h.command, operator.viewer, {}, [alice.viewer, bob.viewer, carol.viewer, operator.viewer]);
    const senders = [alice, bob, carol, operator];
    const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => h.command(new SendMessageCommand(senders[i % 4].viewer, channel, { clientId: `c-${i}`, body: `同時のメッセージ ${i}` }))));
    expect(sent.every((s) => s.created)).toBe(true);
    expect(sent.map((s) => s.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const page = await messages(alice, channel);
    expect(page.items.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(page.lastSeq).toBe(20);
    // Each message went to the sockets after it was written, and has its notice event, delayed.
    expect(fanout.created.map((m) => m.seq).sort((a, b) => a - b)).toEqual(page.items.map((m) => m.seq));
    expect(fanout.created.every((m) => m.body === null)).toBe(true);
    const events = await h.fresh((em) => em.find(OutboxMessage, { name: 'networking.chat-message-created' }));
    expect(events.map((e) => Number(e.payload.seq)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const e of events) {
      expect(e.runAt!.getTime() - e.createdAt.getTime()).toBeGreaterThanOrEqual(CHAT_NOTICE_DELAY_MS - 1000);
      expect(e.payload).toMatchObject({ conversationId: channel, kind: 'channel', recipientIds: [] });
    }
  });

  it('answers a resend with the same client id with the first message, one after the other and at the same moment', async () => {
    const channel = await buildChannel(h.command, operator.viewer, {}, [alice.viewer, bob.viewer]);
    const first = await h.command(new SendMessageCommand(alice.viewer, channel, { clientId: 'retry-1', body: '届いていますか？' }));
    const again = await h.command(new SendMessageCommand(alice.viewer, channel, { clientId: 'retry-1', body: '届いていますか？' }));
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, message: { id: first.message.id, seq: 1 } });
    // Another member may use the same client id: it is the author's own.
    expect((await h.command(new SendMessageCommand(bob.viewer, channel, { clientId: 'retry-1', body: '届いています' }))).created).toBe(true);
    const burst = await Promise.all(Array.from({ length: 8 }, () => h.command(new SendMessageCommand(alice.viewer, channel, { clientId: 'burst', body: '連打しました' }))));
    expect(burst.filter((b) => b.created)).toHaveLength(1);
    expect(new Set(burst.map((b) => b.message.id)).size).toBe(1);
    const page = await messages(alice, channel);
    expect(page.items.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(page.lastSeq).toBe(3);
    await expect(h.command(new SendMessageCommand(alice.viewer, channel, { clientId: 'a b', body: 'x' }))).rejects.toMatchObject({ field: 'clientId' });
    await expect(h.command(new SendMessageCommand(alice.viewer, channel, { clientId: 'long', body: 'あ'.repeat(4001) }))).rejects.toMatchObject({ code: 'networking.chat.errors.tooLong', params: { max: 4000 } });
  });

  it('opens one DM per pair however often and however concurrently it is opened', async () => {
    const first = await h.command(new OpenDirectConversationCommand(alice.viewer, bob.member.id));
    const second = await h.command(new OpenDirectConversationCommand(bob.viewer, alice.member.id));
    expect(first.created).toBe(true);
    expect(second).toEqual({ conversationId: first.conversationId, created: false });
    const together = await Promise.all(Array.from({ length: 10 }, (_, i) => h.command(new OpenDirectConversationCommand(i % 2 ? carol.viewer : alice.viewer, i % 2 ? alice.member.id : carol.member.id))));
    expect(new Set(together.map((t) => t.conversationId)).size).toBe(1);
    expect(together.filter((t) => t.created)).toHaveLength(1);
    const [{ n }] = await h.fresh((em) => em.execute<{ n: string }[]>(`select count(*) as n from networking.conversation where kind = 'dm'`));
    expect(Number(n)).toBe(2);

    // Only the two read it; the recipient hears of it with a notice; the other's read position shows as 既読.
    const dm = first.conversationId;
    await sendMessage(h.command, alice.viewer, dm, 'お久しぶりです！');
    await expect(messages(carol, dm)).rejects.toMatchObject({ status: 404 });
    await expect(messages(operator, dm)).rejects.toMatchObject({ status: 404 });
    const [event] = await h.fresh((em) => em.find(OutboxMessage, { name: 'networking.chat-message-created' }));
    expect(event.payload).toMatchObject({ kind: 'dm', recipientIds: [bob.member.id], authorId: alice.member.id });
    expect((await h.query(new GetConversationQuery(alice.viewer, dm, 'ja'))).otherLastReadSeq).toBe(0);
    await h.command(new MarkConversationReadCommand(bob.viewer, dm, 1));
    const view = await h.query(new GetConversationQuery(alice.viewer, dm, 'ja'));
    expect(view).toMatchObject({ otherLastReadSeq: 1, canPost: true, dmClosed: false, conversation: { title: '佐藤 健', kind: 'dm' } });
    await expect(h.command(new LeaveConversationCommand(alice.viewer, dm))).rejects.toMatchObject({ status: 403 });
  });

  it('refuses DMs with one answer for blocks, policies and members who cannot take part', async () => {
    const cannot = { code: 'networking.chat.errors.cannotMessage', status: 403 };
    // Everyone (the default).
    const { conversationId: dm } = await h.command(new OpenDirectConversationCommand(alice.viewer, bob.member.id));
    const hello = await h.command(new SendMessageCommand(alice.viewer, dm, { clientId: 'hello', body: 'こんにちは' }));
    // A block either way closes the DM, for the existing conversation too; the blocked member is not told why.
    await h.command(new BlockMemberCommand(bob.viewer, alice.member.id, true));
    // A resend of what went out before the block still answers that message (the client's retry after a timeout).
    expect(await h.command(new SendMessageCommand(alice.viewer, dm, { clientId: 'hello', body: 'こんにちは' }))).toMatchObject({ created: false, message: { id: hello.message.id, seq: 1 } });
    await expect(h.command(new SendMessageCommand(alice.viewer, dm, { clientId: 'b1', body: 'もしもし' }))).rejects.toMatchObject(cannot);
    await expect(h.command(new SendMessageCommand(bob.viewer, dm, { clientId: 'b2', body: '返事' }))).rejects.toMatchObject(cannot);
    await expect(h.command(new OpenDirectConversationCommand(alice.viewer, bob.member.id))).rejects.toMatchObject(cannot);
    expect(await h.query(new CanMessageMemberQuery(alice.viewer, bob.member.id))).toBe(false);
    expect(await h.query(new GetConversationQuery(alice.viewer, dm, 'ja'))).toMatchObject({ canRead: true, canPost: false, dmClosed: true, blockedByViewer: false });
    expect(await h.query(new GetConversationQuery(bob.viewer, dm, 'ja'))).toMatchObject({ dmClosed: true, blockedByViewer: true });
    expect((await h.query(new GetChatSettingsQuery(bob.viewer))).blocked.map((b) => b.displayName)).toEqual(['山田 太郎']);
    expect((await messages(alice, dm)).items).toHaveLength(1);
    await h.command(new BlockMemberCommand(bob.viewer, alice.member.id, false));
    expect((await h.command(new SendMessageCommand(alice.viewer, dm, { clientId: 'b3', body: 'また話せますね' }))).created).toBe(true);

    // nobody: no DMs at all, existing ones stay readable.
    await h.command(new SetDmPolicyCommand(bob.viewer, 'nobody'));
    await expect(h.command(new SendMessageCommand(alice.viewer, dm, { clientId: 'n1', body: 'x' }))).rejects.toMatchObject(cannot);
    await expect(h.command(new OpenDirectConversationCommand(carol.viewer, bob.member.id))).rejects.toMatchObject(cannot);
    await expect(h.command(new OpenDirectConversationCommand(bob.viewer, carol.member.id))).rejects.toMatchObject(cannot);
    expect((await messages(alice, dm)).items).toHaveLength(2);

    // known: only members with a DM that has a message, or a shared group.
    await h.command(new SetDmPolicyCommand(bob.viewer, 'known'));
    expect(await h.query(new CanMessageMemberQuery(alice.viewer, bob.member.id))).toBe(true);
    await expect(h.command(new OpenDirectConversationCommand(carol.viewer, bob.member.id))).rejects.toMatchObject(cannot);
    await buildGroup(h.command, carol.viewer, { name: '関西支部の有志' }, [bob.viewer]);
    expect(await h.query(new CanMessageMemberQuery(carol.viewer, bob.member.id))).toBe(true);
    expect((await h.command(new OpenDirectConversationCommand(carol.viewer, bob.member.id))).created).toBe(true);
    expect((await h.query(new GetChatSettingsQuery(bob.viewer))).dmPolicy).toBe('known');
    await expect(h.command(new SetDmPolicyCommand(bob.viewer, 'friends' as never))).rejects.toMatchObject({ field: 'dmPolicy' });

    // Members who cannot take part, and the viewer themselves.
    const pending = await buildMember(h.em.fork(), { status: 'pending' });
    const suspended = await buildMember(h.em.fork(), { status: 'suspended' });
    for (const id of [pending.member.id, suspended.member.id, alice.member.id, randomUUID(), 'not-an-id']) {
      await expect(h.command(new OpenDirectConversationCommand(alice.viewer, id))).rejects.toMatchObject(cannot);
    }
    await expect(h.command(new OpenDirectConversationCommand(suspended.viewer, alice.member.id))).rejects.toMatchObject(cannot);
    await expect(h.command(new BlockMemberCommand(alice.viewer, alice.member.id, true))).rejects.toMatchObject({ status: 400 });
  });

  it('closes a DM with a member whose account was deleted, who shows as 退会したメンバー', async () => {
    const em = h.em.fork();
    const dave = await buildMember(em, { status: 'employee', familyName: '田中', givenName: '一郎' });
    const { conversationId: dm } = await h.command(new OpenDirectConversationCommand(alice.viewer, dave.member.id));
    await sendMessage(h.command, dave.viewer, dm, 'またどこかで');
    dave.member.erase();
    await em.flush();
    const page = await messages(alice, dm);
    expect(page.items[0].author).toEqual({ memberId: null, displayName: '退会したメンバー', deleted: true });
    expect((await h.query(new ListMessagesQuery({ ...alice.viewer, locale: 'en' }, dm, {}))).items[0].author.displayName).toBe('Deleted member');
    await expect(h.command(new SendMessageCommand(alice.viewer, dm, { clientId: 'x', body: 'x' }))).rejects.toMatchObject({ status: 403 });
    const [item] = (await h.query(new ListConversationsQuery(alice.viewer, 'ja'))).items;
    expect(item).toMatchObject({ title: '退会したメンバー', other: { deleted: true }, unread: 1 });
  });

  it('runs groups: invitations, join requests, secret groups, removal, hand-over', async () => {
    const listed = await buildGroup(h.command, alice.viewer, { name: '2015年入社同期', listed: true });
    const secret = await buildGroup(h.command, alice.viewer, { name: '新規事業の壁打ち', listed: false });
    // Secret: does not exist for outsiders (operators included) until they are invited.
    for (const outsider of [bob, operator]) {
      await expect(h.query(new GetConversationQuery(outsider.viewer, secret, 'ja'))).rejects.toMatchObject({ status: 404 });
      await expect(h.command(new RequestToJoinGroupCommand(outsider.viewer, secret, ''))).rejects.toMatchObject({ status: 404 });
    }
    expect((await h.query(new ListGroupsQuery(bob.viewer, null, 'ja'))).map((g) => g.title)).toEqual(['2015年入社同期']);
    await expect(h.command(new InviteToGroupCommand(bob.viewer, listed, carol.member.id))).rejects.toMatchObject({ code: 'networking.chat.errors.notOwner' });

    // Invite → accept.
    expect(await h.command(new InviteToGroupCommand(alice.viewer, secret, bob.member.id))).toEqual({ joined: false });
    const invited = await h.query(new GetConversationQuery(bob.viewer, secret, 'ja'));
    expect(invited).toMatchObject({ invitedByOwner: true, canRead: false, canJoin: true, members: [] });
    await expect(messages(bob, secret)).rejects.toMatchObject({ status: 404 });
    await h.command(new RespondToGroupInvitationCommand(bob.viewer, secret, true));
    expect(fanout.membership).toContainEqual([secret, bob.member.id, true]);
    expect((await messages(bob, secret)).items).toEqual([]);
    await expect(h.command(new RespondToGroupInvitationCommand(bob.viewer, secret, true))).rejects.toMatchObject({ status: 404 });

    // Request → approve (listed groups only), decline.
    expect(await h.command(new RequestToJoinGroupCommand(carol.viewer, listed, '同期の髙橋です。'))).toEqual({ joined: false });
    const forOwner = await h.query(new GetConversationQuery(alice.viewer, listed, 'ja'));
    expect(forOwner.requests).toMatchObject([{ kind: 'join', message: '同期の髙橋です。', member: { displayName: '髙橋 葵' } }]);
    expect((await h.query(new GetConversationQuery(carol.viewer, listed, 'ja'))).requestPending).toBe(true);
    await expect(h.command(new DecideJoinRequestCommand(bob.viewer, listed, carol.member.id, true))).rejects.toMatchObject({ status: 403 });
    await h.command(new DecideJoinRequestCommand(alice.viewer, listed, carol.member.id, true));
    expect((await h.query(new GetConversationQuery(carol.viewer, listed, 'ja'))).members.map((m) => [m.displayName, m.role])).toEqual([
      ['山田 太郎', 'owner'],
      ['髙橋 葵', 'member'],
    ]);
    await h.command(new RequestToJoinGroupCommand(operator.viewer, listed, ''));
    await h.command(new DecideJoinRequestCommand(alice.viewer, listed, operator.member.id, false));
    await expect(messages(operator, listed)).rejects.toMatchObject({ status: 404 });
    await expect(h.command(new DecideJoinRequestCommand(alice.viewer, listed, operator.member.id, true))).rejects.toMatchObject({ status: 404 });

    // Remove: the member's sockets leave at once, and they read nothing more.
    await sendMessage(h.command, carol.viewer, listed, '参加しました');
    await h.command(new RemoveGroupMemberCommand(alice.viewer, listed, carol.member.id));
    expect(fanout.membership).toContainEqual([listed, carol.member.id, false]);
    await expect(messages(carol, listed)).rejects.toMatchObject({ status: 404 });
    await expect(h.command(new SendMessageCommand(carol.viewer, listed, { clientId: 'r', body: 'まだいますか' }))).rejects.toMatchObject({ status: 404 });
    await expect(h.command(new RemoveGroupMemberCommand(alice.viewer, listed, carol.member.id))).rejects.toMatchObject({ status: 409 });

    // The owner cannot leave while others remain; after handing over they can.
    await expect(h.command(new LeaveConversationCommand(alice.viewer, secret))).rejects.toMatchObject({ code: 'networking.chat.errors.ownerMustHandOver', status: 409 });
    expect((await h.query(new GetConversationQuery(alice.viewer, secret, 'ja'))).canLeave).toBe(false);
    await expect(h.command(new TransferGroupOwnershipCommand(alice.viewer, secret, carol.member.id))).rejects.toMatchObject({ status: 409 });
    await h.command(new TransferGroupOwnershipCommand(alice.viewer, secret, bob.member.id));
    expect(fanout.changed).toContain(secret);
    await expect(h.command(new InviteToGroupCommand(alice.viewer, secret, carol.member.id))).rejects.toMatchObject({ status: 403 });
    await h.command(new LeaveConversationCommand(alice.viewer, secret));
    expect(fanout.membership).toContainEqual([secret, alice.member.id, false]);
    await expect(messages(alice, secret)).rejects.toMatchObject({ status: 404 });
    const view = await h.query(new GetConversationQuery(bob.viewer, secret, 'ja'));
    expect(view).toMatchObject({ canManage: true, canLeave: true, members: [{ displayName: '佐藤 健', role: 'owner' }], conversation: { memberCount: 1, role: 'owner' } });
    // An invitation approves a pending request; asking after an invitation accepts it.
    await h.command(new RequestToJoinGroupCommand(operator.viewer, listed, 'もう一度お願いします'));
    expect(await h.command(new InviteToGroupCommand(alice.viewer, listed, operator.member.id))).toEqual({ joined: true });
    await h.command(new InviteToGroupCommand(bob.viewer, secret, carol.member.id));
    expect(await h.command(new RequestToJoinGroupCommand(carol.viewer, secret, ''))).toEqual({ joined: true });
  });

  it('counts unread messages of others, not deleted ones, and moves the read position only forward to the end', async () => {
    const channel = await buildChannel(h.command, operator.viewer, {}, [alice.viewer, bob.viewer]);
    const { conversationId: dm } = await h.command(new OpenDirectConversationCommand(alice.viewer, bob.member.id));
    for (let i = 1; i <= 5; i++) await sendMessage(h.command, alice.viewer, channel, `お知らせ ${i}`);
    await sendMessage(h.command, bob.viewer, channel, '了解です');
    const doomed = await sendMessage(h.command, alice.viewer, channel, 'あとで消します');
    await sendMessage(h.command, alice.viewer, dm, '個別に失礼します');
    await sendMessage(h.command, alice.viewer, dm, '来週お時間ありますか？');
    // Bob's own message moved his read position to it: 5 before it are read, 1 after it is not, 2 in the DM.
    expect(await h.query(new GetChatUnreadTotalQuery(bob.viewer))).toBe(3);
    await h.command(new DeleteMessageCommand(alice.viewer, doomed.id));
    expect(await h.query(new GetChatUnreadTotalQuery(bob.viewer))).toBe(2);
    const list = await h.query(new ListConversationsQuery(bob.viewer, 'ja'));
    expect(list.totalUnread).toBe(2);
    expect(list.items.map((i) => [i.kind, i.unread])).toEqual([
      ['dm', 2],
      ['channel', 0],
    ]);
    expect(list.items[0].lastMessage).toMatchObject({ seq: 2, text: '来週お時間ありますか？', authorName: '山田 太郎' });
    expect(list.items[1].lastMessage).toMatchObject({ seq: 6, text: '了解です' });
    // Alice wrote after Bob's reply: writing moved her read position past it.
    expect(await h.query(new GetChatUnreadTotalQuery(alice.viewer))).toBe(0);

    expect(await h.command(new MarkConversationReadCommand(bob.viewer, dm, 1))).toEqual({ lastReadSeq: 1 });
    expect(await h.command(new MarkConversationReadCommand(bob.viewer, dm, 0))).toEqual({ lastReadSeq: 1 });
    expect(await h.query(new GetChatUnreadTotalQuery(bob.viewer))).toBe(1);
    expect(await h.command(new MarkConversationReadCommand(bob.viewer, dm, 9999))).toEqual({ lastReadSeq: 2 });
    expect(fanout.reads).toEqual([
      [dm, bob.member.id, 1],
      [dm, bob.member.id, 2],
    ]);
    expect(await h.query(new GetChatUnreadTotalQuery(bob.viewer))).toBe(0);
    // A later message counts again; a member who joins starts at the end.
    await sendMessage(h.command, alice.viewer, dm, 'もう一件');
    expect(await h.query(new GetChatUnreadTotalQuery(bob.viewer))).toBe(1);
    await h.command(new JoinChannelCommand(carol.viewer, channel));
    expect((await h.query(new ListConversationsQuery(carol.viewer, 'ja'))).items[0]).toMatchObject({ id: channel, unread: 0, lastReadSeq: 7 });
    await sendMessage(h.command, alice.viewer, channel, 'ようこそ');
    expect(await h.query(new GetChatUnreadTotalQuery(carol.viewer))).toBe(1);
    expect((await h.query(new ListChatSubscriptionsQuery(carol.viewer))).map((s) => s)).toEqual([{ conversationId: channel, lastSeq: 8 }]);
  });

  it('pages history with before= and replays with after=', async () => {
    const channel = await buildChannel(h.command, operator.viewer, {}, [alice.viewer]);
    const total = REPLAY_MAX + 10;
    for (let i = 1; i <= total; i++) await h.command(new SendMessageCommand(alice.viewer, channel, { clientId: `p${i}`, body: `メッセージ ${i}` }));
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const latest = await messages(bob, channel);
    expect(latest.items.map((m) => m.seq)).toEqual(range(total - MESSAGES_PAGE_SIZE + 1, total));
    expect(latest).toMatchObject({ more: true, lastSeq: total });
    const older = await messages(bob, channel, { before: 51, limit: 20 });
    expect(older.items.map((m) => m.seq)).toEqual(range(31, 50));
    expect(older.more).toBe(true);
    const oldest = await messages(bob, channel, { before: 11 });
    expect(oldest.items.map((m) => m.seq)).toEqual(range(1, 10));
    expect(oldest.more).toBe(false);
    const replay = await messages(bob, channel, { after: 0 });
    expect(replay.items.map((m) => m.seq)).toEqual(range(1, REPLAY_MAX));
    expect(replay.more).toBe(true);
    const rest = await messages(bob, channel, { after: REPLAY_MAX });
    expect(rest.items.map((m) => m.seq)).toEqual(range(REPLAY_MAX + 1, total));
    expect(rest.more).toBe(false);
    expect((await messages(bob, channel, { after: total })).items).toEqual([]);
  }, 120_000);

  it('edits and deletes own messages: the place stays, the text goes', async () => {
    const channel = await buildChannel(h.command, operator.viewer, {}, [alice.viewer, bob.viewer]);
    const m = await sendMessage(h.command, alice.viewer, channel, '明日の勉強会は19時からです @佐藤健');
    expect(m.html).toContain(`<a class="mention" href="/members/${bob.member.id}">@佐藤健</a>`);
    expect(m.body).toBe('明日の勉強会は19時からです @佐藤健');
    const [event] = await h.fresh((em) => em.find(OutboxMessage, { name: 'networking.chat-message-created' }));
    expect(event.payload.mentionIds).toEqual([bob.member.id]);
    await expect(h.command(new EditMessageCommand(bob.viewer, m.id, '他人が直す'))).rejects.toMatchObject({ status: 403 });
    const edited = await h.command(new EditMessageCommand(alice.viewer, m.id, '明日の勉強会は19時半からです'));
    expect(edited.editedAt).not.toBeNull();
    expect(fanout.updated.at(-1)).toMatchObject({ id: m.id, body: null, html: '明日の勉強会は19時半からです' });
    await sendMessage(h.command, bob.viewer, channel, '了解です');
    await h.command(new DeleteMessageCommand(alice.viewer, m.id));
    await expect(h.command(new DeleteMessageCommand(bob.viewer, (await messages(bob, channel)).items[1].id))).resolves.toMatchObject({ deleted: true });
    const page = await messages(bob, channel);
    expect(page.items.map((i) => [i.seq, i.deleted, i.html])).toEqual([
      [1, true, ''],
      [2, true, ''],
    ]);
    expect((await h.query(new SearchConversationQuery(bob.viewer, channel, '勉強会'))).total).toBe(0);
  });

  it('finds two-character words inside sentences in one readable conversation', async () => {
    const channel = await buildChannel(h.command, operator.viewer, {}, [alice.viewer, bob.viewer]);
    const other = await buildChannel(h.command, operator.viewer, { nameJa: '関西支部' }, [alice.viewer]);
    await sendMessage(h.command, alice.viewer, channel, '来月から東京本社で新しい制度が始まります。');
    await sendMessage(h.command, bob.viewer, channel, '大阪の話です');
    await sendMessage(h.command, alice.viewer, other, '東京出張のついでに寄ります');
    const found = await h.query(new SearchConversationQuery(bob.viewer, channel, '東京'));
    expect(found).toMatchObject({ total: 1, words: ['東京'], more: false });
    expect(found.items[0]).toMatchObject({ seq: 1 });
    expect(found.items[0].snippet).toContain('東京本社');
    expect((await h.query(new SearchConversationQuery(bob.viewer, channel, 'ﾄｳｷｮｳ 本社'))).total).toBe(0);
    expect((await h.query(new SearchConversationQuery(bob.viewer, channel, '新しい制度'))).total).toBe(1);
    await expect(h.query(new SearchConversationQuery(bob.viewer, channel, '東'))).rejects.toMatchObject({ field: 'q' });
    const secret = await buildGroup(h.command, alice.viewer, { listed: false });
    await sendMessage(h.command, alice.viewer, secret, '東京の件');
    await expect(h.query(new SearchConversationQuery(bob.viewer, secret, '東京'))).rejects.toMatchObject({ status: 404 });
  });

  it('keeps channels to their audience; operators read every channel; archived ones are read-only', async () => {
    const alumniOnly = await buildChannel(h.command, operator.viewer, { nameJa: 'アルムナイ交流', nameEn: 'Alumni lounge', audience: 'alumni' }, [alice.viewer]);
    const general = await buildChannel(h.command, operator.viewer);
    await sendMessage(h.command, alice.viewer, alumniOnly, '退職後の話をしましょう');
    await expect(messages(bob, alumniOnly)).rejects.toMatchObject({ status: 404 });
    await expect(h.command(new JoinChannelCommand(bob.viewer, alumniOnly))).rejects.toMatchObject({ status: 404 });
    expect(await h.query(new GetConversationAccessQuery(bob.viewer, alumniOnly))).toBeNull();
    expect((await h.query(new ListChannelsQuery(bob.viewer, 'ja'))).map((c) => c.id)).toEqual([general]);
    expect((await h.query(new ListChannelsQuery(carol.viewer, 'en'))).map((c) => [c.title, c.joined])).toEqual([
      ['Alumni lounge', false],
      ['General chat', false],
    ]);
    expect((await messages(operator, alumniOnly)).items).toHaveLength(1);
    expect(await h.query(new GetConversationAccessQuery(operator.viewer, alumniOnly))).toEqual({ kind: 'channel', read: true, post: false, member: false });
    // Reading is open to the audience; writing needs joining.
    await expect(h.command(new SendMessageCommand(carol.viewer, alumniOnly, { clientId: 'x', body: 'こんにちは' }))).rejects.toMatchObject({ code: 'networking.chat.errors.notJoined' });
    await h.command(new JoinChannelCommand(carol.viewer, alumniOnly));
    expect(fanout.membership).toContainEqual([alumniOnly, carol.member.id, true]);
    expect(await h.query(new GetConversationAccessQuery(carol.viewer, alumniOnly))).toEqual({ kind: 'channel', read: true, post: true, member: true });
    await sendMessage(h.command, carol.viewer, alumniOnly, 'はじめまして');
    await h.command(new LeaveConversationCommand(carol.viewer, alumniOnly));
    expect(fanout.membership).toContainEqual([alumniOnly, carol.member.id, false]);
    // Archived: read-only, for operators too.
    await expect(h.command(new ArchiveChannelCommand(alice.viewer, alumniOnly, true))).rejects.toMatchObject({ status: 403 });
    await h.command(new ArchiveChannelCommand(operator.viewer, alumniOnly, true));
    await expect(h.command(new SendMessageCommand(alice.viewer, alumniOnly, { clientId: 'y', body: 'まだ書けますか' }))).rejects.toMatchObject({ status: 409 });
    expect((await messages(alice, alumniOnly)).items).toHaveLength(2);
    expect((await h.query(new ListChannelsQuery(alice.viewer, 'ja'))).map((c) => c.id)).toEqual([general]);
    expect((await h.query(new ListChannelsQuery(alice.viewer, 'ja', true))).map((c) => c.id)).toEqual([general, alumniOnly]);
  });

  it('lets operators hide a channel message: readers see the place, operators the text, the audit log the decision', async () => {
    const channel = await buildChannel(h.command, operator.viewer, {}, [alice.viewer, bob.viewer]);
    const m = await sendMessage(h.command, alice.viewer, channel, '宣伝です https://spam.example');
    await expect(h.command(new HideMessageCommand(bob.viewer, m.id, true))).rejects.toMatchObject({ status: 403 });
    const hidden = await h.command(new HideMessageCommand(operator.viewer, m.id, true));
    expect(hidden).toMatchObject({ hidden: true, body: '宣伝です https://spam.example' });
    expect(fanout.updated.at(-1)).toMatchObject({ id: m.id, hidden: true, html: '', body: null });
    expect((await messages(bob, channel)).items[0]).toMatchObject({ hidden: true, html: '', body: null, images: [] });
    expect((await messages(operator, channel)).items[0].html).toContain('宣伝です');
    const [audit] = await h.fresh((em) => em.execute<{ n: string }[]>(`select count(*) as n from privacy.audit_event where action = 'moderation.decided'`));
    expect(Number(audit.n)).toBe(1);
    await h.command(new HideMessageCommand(operator.viewer, m.id, false));
    expect((await messages(bob, channel)).items[0]).toMatchObject({ hidden: false });
    // Groups and DMs are private: operators do not read them, so they hide nothing there.
    const group = await buildGroup(h.command, alice.viewer, {}, [operator.viewer]);
    const inGroup = await sendMessage(h.command, alice.viewer, group, 'グループ内の話');
    await expect(h.command(new HideMessageCommand(operator.viewer, inGroup.id, true))).rejects.toMatchObject({ status: 403 });
  });

  it('hides a message reported by three members and applies the moderation decision', async () => {
    const channel = await buildChannel(h.command, operator.viewer, {}, [alice.viewer, bob.viewer]);
    const m = await sendMessage(h.command, alice.viewer, channel, '問題のあるメッセージ');
    const dave = await buildMember(h.em.fork(), { status: 'alumni' });
    await expect(h.command(new ReportMessageCommand(alice.viewer, m.id, '自分'))).rejects.toMatchObject({ status: 409 });
    await expect(h.command(new ReportMessageCommand(bob.viewer, m.id, ' '))).rejects.toMatchObject({ field: 'reason' });
    expect((await h.command(new ReportMessageCommand(bob.viewer, m.id, 'スパムです'))).hidden).toBe(false);
    expect((await h.command(new ReportMessageCommand(bob.viewer, m.id, 'もう一度'))).hidden).toBe(false);
    expect((await h.command(new ReportMessageCommand(carol.viewer, m.id, '不適切'))).hidden).toBe(false);
    expect((await h.command(new ReportMessageCommand(dave.viewer, m.id, '広告'))).hidden).toBe(true);
    expect(fanout.updated.at(-1)).toMatchObject({ id: m.id, hidden: true, html: '' });
    expect((await messages(bob, channel)).items[0]).toMatchObject({ hidden: true, html: '' });
    const queue = await h.query(new ListModerationQueueQuery(operator.viewer, 1, 'ja'));
    expect(queue.items[0]).toMatchObject({ subject: { type: 'chat-message', id: m.id }, reporters: 3, link: `/chat/c/${channel}?seq=1`, excerpt: '問題のあるメッセージ' });
    // A reader only: an employee cannot report what an alumni channel says.
    const alumniOnly = await buildChannel(h.command, operator.viewer, { audience: 'alumni' }, [alice.viewer]);
    const inAlumni = await sendMessage(h.command, alice.viewer, alumniOnly, '内輪の話');
    await expect(h.command(new ReportMessageCommand(bob.viewer, inAlumni.id, '不適切'))).rejects.toMatchObject({ status: 404 });

    await h.command(new DecideModerationCommand(operator.viewer, { type: 'chat-message', id: m.id }, 'keep', '問題なし'));
    const [decided] = await h.fresh((em) => em.find(OutboxMessage, { name: 'moderation.decided' }));
    await h.app.get(IntegrationEventsProcessor).dispatch(decided.payload as unknown as IntegrationEvent);
    expect((await messages(bob, channel)).items[0]).toMatchObject({ hidden: false, html: '問題のあるメッセージ' });
  });

  it('tells Notifications who has not read a message yet, and who is connected', async () => {
    const group = await buildGroup(h.command, alice.viewer, {}, [bob.viewer, carol.viewer]);
    const m = await sendMessage(h.command, alice.viewer, group, '@佐藤健 @髙橋葵 明日の件お願いします');
    await h.command(new MarkConversationReadCommand(carol.viewer, group, 1));
    const notice = await h.query(new GetChatMessageNoticeQuery(m.id, [alice.member.id, bob.member.id, carol.member.id, operator.member.id], 'ja'));
    expect(notice).toMatchObject({ kind: 'group', seq: 1, conversationTitle: '2015年入社同期', author: { displayName: '山田 太郎' }, deleted: false, unreadBy: [bob.member.id] });
    expect(notice!.excerpt).toContain('明日の件');
    await h.command(new BlockMemberCommand(bob.viewer, alice.member.id, true));
    expect((await h.query(new GetChatMessageNoticeQuery(m.id, [bob.member.id], 'ja')))!.unreadBy).toEqual([]);
    expect(await h.query(new GetChatMessageNoticeQuery(randomUUID(), [bob.member.id], 'ja'))).toBeNull();

    const redis = h.app.get(RedisConnections);
    const key = `${redis.prefix}:chat:presence`;
    await redis.client.zadd(key, Date.now() + 60_000, bob.member.id, Date.now() - 1000, carol.member.id);
    try {
      expect(await h.query(new GetChatPresenceQuery([alice.member.id, bob.member.id, carol.member.id]))).toEqual([bob.member.id]);
    } finally {
      await redis.client.del(key);
    }
  });

  it('gives images the access of their conversation', async () => {
    const group = await buildGroup(h.command, alice.viewer, { listed: false }, [bob.viewer]);
    const m = await sendMessage(h.command, alice.viewer, group, '写真です');
    // An image row as SendMessage writes it (the image pipeline has its own tests).
    await h.fresh((em) => em.execute(`insert into networking.chat_message_image (image_id, message_id, conversation_id, position, width, height) values ('img-test-1', ?, ?, 0, 10, 10)`, [m.id, group]));
    expect(await h.query(new GetChatImageAccessQuery(bob.viewer, 'img-test-1'))).toBe(true);
    expect(await h.query(new GetChatImageAccessQuery(carol.viewer, 'img-test-1'))).toBe(false);
    expect(await h.query(new GetChatImageAccessQuery(null, 'img-test-1'))).toBe(false);
    expect((await messages(bob, group)).items[0].images).toEqual([{ id: 'img-test-1', width: 10, height: 10 }]);
    await h.command(new DeleteMessageCommand(alice.viewer, m.id));
    expect(await h.query(new GetChatImageAccessQuery(bob.viewer, 'img-test-1'))).toBe(false);
  });

  it('gives the demo community Japanese channels with messages, once', async () => {
    await resetDatabase(h.em);
    await h.command(new SeedDemoCommunityCommand(30));
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator' });
    await h.command(new SeedDemoChatCommand());
    await h.command(new SeedDemoChatCommand());
    const channels = await h.query(new ListChannelsQuery(operator.viewer, 'ja'));
    expect(channels.map((c) => c.title)).toEqual(['雑談', '関西支部', '転職・キャリア相談', 'アルムナイ交流']);
    expect((await h.query(new ListChannelsQuery(operator.viewer, 'en'))).map((c) => c.title)).toContain('Kansai chapter');
    const page = await messages(operator, channels[0].id);
    expect(page.items.length).toBeGreaterThanOrEqual(3);
    expect(page.items.map((m) => m.seq)).toEqual(page.items.map((_, i) => i + 1));
    expect((await h.query(new SearchConversationQuery(operator.viewer, channels[0].id, '東京'))).total).toBeGreaterThan(0);
  });
});
