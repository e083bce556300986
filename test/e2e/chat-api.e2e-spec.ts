import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { RateLimitService } from '@libs/security/rate-limit.service';
import { CreateChannelCommand, MESSAGE_MAX } from '@modules/networking/contracts';
import { buildMember, type BuiltMember, type MemberSpec } from '../factories/member.factory';
import { browser, csrfToken, signIn, type Agent } from '../support/http';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** A client of the JSON API: a cookie session and its CSRF token (from GET /api/v1/me once signed in). */
interface Client {
  agent: Agent;
  token: string;
  member: BuiltMember | null;
}

type Method = 'post' | 'put' | 'patch' | 'delete';
const NONE = '00000000-0000-4000-8000-000000000000';

/** The chat JSON API over HTTP: every route's happy path, who may do what, paging, resends, input errors, limits. */
describe('chat JSON API (/api/v1/chat)', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;
  let carol: BuiltMember;
  let dave: BuiltMember;
  let channelId: string;
  let clientSeq = 0;

  const run = <R>(command: Command<R>): Promise<R> => RequestContext.create(em.fork(), () => app.get(CommandBus).execute(command));
  const build = (spec: MemberSpec) => buildMember(em.fork(), spec);
  const nextClientId = () => `e2e-${++clientSeq}`;

  async function clientOf(member: BuiltMember | null): Promise<Client> {
    const agent = browser(app);
    if (!member) return { agent, token: await csrfToken(agent, '/login'), member };
    await signIn(agent, member.email, member.password);
    const me = await agent.get('/api/v1/me').expect(200);
    return { agent, token: me.body.csrfToken as string, member };
  }
  const get = (c: Client, path: string) => c.agent.get(`/api/v1/chat${path}`);
  const send = (c: Client, method: Method, path: string, body?: object) => c.agent[method](`/api/v1/chat${path}`).set('X-CSRF-Token', c.token).send(body ?? {});
  const say = (c: Client, conversationId: string, body: string, clientId = nextClientId()) => send(c, 'post', `/conversations/${conversationId}/messages`, { clientId, body });

  let a: Client;
  let b: Client;
  let c: Client;
  let d: Client;
  let op: Client;

  beforeAll(async () => {
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
    operator = await build({ status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alice = await build({ status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    bob = await build({ status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    carol = await build({ status: 'alumni', familyName: '鈴木', givenName: '葵', familyNameKana: 'スズキ', givenNameKana: 'アオイ' });
    dave = await build({ status: 'employee', familyName: '田中', givenName: '実', familyNameKana: 'タナカ', givenNameKana: 'ミノル' });
    channelId = (await run(new CreateChannelCommand(operator.viewer, { nameJa: '雑談', nameEn: 'Lounge', descriptionJa: '気軽に話しましょう', descriptionEn: 'Say hello', audience: 'members' }))).conversationId;
    [a, b, c, d, op] = [await clientOf(alice), await clientOf(bob), await clientOf(carol), await clientOf(dave), await clientOf(operator)];
  }, 60_000);
  afterAll(() => app.close());
  // Every message counts against its sender's limit (30 in 10 seconds): a test starts with a full allowance.
  beforeEach(async () => {
    const limits = app.get(RateLimitService);
    for (const m of [operator, alice, bob, carol, dave]) await limits.reset('chat:message', m.member.id);
  });

  describe('direct messages', () => {
    let dmId: string;
    let firstId: string;

    it('opens the DM with a member: 201 the first time, then 200 with the same conversation from either side', async () => {
      const res = await send(a, 'post', '/dms', { memberId: bob.member.id }).expect(201);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ id: expect.any(String), kind: 'dm', title: '佐藤 健', other: { memberId: bob.member.id, displayName: '佐藤 健' }, lastSeq: 0, unread: 0, canPost: true, url: `/chat/c/${res.body.id}` });
      dmId = res.body.id;
      expect((await send(a, 'post', '/dms', { memberId: bob.member.id }).expect(200)).body.id).toBe(dmId);
      const other = await send(b, 'post', '/dms', { memberId: alice.member.id }).expect(200);
      expect(other.body).toMatchObject({ id: dmId, title: '山田 太郎' });
    });

    it('sends a message (201); a resend with the same clientId answers the same message (200) and never a second one', async () => {
      const res = await say(a, dmId, 'こんにちは、https://example.jp を見てください', 'first-message').expect(201);
      expect(res.body).toMatchObject({ conversationId: dmId, seq: 1, clientId: 'first-message', author: { memberId: alice.member.id, displayName: '山田 太郎', deleted: false }, mine: true, deleted: false, hidden: false, images: [], editedAt: null });
      expect(res.body.html).toContain('href="https://example.jp"');
      firstId = res.body.id;
      const again = await say(a, dmId, 'こんにちは、https://example.jp を見てください', 'first-message').expect(200);
      expect(again.body).toMatchObject({ id: firstId, seq: 1 });
      // Both at once too: one message.
      const [x, y] = await Promise.all([say(a, dmId, '同時送信', 'twice'), say(a, dmId, '同時送信', 'twice')]);
      expect([x.status, y.status].sort()).toEqual([200, 201]);
      expect(x.body.id).toBe(y.body.id);
      const page = await get(a, `/conversations/${dmId}/messages`).expect(200);
      expect(page.body.items.map((m: { seq: number }) => m.seq)).toEqual([1, 2]);
      expect(page.body).toMatchObject({ more: false, lastSeq: 2 });
    });

    it('lists the conversations with unread counts and the total', async () => {
      for (let i = 3; i <= 8; i++) await say(a, dmId, `メッセージ ${i}`).expect(201);
      const res = await get(b, '/conversations').expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const item = (res.body.items as { id: string }[]).find((i) => i.id === dmId);
      expect(item).toMatchObject({ id: dmId, kind: 'dm', title: '山田 太郎', unread: 8, lastSeq: 8, lastReadSeq: 0, lastMessage: { seq: 8, authorName: '山田 太郎', text: 'メッセージ 8' }, url: `/chat/c/${dmId}` });
      expect(res.body.totalUnread).toBe(8);
      expect((await get(b, '/unread').expect(200)).body).toEqual({ totalUnread: 8 });
      // The author has nothing unread.
      expect((await get(a, '/conversations').expect(200)).body.items.find((i: { id: string }) => i.id === dmId)).toMatchObject({ unread: 0 });
    });

    it('pages with before= (older, ascending) and replays with after=', async () => {
      const latest = await get(b, `/conversations/${dmId}/messages?limit=3`).expect(200);
      expect(latest.body.items.map((m: { seq: number }) => m.seq)).toEqual([6, 7, 8]);
      expect(latest.body).toMatchObject({ more: true, lastSeq: 8 });
      const older = await get(b, `/conversations/${dmId}/messages?before=6&limit=3`).expect(200);
      expect(older.body.items.map((m: { seq: number }) => m.seq)).toEqual([3, 4, 5]);
      expect(older.body.more).toBe(true);
      const oldest = await get(b, `/conversations/${dmId}/messages?before=3`).expect(200);
      expect(oldest.body).toMatchObject({ more: false });
      expect(oldest.body.items.map((m: { seq: number }) => m.seq)).toEqual([1, 2]);
      const replay = await get(b, `/conversations/${dmId}/messages?after=5`).expect(200);
      expect(replay.body.items.map((m: { seq: number }) => m.seq)).toEqual([6, 7, 8]);
      expect(replay.body).toMatchObject({ more: false, lastSeq: 8 });
      expect((await get(b, `/conversations/${dmId}/messages?after=8`).expect(200)).body.items).toEqual([]);
      // What others see of a message: no body, not mine, an address on the page.
      expect(replay.body.items[0]).toMatchObject({ mine: false, body: null, url: `/chat/c/${dmId}?before=7#m6` });
    });

    it('moves the read position forward only, never past the last seq', async () => {
      expect((await send(b, 'post', `/conversations/${dmId}/read`, { seq: 3 }).expect(200)).body).toEqual({ lastReadSeq: 3 });
      expect((await send(b, 'post', `/conversations/${dmId}/read`, { seq: 2 }).expect(200)).body).toEqual({ lastReadSeq: 3 });
      expect((await send(b, 'post', `/conversations/${dmId}/read`, { seq: 9999 }).expect(200)).body).toEqual({ lastReadSeq: 8 });
      expect((await get(b, '/conversations').expect(200)).body).toMatchObject({ totalUnread: 0 });
      // The other side sees it as read (既読).
      expect((await get(a, `/conversations/${dmId}`).expect(200)).body).toMatchObject({ id: dmId, otherLastReadSeq: 8 });
    });

    it('shows the conversation with its members and rights', async () => {
      const res = await get(b, `/conversations/${dmId}`).expect(200);
      expect(res.body).toMatchObject({ id: dmId, kind: 'dm', title: '山田 太郎', canRead: true, canPost: true, canJoin: false, canManage: false, dmClosed: false, blockedByViewer: false, lastSeq: 8, lastReadSeq: 8 });
      expect(res.body.members.map((m: { memberId: string }) => m.memberId).sort()).toEqual([alice.member.id, bob.member.id].sort());
    });

    it("answers another members' DM with a 404, whatever the route", async () => {
      await get(c, `/conversations/${dmId}`).expect(404);
      await get(c, `/conversations/${dmId}/messages`).expect(404);
      await get(c, `/conversations/${dmId}/search?q=${encodeURIComponent('メッセージ')}`).expect(404);
      const res = await say(c, dmId, 'のぞき見').expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, message: 'お探しの会話・メッセージは見つかりません。' });
      await send(c, 'post', `/conversations/${dmId}/read`, { seq: 1 }).expect(404);
      await send(c, 'patch', `/messages/${firstId}`, { body: '書き換え' }).expect(404);
      await send(c, 'delete', `/messages/${firstId}`).expect(404);
      await send(c, 'post', `/messages/${firstId}/reports`, { reason: '確認' }).expect(404);
      await get(a, `/conversations/${NONE}`).expect(404);
      // Nothing was written.
      expect((await get(a, `/conversations/${dmId}/messages?after=0`).expect(200)).body.lastSeq).toBe(8);
    });

    it("edits one's own message (200), refuses another's (403), deletes it keeping its place", async () => {
      const edited = await send(a, 'patch', `/messages/${firstId}`, { body: 'こんにちは（訂正）' }).expect(200);
      expect(edited.body).toMatchObject({ id: firstId, seq: 1, editedAt: expect.any(String), body: 'こんにちは（訂正）' });
      expect(edited.body.html).toContain('訂正');
      const refused = await send(b, 'patch', `/messages/${firstId}`, { body: '書き換え' }).expect(403);
      expect(refused.body.message).toBe('このメッセージは編集・削除できません。');
      await send(b, 'delete', `/messages/${firstId}`).expect(403);
      const deleted = await send(a, 'delete', `/messages/${firstId}`).expect(200);
      expect(deleted.body).toMatchObject({ id: firstId, seq: 1, deleted: true, html: '' });
      const page = await get(b, `/conversations/${dmId}/messages?before=2`).expect(200);
      expect(page.body.items[0]).toMatchObject({ id: firstId, deleted: true, html: '' });
    });

    it('reports a message (201) but not one of one\'s own (409)', async () => {
      const target = (await get(b, `/conversations/${dmId}/messages?after=1`).expect(200)).body.items[0];
      const res = await send(b, 'post', `/messages/${target.id}/reports`, { reason: '不適切な内容です' }).expect(201);
      expect(res.body).toEqual({ reportId: expect.any(String), hidden: false });
      const own = await send(a, 'post', `/messages/${target.id}/reports`, { reason: 'テスト' }).expect(409);
      expect(own.body.message).toBe('自分のメッセージは通報できません。');
    });

    it('searches inside the conversation', async () => {
      const res = await get(b, `/conversations/${dmId}/search?q=${encodeURIComponent('メッセージ')}`).expect(200);
      expect(res.body).toMatchObject({ words: expect.any(Array), total: expect.any(Number), more: false });
      expect(res.body.items.length).toBeGreaterThanOrEqual(1);
      expect(res.body.items[0]).toMatchObject({ conversationId: dmId, snippet: expect.stringContaining('メッセージ') });
      const short = await get(b, `/conversations/${dmId}/search?q=${encodeURIComponent('メ')}`).expect(400);
      expect(short.body.fields.q[0].message).toBe('検索語は2文字以上で入力してください。');
    });

    it('blocks and unblocks (204): no DM either way while blocked', async () => {
      await send(c, 'put', `/blocks/${dave.member.id}`).expect(204);
      expect((await get(c, '/settings').expect(200)).body).toMatchObject({ dmPolicy: 'everyone', blocked: [{ memberId: dave.member.id, displayName: '田中 実' }] });
      const refused = await send(d, 'post', '/dms', { memberId: carol.member.id }).expect(403);
      expect(refused.body.message).toBe('このメンバーにはメッセージを送れません。');
      await send(c, 'post', '/dms', { memberId: dave.member.id }).expect(403);
      await send(c, 'delete', `/blocks/${dave.member.id}`).expect(204);
      await send(d, 'post', '/dms', { memberId: carol.member.id }).expect(201);
      await send(c, 'put', `/blocks/${NONE}`).expect(404);
    });

    it('takes the DM policy (204): nobody may start a DM with a member who takes none', async () => {
      await send(d, 'put', '/settings', { dmPolicy: 'nobody' }).expect(204);
      expect((await get(d, '/settings').expect(200)).body.dmPolicy).toBe('nobody');
      await send(a, 'post', '/dms', { memberId: dave.member.id }).expect(403);
      await send(d, 'put', '/settings', { dmPolicy: 'everyone' }).expect(204);
      await send(a, 'post', '/dms', { memberId: dave.member.id }).expect(201);
      const bad = await send(d, 'put', '/settings', { dmPolicy: 'friends' }).expect(400);
      expect(Object.keys(bad.body.fields)).toEqual(['dmPolicy']);
    });
  });

  describe('channels', () => {
    it('lists channels, joins (204), writes, and leaves (204)', async () => {
      const list = await get(c, '/channels').expect(200);
      expect(list.body.items.find((i: { id: string }) => i.id === channelId)).toMatchObject({ kind: 'channel', title: '雑談', audience: 'members', joined: false });
      expect((await get(c, '/channels').set('Accept-Language', 'en').expect(200)).body.items.find((i: { id: string }) => i.id === channelId).title).toBe('Lounge');
      // Not joined: may read, may not write.
      expect((await get(c, `/conversations/${channelId}`).expect(200)).body).toMatchObject({ canJoin: true, canPost: false });
      await say(c, channelId, '参加前').expect(403);
      await send(c, 'post', `/channels/${channelId}/join`).expect(204);
      const sent = await say(c, channelId, '@山田太郎 さん、よろしくお願いします').expect(201);
      expect(sent.body.mentions).toEqual([alice.member.id]);
      expect((await get(c, '/conversations').expect(200)).body.items.map((i: { id: string }) => i.id)).toContain(channelId);
      await send(c, 'post', `/channels/${channelId}/leave`).expect(204);
      expect((await get(c, '/conversations').expect(200)).body.items.map((i: { id: string }) => i.id)).not.toContain(channelId);
      await send(c, 'post', `/channels/${NONE}/join`).expect(404);
    });

    it('lets operators create, rename, archive channels and hide messages; members get a 403', async () => {
      await send(a, 'post', '/channels', { nameJa: '勝手な部屋', audience: 'members' }).expect(403);
      const created = await send(op, 'post', '/channels', { nameJa: 'お知らせ', nameEn: 'News', audience: 'alumni' }).expect(201);
      expect(created.body).toMatchObject({ kind: 'channel', title: 'お知らせ', audience: 'alumni', canManage: true });
      const id = created.body.id as string;
      // An employee is not in the audience: the channel does not exist for them.
      await get(b, `/conversations/${id}`).expect(404);
      const renamed = await send(op, 'patch', `/channels/${id}`, { nameJa: '運営からのお知らせ', nameEn: 'News', audience: 'alumni' }).expect(200);
      expect(renamed.body.title).toBe('運営からのお知らせ');
      await send(a, 'patch', `/channels/${id}`, { nameJa: '乗っ取り', audience: 'alumni' }).expect(403);

      await send(a, 'post', `/channels/${id}/join`).expect(204);
      const message = await say(a, id, '最初の投稿').expect(201);
      await send(a, 'put', `/messages/${message.body.id}/hidden`, { hidden: true }).expect(403);
      const hidden = await send(op, 'put', `/messages/${message.body.id}/hidden`, { hidden: true }).expect(200);
      expect(hidden.body).toMatchObject({ id: message.body.id, hidden: true });
      await send(op, 'put', `/channels/${id}/archived`, { archived: true }).expect(204);
      const archived = await say(a, id, 'アーカイブ後').expect(409);
      expect(archived.body.message).toBe('このチャンネルはアーカイブされているため、メッセージを送れません。');
      expect((await get(op, '/channels?archived=1').expect(200)).body.items.find((i: { id: string }) => i.id === id)).toMatchObject({ archived: true });
      await send(op, 'put', `/channels/${id}/archived`, { archived: false }).expect(204);
      await say(a, id, '再開').expect(201);
    });
  });

  describe('groups', () => {
    let groupId: string;

    it('creates a group (201): the caller owns it', async () => {
      const res = await send(a, 'post', '/groups', { name: 'DX勉強会', description: '生成AIの使い方を共有します', listed: true }).expect(201);
      expect(res.body).toMatchObject({ id: expect.any(String), kind: 'group', title: 'DX勉強会', description: '生成AIの使い方を共有します', listed: true, role: 'owner', canManage: true, url: `/chat/c/${res.body.id}` });
      groupId = res.body.id;
      expect(res.body.members).toEqual([expect.objectContaining({ memberId: alice.member.id, role: 'owner' })]);
      expect((await get(c, `/groups?q=${encodeURIComponent('DX')}`).expect(200)).body.items.map((i: { id: string }) => i.id)).toContain(groupId);
      const renamed = await send(a, 'patch', `/groups/${groupId}`, { name: 'DX勉強会（第2期）', description: '生成AIの使い方を共有します', listed: true }).expect(200);
      expect(renamed.body.title).toBe('DX勉強会（第2期）');
      await send(b, 'patch', `/groups/${groupId}`, { name: '乗っ取り' }).expect(403);
    });

    it('invites a member (201), who accepts (204) and may write', async () => {
      expect((await send(a, 'post', `/groups/${groupId}/invitations`, { memberId: bob.member.id }).expect(201)).body).toEqual({ joined: false });
      expect((await get(b, `/conversations/${groupId}`).expect(200)).body).toMatchObject({ invitedByOwner: true, canPost: false });
      // Invited, not yet in it: the group's messages are not theirs to read or write.
      await get(b, `/conversations/${groupId}/messages`).expect(404);
      await say(b, groupId, '招待中').expect(404);
      await send(b, 'post', `/groups/${groupId}/invitation/accept`).expect(204);
      await say(b, groupId, '参加しました').expect(201);
      // Only the owner invites.
      await send(b, 'post', `/groups/${groupId}/invitations`, { memberId: dave.member.id }).expect(403);
      // An invitation declined.
      await send(a, 'post', `/groups/${groupId}/invitations`, { memberId: dave.member.id }).expect(201);
      await send(d, 'post', `/groups/${groupId}/invitation/decline`).expect(204);
      expect((await get(d, `/conversations/${groupId}`).expect(200)).body).toMatchObject({ invitedByOwner: false, canPost: false });
      await send(d, 'post', `/groups/${groupId}/invitation/accept`).expect(404);
    });

    it('takes join requests (201); only the owner approves (403 for others) or declines', async () => {
      expect((await send(c, 'post', `/groups/${groupId}/join-requests`, { message: '参加させてください' }).expect(201)).body).toEqual({ joined: false });
      const owner = await get(a, `/conversations/${groupId}`).expect(200);
      expect(owner.body.requests).toEqual([expect.objectContaining({ member: expect.objectContaining({ memberId: carol.member.id }), kind: 'join', message: '参加させてください' })]);
      const refused = await send(b, 'post', `/groups/${groupId}/join-requests/${carol.member.id}/approve`).expect(403);
      expect(refused.body.message).toBe('この操作はグループのオーナーだけが行えます。');
      await send(c, 'post', `/groups/${groupId}/join-requests/${carol.member.id}/approve`).expect(403);
      await send(a, 'post', `/groups/${groupId}/join-requests/${carol.member.id}/approve`).expect(204);
      await say(c, groupId, 'よろしくお願いします').expect(201);

      await send(d, 'post', `/groups/${groupId}/join-requests`, {}).expect(201);
      await send(a, 'post', `/groups/${groupId}/join-requests/${dave.member.id}/decline`).expect(204);
      await send(a, 'post', `/groups/${groupId}/join-requests/${dave.member.id}/approve`).expect(404);
      await say(d, groupId, '入れない').expect(404);
    });

    it('removes a member (204), hands ownership over (204), and the former owner leaves (204)', async () => {
      await send(b, 'delete', `/groups/${groupId}/members/${carol.member.id}`).expect(403);
      await send(a, 'delete', `/groups/${groupId}/members/${carol.member.id}`).expect(204);
      await say(c, groupId, '削除後').expect(404);
      // The owner does not leave before handing over.
      const leaving = await send(a, 'delete', `/groups/${groupId}/members/${alice.member.id}`).expect(409);
      expect(leaving.body.message).toBe('オーナーは、ほかのメンバーにオーナーを引き継いでから退出してください。');
      await send(b, 'put', `/groups/${groupId}/owner`, { memberId: bob.member.id }).expect(403);
      await send(a, 'put', `/groups/${groupId}/owner`, { memberId: bob.member.id }).expect(204);
      expect((await get(b, `/conversations/${groupId}`).expect(200)).body).toMatchObject({ role: 'owner', canManage: true });
      await send(a, 'delete', `/groups/${groupId}/members/${alice.member.id}`).expect(204);
      expect((await get(b, `/conversations/${groupId}`).expect(200)).body.members.map((m: { memberId: string }) => m.memberId)).toEqual([bob.member.id]);
    });
  });

  describe('input errors: 400 with the field and a message, never a 500', () => {
    let dmId: string;

    beforeAll(async () => {
      dmId = (await send(a, 'post', '/dms', { memberId: carol.member.id })).body.id;
    });

    const BAD: [string, string, object | undefined, string][] = [
      ['GET', '/conversations/not-a-uuid', undefined, 'id'],
      ['GET', '/conversations/{dm}/messages?after=abc', undefined, 'after'],
      ['GET', '/conversations/{dm}/messages?after=-1', undefined, 'after'],
      ['GET', '/conversations/{dm}/messages?before=0', undefined, 'before'],
      ['GET', '/conversations/{dm}/messages?before=5&after=2', undefined, 'before'],
      ['GET', '/conversations/{dm}/messages?limit=51', undefined, 'limit'],
      ['GET', '/conversations/{dm}/search', undefined, 'q'],
      ['POST', '/conversations/{dm}/messages', { clientId: 'has space', body: 'こんにちは' }, 'clientId'],
      ['POST', '/conversations/{dm}/messages', { clientId: '', body: 'こんにちは' }, 'clientId'],
      ['POST', '/conversations/{dm}/messages', { clientId: 'x'.repeat(65), body: 'こんにちは' }, 'clientId'],
      ['POST', '/conversations/{dm}/messages', { clientId: 42, body: 'こんにちは' }, 'clientId'],
      ['POST', '/conversations/{dm}/messages', { body: 'こんにちは' }, 'clientId'],
      ['POST', '/conversations/{dm}/messages', { clientId: 'ok-1', body: '   ' }, 'body'],
      ['POST', '/conversations/{dm}/messages', { clientId: 'ok-2', body: ['配列'] }, 'body'],
      ['POST', '/conversations/{dm}/messages', { clientId: 'ok-3', body: 'あ'.repeat(MESSAGE_MAX + 1) }, 'body'],
      ['POST', '/conversations/{dm}/messages', { clientId: 'ok-4', body: 'あ'.repeat(MESSAGE_MAX * 3) }, 'body'],
      ['POST', '/conversations/{dm}/read', { seq: 'two' }, 'seq'],
      ['POST', '/conversations/{dm}/read', { seq: -1 }, 'seq'],
      ['POST', '/conversations/{dm}/read', {}, 'seq'],
      ['POST', '/dms', { memberId: 'nobody' }, 'memberId'],
      ['POST', '/groups', { name: '' }, 'name'],
      ['POST', '/groups', { name: 'x'.repeat(61) }, 'name'],
      ['POST', '/groups', { name: '名前', listed: 'yes' }, 'listed'],
      ['POST', '/groups/{dm}/invitations', { memberId: 5 }, 'memberId'],
      ['DELETE', '/groups/{dm}/members/not-a-member', undefined, 'memberId'],
      ['PUT', '/settings', {}, 'dmPolicy'],
      ['PATCH', '/messages/xyz', { body: 'x' }, 'id'],
      ['POST', '/messages/{dm}/reports', { reason: 42 }, 'reason'],
    ];
    it.each(BAD.map(([method, path, body, field]) => ({ method, path, body, field, sent: body === undefined ? '' : JSON.stringify(body).slice(0, 50) })))(
      '$method $path $sent → 400 on $field',
      async ({ method, path, body, field }) => {
        const url = path.replace('{dm}', dmId);
        const res = method === 'GET' ? await get(a, url) : await send(a, method.toLowerCase() as Method, url, body);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, error: 'BAD_REQUEST', message: expect.any(String) });
        expect(Object.keys(res.body.fields)).toContain(field);
        const [first] = res.body.fields[field];
        expect(first).toEqual(expect.objectContaining({ key: expect.any(String), message: expect.any(String) }));
        expect(first.message).not.toBe(first.key);
      },
    );

    it('says what is wrong with a message that is too long, in the caller\'s language', async () => {
      const ja = await say(a, dmId, 'あ'.repeat(MESSAGE_MAX + 1)).expect(400);
      expect(ja.body.message).toBe(`メッセージが長すぎます。${MESSAGE_MAX}文字以内で入力してください。`);
      expect(ja.body.fields.body[0]).toMatchObject({ key: 'networking.chat.errors.tooLong', params: { max: MESSAGE_MAX } });
      const en = await say(a, dmId, 'a'.repeat(MESSAGE_MAX + 1)).set('Accept-Language', 'en').expect(400);
      expect(en.body.message).toMatch(/4000/);
      // Exactly the limit (in characters, emoji included) is fine.
      await say(a, dmId, '😀'.repeat(MESSAGE_MAX)).expect(201);
    });

    it('refuses unknown fields, and a body that is not JSON', async () => {
      const res = await send(a, 'post', `/conversations/${dmId}/messages`, { clientId: 'extra', body: 'x', pinned: true }).expect(400);
      expect(res.body.messages).toEqual(['validation.unknownField']);
      const broken = await a.agent.post(`/api/v1/chat/conversations/${dmId}/messages`).set('X-CSRF-Token', a.token).set('Content-Type', 'application/json').send('{"body": ');
      expect(broken.status).toBe(400);
    });
  });

  describe('sessions, CSRF and limits', () => {
    it('refuses writes without the session\'s X-CSRF-Token (403)', async () => {
      const dmId = (await send(a, 'post', '/dms', { memberId: bob.member.id })).body.id;
      const res = await a.agent.post(`/api/v1/chat/conversations/${dmId}/messages`).send({ clientId: 'no-token', body: 'トークンなし' }).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, message: 'フォームの有効期限が切れました。ページを再読み込みしてから、もう一度送信してください。' });
      await a.agent.put('/api/v1/chat/settings').set('X-CSRF-Token', 'wrong').send({ dmPolicy: 'nobody' }).expect(403);
      expect((await get(a, '/settings').expect(200)).body.dmPolicy).toBe('everyone');
    });

    it('tells a visitor to sign in (401) and an applicant to wait (403)', async () => {
      const visitor = await clientOf(null);
      expect((await get(visitor, '/conversations').expect(401)).body.message).toBe('ログインしてください。');
      const pending = await clientOf(await build({ status: 'pending' }));
      expect((await get(pending, '/conversations').expect(403)).body.message).toBe('入会申請の審査が完了するまで、このページはご利用いただけません。');
    });

    it('limits messages to 30 in 10 seconds per member (429 with a message)', async () => {
      const busy = await build({ status: 'alumni' });
      const me = await clientOf(busy);
      const dmId = (await send(me, 'post', '/dms', { memberId: alice.member.id }).expect(201)).body.id;
      const limits = app.get(RateLimitService);
      for (let i = 0; i < 30; i++) await limits.consume('chat:message', busy.member.id);
      const res = await say(me, dmId, '31通目').expect(429);
      expect(res.body.message).toMatch(/^短時間に多くの操作が行われました。約\d+分後にもう一度お試しください。$/);
      expect((await get(me, `/conversations/${dmId}/messages`).expect(200)).body.lastSeq).toBe(0);
      await limits.reset('chat:message', busy.member.id);
      await say(me, dmId, '待ったあと').expect(201);
    });
  });

  it('lists every chat route in the OpenAPI document at /api/docs-json', async () => {
    const doc = (await browser(app).get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, { tags?: string[]; responses?: Record<string, unknown> }>> };
    const expected: [string, string][] = [
      ['/api/v1/chat/conversations', 'get'],
      ['/api/v1/chat/unread', 'get'],
      ['/api/v1/chat/conversations/{id}', 'get'],
      ['/api/v1/chat/conversations/{id}/messages', 'get'],
      ['/api/v1/chat/conversations/{id}/messages', 'post'],
      ['/api/v1/chat/conversations/{id}/read', 'post'],
      ['/api/v1/chat/conversations/{id}/search', 'get'],
      ['/api/v1/chat/dms', 'post'],
      ['/api/v1/chat/blocks/{memberId}', 'put'],
      ['/api/v1/chat/blocks/{memberId}', 'delete'],
      ['/api/v1/chat/settings', 'get'],
      ['/api/v1/chat/settings', 'put'],
      ['/api/v1/chat/channels', 'get'],
      ['/api/v1/chat/channels', 'post'],
      ['/api/v1/chat/channels/{id}', 'patch'],
      ['/api/v1/chat/channels/{id}/archived', 'put'],
      ['/api/v1/chat/channels/{id}/join', 'post'],
      ['/api/v1/chat/channels/{id}/leave', 'post'],
      ['/api/v1/chat/groups', 'get'],
      ['/api/v1/chat/groups', 'post'],
      ['/api/v1/chat/groups/{id}', 'patch'],
      ['/api/v1/chat/groups/{id}/invitations', 'post'],
      ['/api/v1/chat/groups/{id}/invitation/accept', 'post'],
      ['/api/v1/chat/groups/{id}/invitation/decline', 'post'],
      ['/api/v1/chat/groups/{id}/join-requests', 'post'],
      ['/api/v1/chat/groups/{id}/join-requests/{memberId}/approve', 'post'],
      ['/api/v1/chat/groups/{id}/join-requests/{memberId}/decline', 'post'],
      ['/api/v1/chat/groups/{id}/members/{memberId}', 'delete'],
      ['/api/v1/chat/groups/{id}/owner', 'put'],
      ['/api/v1/chat/messages/{id}', 'patch'],
      ['/api/v1/chat/messages/{id}', 'delete'],
      ['/api/v1/chat/messages/{id}/hidden', 'put'],
      ['/api/v1/chat/messages/{id}/reports', 'post'],
    ];
    for (const [path, method] of expected) {
      expect([path, method, doc.paths[path]?.[method]?.tags]).toEqual([path, method, ['chat']]);
      expect(Object.keys(doc.paths[path][method].responses ?? {})).toEqual(expect.arrayContaining(['400', '401', '403']));
    }
    expect(Object.keys(doc.paths['/api/v1/chat/conversations/{id}/messages'].post.responses ?? {})).toEqual(expect.arrayContaining(['200', '201', '404', '429']));
    const chatPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/chat'));
    expect(chatPaths.flatMap((p) => Object.keys(doc.paths[p]).map((m) => `${m} ${p}`)).sort()).toEqual(expected.map(([p, m]) => `${m} ${p}`).sort());
  });
});
