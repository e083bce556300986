import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { CommandBus, type Command } from '@nestjs/cqrs';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { JoinChannelCommand } from '@modules/networking/contracts';
import { buildChannel, buildGroup, sendMessage } from '../factories/chat.factory';
import { decode, mainText } from '../support/html';
import { browser, csrfToken, follow, signIn, submit, type Agent } from '../support/http';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** Chat as people use it without JavaScript: plain forms over HTTP, a reload to see what others wrote. */
describe('the chat pages', () => {
  let app: NestExpressApplication;
  const em = () => app.get(EntityManager).fork();
  const run = <R>(command: Command<R>): Promise<R> => RequestContext.create(em(), () => app.get(CommandBus).execute(command));
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;
  let carol: BuiltMember;
  let dave: BuiltMember;

  async function as(member: BuiltMember, locale?: 'en'): Promise<Agent> {
    const agent = browser(app);
    await signIn(agent, member.email, member.password);
    if (locale) await submit(agent, '/locale', { locale, next: '/' });
    return agent;
  }

  /** Sends the conversation page's own form (multipart, CSRF in the address), with the clientId it was rendered with. */
  async function sendForm(agent: Agent, conversationPath: string, body: string, clientId?: string) {
    const page = (await agent.get(conversationPath).expect(200)).text;
    const id = clientId ?? /name="clientId" value="([^"]+)"/.exec(page)![1];
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const res = await agent.post(`${conversationPath}/messages?_csrf=${encodeURIComponent(token)}`).field('clientId', id).field('body', body);
    return { res, clientId: id };
  }

  /** The page without the script's message template (which holds every label once). */
  const shown = (html: string) => html.replace(/<template[\s\S]*?<\/template>/g, '');
  const text = (html: string) => mainText(shown(html));
  const messageCount = (html: string) => (shown(html).match(/<li class="chat-message[ "]/g) ?? []).length;
  const openDm = async (agent: Agent, memberId: string) => submit(agent, '/chat/dms', { memberId }, `/members/${memberId}`);

  beforeAll(async () => {
    app = await bootWebApp();
    await resetDatabase(em());
    operator = await buildMember(em(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子', familyNameKana: 'ウンエイ', givenNameKana: 'ハナコ' });
    alice = await buildMember(em(), { status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    bob = await buildMember(em(), { status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    carol = await buildMember(em(), { status: 'alumni', familyName: '鈴木', givenName: '葵', familyNameKana: 'スズキ', givenNameKana: 'アオイ' });
    dave = await buildMember(em(), { status: 'alumni', familyName: '高橋', givenName: '誠', familyNameKana: 'タカハシ', givenNameKana: 'マコト' });
  });
  afterAll(() => app.close());

  it('opens one DM from the profile button, sends with the form once even when submitted twice, and shows 既読', async () => {
    const a = await as(alice);
    const profile = (await a.get(`/members/${bob.member.id}`).expect(200)).text;
    expect(profile).toContain('action="/chat/dms"');
    expect(profile).toContain(`name="memberId" value="${bob.member.id}"`);
    expect(text(profile)).toContain('メッセージを送る');
    // Not on one's own profile.
    expect((await a.get(`/members/${alice.member.id}`).expect(200)).text).not.toContain('action="/chat/dms"');

    const first = await openDm(a, bob.member.id);
    expect(first.status).toBe(303);
    expect(first.headers.location).toMatch(/^\/chat\/c\/[0-9a-f-]{36}$/);
    const again = await openDm(a, bob.member.id);
    expect(again.headers.location).toBe(first.headers.location);
    const dm = first.headers.location;

    const page = (await a.get(dm).expect(200)).text;
    expect(decode(page)).toContain('<h1 class="chat-room-title">佐藤 健</h1>');
    expect(text(page)).toContain('まだメッセージはありません');

    // The same form submitted twice (a double tap): one message.
    const sent = await sendForm(a, dm, '来週の同期会、参加しますか？\n駅前のお店です。');
    expect(sent.res.status).toBe(303);
    expect(sent.res.headers.location).toBe(`${dm}#m1`);
    const twice = await sendForm(a, dm, '来週の同期会、参加しますか？\n駅前のお店です。', sent.clientId);
    expect(twice.res.headers.location).toBe(`${dm}#m1`);
    const mine = (await a.get(dm).expect(200)).text;
    expect(messageCount(mine)).toBe(1);
    expect(mine).toContain('<br');
    expect(mine).toContain('<span class="chat-read" hidden>既読</span>');

    // Bob: the header badge and the list say one unread; opening the DM reads it, and Alice sees 既読.
    const b = await as(bob);
    const list = (await b.get('/chat').expect(200)).text;
    expect(list).toMatch(/class="header-badge header-badge-chat"[^>]*aria-label="チャット（未読 1件）"/);
    expect(decode(list)).toContain('山田 太郎');
    expect(list).toMatch(/class="chat-unread"[^>]*aria-label="未読 1件">1</);
    expect(text((await b.get(dm).expect(200)).text)).toContain('来週の同期会、参加しますか？');
    expect((await b.get('/chat').expect(200)).text).toMatch(/class="chat-unread"[^>]*hidden>0</);
    expect((await a.get(dm).expect(200)).text).toContain('<span class="chat-read">既読</span>');

    // The directory card has the button too (never on the viewer's own card).
    const directory = (await a.get('/members').expect(200)).text;
    expect(directory).toContain(`name="memberId" value="${bob.member.id}"`);
    expect(directory).not.toContain(`name="memberId" value="${alice.member.id}"`);
  });

  it('edits and deletes an own message, pages older messages, and searches with highlights', async () => {
    const a = await as(alice);
    const dm = (await openDm(a, carol.member.id)).headers.location;
    const id = dm.split('/').pop()!;
    const m1 = await sendMessage(run, alice.viewer, id, '人事部の会議室は3階です');
    for (let i = 2; i <= 60; i++) await sendMessage(run, i % 2 ? alice.viewer : carol.viewer, id, `メッセージ${i}`);

    // The latest 50 first, and a link to the older ones that works without a script.
    const latest = (await a.get(dm).expect(200)).text;
    expect(messageCount(latest)).toBe(50);
    expect(latest).toContain(`href="/chat/c/${id}?before=11"`);
    const older = (await a.get(`${dm}?before=11`).expect(200)).text;
    expect(messageCount(older)).toBe(10);
    expect(text(older)).toContain('人事部の会議室は3階です');
    expect(older).toContain('rel="next"');

    const edit = (await a.get(`/chat/m/${m1.id}/edit?c=${id}&seq=1`).expect(200)).text;
    expect(decode(edit)).toContain('人事部の会議室は3階です</textarea>');
    // Nobody else edits it, and a made-up address is not found.
    expect((await (await as(carol)).get(`/chat/m/${m1.id}/edit?c=${id}&seq=1`)).status).toBe(403);
    expect((await a.get(`/chat/m/${m1.id}/edit?c=${id}&seq=2`)).status).toBe(404);
    const empty = await submit(a, `/chat/m/${m1.id}/edit?c=${id}&seq=1`, { body: '  ' }, `/chat/m/${m1.id}/edit?c=${id}&seq=1`);
    expect(empty.headers.location).toBe(`/chat/m/${m1.id}/edit?c=${id}&seq=1`);
    expect(text((await follow(a, empty)).text)).toContain('メッセージを入力してください。');
    const edited = await submit(a, `/chat/m/${m1.id}/edit?c=${id}&seq=1`, { body: '人事部の会議室は4階に移りました' }, `/chat/m/${m1.id}/edit?c=${id}&seq=1`);
    expect(edited.headers.location).toBe(`${dm}#m1`);
    const afterEdit = text((await a.get(`${dm}?before=11`).expect(200)).text);
    expect(afterEdit).toContain('人事部の会議室は4階に移りました');
    expect(afterEdit).toContain('編集済み');

    const search = (await a.get(`/chat/c/${id}/search?q=${encodeURIComponent('会議室')}`).expect(200)).text;
    expect(search).toContain('<mark>会議室</mark>');
    expect(decode(search)).toContain(`href="/chat/c/${id}?before=26#m1"`);
    expect(text((await a.get(`/chat/c/${id}/search?q=${encodeURIComponent('会')}`).expect(200)).text)).toContain('検索語は2文字以上で入力してください。');

    const deleted = await submit(a, `/chat/m/${m1.id}/delete`, { before: 11 }, dm);
    expect(deleted.headers.location).toBe(`${dm}?before=11#m1`);
    const gone = (await follow(a, deleted)).text;
    expect(text(gone)).toContain('このメッセージは削除されました');
    expect(text(gone)).toContain('メッセージを削除しました。');
    expect(text(gone)).not.toContain('4階に移りました');
  });

  it('creates a secret group, invites by name, and the invitee accepts; the owner removes, hands over, and members leave', async () => {
    const a = await as(alice);
    const created = await submit(a, '/chat/groups/new', { name: '2015年入社同期', description: '近況を共有します', listed: '0' }, '/chat/groups/new');
    expect(created.headers.location).toMatch(/^\/chat\/c\/[0-9a-f-]{36}\/settings$/);
    const settingsPath = created.headers.location;
    const group = settingsPath.replace('/settings', '');
    expect(text((await follow(a, created)).text)).toContain('グループを作成しました。');

    // A name that matches nobody; then one that matches exactly one member.
    const none = await submit(a, `${group}/invite`, { name: '存在しない名前' }, settingsPath);
    expect(none.headers.location).toBe(settingsPath);
    expect(text((await follow(a, none)).text)).toContain('その名前で招待できるメンバーは見つかりませんでした。');
    const invited = await submit(a, `${group}/invite`, { name: '鈴木' }, settingsPath);
    expect(invited.headers.location).toBe(settingsPath);
    const settings = text((await follow(a, invited)).text);
    expect(settings).toContain('招待しました。');
    expect(settings).toContain('招待中のメンバー');

    // Dave was not invited: the secret group does not exist for him.
    const d = await as(dave);
    expect((await d.get(group)).status).toBe(404);
    expect((await d.get(settingsPath)).status).toBe(404);
    expect(text((await d.get('/chat/groups').expect(200)).text)).not.toContain('2015年入社同期');

    // Carol sees the invitation and accepts.
    const c = await as(carol);
    const invitation = text((await c.get(group).expect(200)).text);
    expect(invitation).toContain('このグループに招待されています。');
    const accepted = await submit(c, `${group}/invitation`, { accept: '1' }, group);
    expect(accepted.headers.location).toBe(group);
    await sendForm(c, group, 'よろしくお願いします！');
    expect(text((await a.get(group).expect(200)).text)).toContain('よろしくお願いします！');

    // Several matches: the page lists them to pick from.
    const many = await submit(a, `${group}/invite`, { name: 'ウ' }, settingsPath);
    expect(many.headers.location).toBe(`${settingsPath}?invite=${encodeURIComponent('ウ')}#invite`);
    const pick = (await a.get(`${settingsPath}?invite=${encodeURIComponent('ウ')}`).expect(200)).text;
    expect(pick).toContain(`name="memberId" value="${bob.member.id}"`);
    expect(pick).toContain(`name="memberId" value="${operator.member.id}"`);
    expect(pick).not.toContain(`name="memberId" value="${alice.member.id}"`);
    await submit(a, `${group}/invite`, { memberId: bob.member.id }, settingsPath);
    const b = await as(bob);
    await submit(b, `${group}/invitation`, { accept: '1' }, group);

    // The owner removes Carol: the group is gone for her.
    const removed = await submit(a, `${group}/remove`, { memberId: carol.member.id }, settingsPath);
    expect(removed.headers.location).toBe(settingsPath);
    expect((await c.get(group)).status).toBe(404);

    // The owner cannot leave before handing over; after it, she can.
    expect(text((await a.get(settingsPath).expect(200)).text)).toContain('オーナーは、ほかのメンバーにオーナーを引き継いでから退出できます。');
    const handed = await submit(a, `${group}/owner`, { memberId: bob.member.id }, settingsPath);
    expect(text((await follow(a, handed)).text)).toContain('オーナーを引き継ぎました。');
    const left = await submit(a, `${group}/leave`, {}, settingsPath);
    expect(left.headers.location).toBe('/chat');
    expect((await a.get(group)).status).toBe(404);
    expect(text((await b.get(settingsPath).expect(200)).text)).toContain('グループの設定');
  });

  it('divides the timeline by day in the language and time zone of the reader', async () => {
    const london = await buildMember(em(), { status: 'alumni', familyName: 'Smith', givenName: 'Jane', familyNameKana: 'スミス', givenNameKana: 'ジェーン' });
    const groupId = await buildGroup(run, carol.viewer, { name: '日付の区切り', listed: false }, [dave.viewer, london.viewer]);
    const first = await sendMessage(run, carol.viewer, groupId, '一昨日の話');
    const second = await sendMessage(run, dave.viewer, groupId, '昨日の話');
    const third = await sendMessage(run, carol.viewer, groupId, '今日の話');
    const fourth = await sendMessage(run, dave.viewer, groupId, '今日の話の続き');
    // 2026-03-01 23:30 and 2026-03-02 23:30 in Tokyo (14:30 UTC), the rest on 2026-03-03.
    await em().execute(`update networking.chat_message set created_at = ? where id = ?`, ['2026-03-01T14:30:00Z', first.id]);
    await em().execute(`update networking.chat_message set created_at = ? where id = ?`, ['2026-03-02T14:30:00Z', second.id]);
    await em().execute(`update networking.chat_message set created_at = ? where id in (?, ?)`, ['2026-03-03T01:00:00Z', third.id, fourth.id]);
    const dividers = (html: string) => [...shown(html).matchAll(/<li class="chat-day" role="separator" data-day="([^"]+)"><span>([^<]+)<\/span>/g)].map((m) => [m[1], m[2]]);

    const c = await as(carol);
    const ja = (await c.get(`/chat/c/${groupId}`).expect(200)).text;
    expect(dividers(ja)).toEqual([
      ['2026-03-01', '2026年3月1日(日)'],
      ['2026-03-02', '2026年3月2日(月)'],
      ['2026-03-03', '2026年3月3日(火)'],
    ]);
    expect(messageCount(ja)).toBe(4);

    // A reader in London sees the first two on the day they were written there (14:30 UTC), and their labels in English.
    await em().execute(`update membership.member set time_zone = 'Europe/London' where id = ?`, [london.member.id]);
    const d = await as(london, 'en');
    const en = (await d.get(`/chat/c/${groupId}`).expect(200)).text;
    expect(dividers(en)).toEqual([
      ['2026-03-01', 'Sun, 1 March 2026'],
      ['2026-03-02', 'Mon, 2 March 2026'],
      ['2026-03-03', 'Tue, 3 March 2026'],
    ]);
    await em().execute(`update networking.chat_message set created_at = ? where id = ?`, ['2026-03-02T15:30:00Z', second.id]);
    // 15:30 UTC on 2 March is 00:30 on 3 March in Tokyo but still 2 March in London.
    expect(dividers((await c.get(`/chat/c/${groupId}`).expect(200)).text).map(([day]) => day)).toEqual(['2026-03-01', '2026-03-03']);
    expect(dividers((await d.get(`/chat/c/${groupId}`).expect(200)).text).map(([day]) => day)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
  });

  it('takes a request to join a listed group and lets the owner approve it', async () => {
    const groupId = await buildGroup(run, bob.viewer, { name: 'ランニング部', listed: true });
    const d = await as(dave);
    const found = text((await d.get(`/chat/groups?q=${encodeURIComponent('ランニング')}`).expect(200)).text);
    expect(found).toContain('ランニング部');
    const asked = await submit(d, `/chat/c/${groupId}/request`, { message: '週末に走っています' }, `/chat/c/${groupId}`);
    expect(text((await follow(d, asked)).text)).toContain('参加をリクエストしました。オーナーの承認をお待ちください。');
    const b = await as(bob);
    const settings = text((await b.get(`/chat/c/${groupId}/settings`).expect(200)).text);
    expect(settings).toContain('週末に走っています');
    await submit(b, `/chat/c/${groupId}/requests/${dave.member.id}`, { approve: '1' }, `/chat/c/${groupId}/settings`);
    expect((await d.get(`/chat/c/${groupId}`).expect(200)).text).toContain('name="clientId"');
  });

  it('lets members choose who may message them, and says so neutrally — never that they are blocked', async () => {
    const c = await as(carol);
    const settings = text((await c.get('/chat/settings').expect(200)).text);
    expect(settings).toContain('知っている人だけ');
    expect(settings).toContain('これまでにメッセージをやりとりした人と、同じグループの人だけが送れます。');
    await submit(c, '/chat/settings', { dmPolicy: 'nobody' }, '/chat/settings');
    const d = await as(dave);
    const refused = await openDm(d, carol.member.id);
    expect(refused.headers.location).toBe('/chat');
    expect(text((await follow(d, refused)).text)).toContain('このメンバーには、現在メッセージを送ることができません。');
    await submit(c, '/chat/settings', { dmPolicy: 'everyone' }, '/chat/settings');

    // Dave writes to Bob; Bob blocks Dave from the DM's header.
    const dm = (await openDm(d, bob.member.id)).headers.location;
    const dmId = dm.split('/').pop()!;
    await sendForm(d, dm, 'はじめまして');
    const b = await as(bob);
    const blocked = await submit(b, '/chat/block', { memberId: dave.member.id, blocked: '1', conversationId: dmId }, dm);
    expect(blocked.headers.location).toBe(dm);
    const forBob = text((await follow(b, blocked)).text);
    expect(forBob).toContain('ブロックを解除');
    expect(text((await b.get('/chat/settings').expect(200)).text)).toContain('高橋 誠');
    // Dave reads what was said, cannot write, and is not told why.
    const forDave = (await d.get(dm).expect(200)).text;
    expect(forDave).not.toContain('name="clientId"');
    expect(text(forDave)).toContain('現在、この会話ではメッセージを送ることができません。');
    // (His own "block" button stays in the header, as in every DM.)
    expect(text(forDave)).not.toMatch(/ブロックされ|ブロックしています|ブロックを解除/);
    expect((await b.get(dm).expect(200)).text).not.toContain('name="clientId"');
    const again = await openDm(d, bob.member.id);
    expect(again.headers.location).toBe(dm);
    // Unblocked from the settings page: the form is back.
    await submit(b, '/chat/block', { memberId: dave.member.id, blocked: '0' }, '/chat/settings');
    expect((await d.get(dm).expect(200)).text).toContain('name="clientId"');
  });

  it('lists channels to join, and operators create, hide and archive them', async () => {
    const op = await as(operator);
    const created = await submit(op, '/admin/chat/new', { nameJa: '子育て', nameEn: 'Parenting', descriptionJa: '子育てと仕事の両立', descriptionEn: '', audience: 'members' }, '/admin/chat/new');
    expect(created.headers.location).toBe('/admin/chat');
    const admin = (await follow(op, created)).text;
    expect(text(admin)).toContain('チャンネルを作成しました。');
    const channelId = /href="\/admin\/chat\/([0-9a-f-]{36})\/edit"/.exec(admin)![1];
    expect(admin).toContain('href="/admin/chat" aria-current="page"');
    const alumniOnly = await buildChannel(run, operator.viewer, { nameJa: 'アルムナイ限定', nameEn: 'Alumni only', audience: 'alumni' });

    const b = await as(bob);
    const channels = text((await b.get('/chat/channels').expect(200)).text);
    expect(channels).toContain('子育て');
    expect(channels).not.toContain('アルムナイ限定');
    expect((await b.get(`/chat/c/${alumniOnly}`)).status).toBe(404);
    // Reading before joining; joining to write.
    const before = (await b.get(`/chat/c/${channelId}`).expect(200)).text;
    expect(text(before)).toContain('このチャンネルに参加すると、メッセージを送れます。');
    const joined = await submit(b, `/chat/c/${channelId}/join`, {}, '/chat/channels');
    expect(joined.headers.location).toBe(`/chat/c/${channelId}`);
    const { res } = await sendForm(b, `/chat/c/${channelId}`, '保育園の送り迎え、みなさんどうしていますか');
    const seq = Number(/#m(\d+)$/.exec(res.headers.location)![1]);
    expect(text((await b.get('/chat').expect(200)).text)).toContain('子育て');

    // The operator hides it; members see the notice, the operator the text.
    const page = (await op.get(`/chat/c/${channelId}`).expect(200)).text;
    const messageId = new RegExp(`id="m${seq}" data-seq="${seq}" data-id="([0-9a-f-]{36})"`).exec(page)![1];
    const hidden = await submit(op, `/chat/m/${messageId}/hide`, { hidden: '1' }, `/chat/c/${channelId}`);
    expect(hidden.headers.location).toBe(`/chat/c/${channelId}#m${seq}`);
    const forBob = text((await b.get(`/chat/c/${channelId}`).expect(200)).text);
    expect(forBob).toContain('このメッセージは運営により非表示になりました');
    expect(forBob).not.toContain('保育園の送り迎え');
    expect(text((await op.get(`/chat/c/${channelId}`).expect(200)).text)).toContain('保育園の送り迎え');

    // Bob reports someone else's message from its report page.
    await run(new JoinChannelCommand(operator.viewer, channelId));
    await sendMessage(run, operator.viewer, channelId, '運営からのお知らせです');
    const op2 = (await b.get(`/chat/c/${channelId}`).expect(200)).text;
    const reportHref = decode(/href="(\/chat\/m\/[0-9a-f-]{36}\/report\?[^"]+)"/.exec(op2)![1]);
    expect(text((await b.get(reportHref).expect(200)).text)).toContain('メッセージを通報する');
    const reported = await submit(b, reportHref, { reason: '確認したいことがあります' }, reportHref);
    expect(text((await follow(b, reported)).text)).toContain('通報を受け付けました。');

    const archived = await submit(op, `/admin/chat/${channelId}/archive`, { archived: '1' }, '/admin/chat');
    expect(text((await follow(op, archived)).text)).toContain('チャンネルをアーカイブしました。');
    const readOnly = (await b.get(`/chat/c/${channelId}`).expect(200)).text;
    expect(readOnly).not.toContain('name="clientId"');
    expect(text(readOnly)).toContain('このチャンネルはアーカイブされています。');
    // Members do not reach the console.
    expect((await b.get('/admin/chat')).status).toBe(403);
  });

  it('refuses a form without its CSRF token, and answers bad input with a page that says what is wrong', async () => {
    const a = await as(alice);
    const dm = (await openDm(a, bob.member.id)).headers.location;
    const noToken = await a.post('/chat/dms').type('form').send({ memberId: carol.member.id });
    expect(noToken.status).toBe(403);
    expect(text(noToken.text)).toContain('フォームの有効期限が切れました。');
    const noTokenSend = await a.post(`${dm}/messages`).field('clientId', randomUUID()).field('body', 'x');
    expect(noTokenSend.status).toBe(403);

    // An empty message goes back to the conversation with the message on the field.
    const empty = await sendForm(a, dm, '   ');
    expect(empty.res.headers.location).toBe(dm);
    const back = (await follow(a, empty.res)).text;
    expect(text(back)).toContain('メッセージを入力してください。');
    expect(back).toContain('aria-invalid="true"');
    const long = await sendForm(a, dm, 'あ'.repeat(4001));
    expect(text((await follow(a, long.res)).text)).toContain('4000文字以内');

    // Not a message number: a 400 page that says so.
    const badPage = await a.get(`${dm}?before=abc`);
    expect(badPage.status).toBe(400);
    expect(text(badPage.text)).toContain('入力内容をご確認のうえ、もう一度お試しください。');
    // Unknown or malformed ids: not found.
    for (const path of ['/chat/c/not-a-uuid', `/chat/c/${randomUUID()}`, `/chat/c/${randomUUID()}/settings`, `/chat/c/${randomUUID()}/search?q=ab`, `/chat/m/${randomUUID()}/edit?c=${randomUUID()}&seq=1`, `/chat/images/${randomUUID()}/320`]) {
      expect([path, (await a.get(path)).status]).toEqual([path, 404]);
    }
    // A DM with a member who does not exist: the same neutral answer as for one who takes no messages.
    const unknownDm = await openDm(a, randomUUID());
    expect(unknownDm.headers.location).toBe('/chat');
    const badDm = await submit(a, '/chat/dms', { memberId: 'nope' }, '/chat');
    expect(badDm.status).toBe(303);
    // Hostile input never makes a 500.
    const token = await csrfToken(a, dm);
    for (const [path, fields] of [
      ['/chat/settings', { dmPolicy: 'friends' }],
      ['/chat/block', { memberId: 'x', blocked: '2' }],
      ['/chat/groups/new', { name: 'あ'.repeat(500), listed: 'maybe' }],
      [`${dm}/join`, {}],
      [`${dm}/leave`, {}],
      [`${dm}/settings`, { name: 'x' }],
      [`${dm}/invite`, { memberId: bob.member.id }],
      [`/chat/m/${randomUUID()}/delete`, { before: '-1' }],
      [`/chat/m/${randomUUID()}/hide`, { hidden: '1' }],
    ] as [string, Record<string, string>][]) {
      const res = await a.post(path).type('form').send({ _csrf: token, ...fields });
      expect([path, res.status < 500]).toEqual([path, true]);
    }
  });

  it('speaks English to a member who chose it', async () => {
    const a = await as(alice, 'en');
    const list = text((await a.get('/chat').expect(200)).text);
    expect(list).toContain('Chats');
    expect(list).toContain('Channels');
    const dm = (await openDm(a, bob.member.id)).headers.location;
    const page = text((await a.get(dm).expect(200)).text);
    expect(page).toContain('Send');
    expect(page).toContain('Search this conversation');
    const empty = await sendForm(a, dm, '');
    expect(text((await follow(a, empty.res)).text)).toContain('Please write a message.');
    expect(text((await a.get('/chat/settings').expect(200)).text)).toContain('Only people I know');
    expect(text((await a.get(`/members/${bob.member.id}`).expect(200)).text)).toContain('Send a message');
    const group = await submit(a, '/chat/groups/new', { name: '', listed: '1' }, '/chat/groups/new');
    expect(group.headers.location).toBe('/chat/groups/new');
    expect(text((await follow(a, group)).text)).toContain('Please enter a name.');
  });
});
