import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Viewer } from '@libs/security/access-policy';
import { Member } from '@modules/membership/domain/member.entity';
import { ReplyToThreadCommand } from '@modules/networking/contracts';
import { buildBoard, buildThread } from '../factories/forum.factory';
import { buildMember, type BuiltMember, type MemberSpec } from '../factories/member.factory';
import { browser, csrfToken, signIn, type Agent } from '../support/http';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** A client of the JSON API: a cookie session and its CSRF token (from GET /api/v1/me once signed in). */
interface Client {
  agent: Agent;
  token: string;
}

type Method = 'post' | 'put' | 'patch' | 'delete';

/** The forum's JSON API over HTTP: every route, the rights of each kind of caller, input errors and their language. */
describe('forum JSON API (/api/v1/forum)', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let operator: BuiltMember;
  let alumnus: BuiltMember;
  let employee: BuiltMember;
  let boardId: string;
  let alumniBoardId: string;

  const run = <R>(command: Command<R>): Promise<R> => RequestContext.create(em.fork(), () => app.get(CommandBus).execute(command));
  const build = (spec: MemberSpec) => buildMember(em.fork(), spec);

  async function clientOf(member: BuiltMember | null): Promise<Client> {
    const agent = browser(app);
    if (!member) return { agent, token: await csrfToken(agent, '/login') };
    await signIn(agent, member.email, member.password);
    const me = await agent.get('/api/v1/me').expect(200);
    expect(typeof me.body.csrfToken).toBe('string');
    return { agent, token: me.body.csrfToken as string };
  }
  const get = (c: Client, path: string) => c.agent.get(`/api/v1/forum${path}`);
  const send = (c: Client, method: Method, path: string, body?: object) => c.agent[method](`/api/v1/forum${path}`).set('X-CSRF-Token', c.token).send(body ?? {});

  beforeAll(async () => {
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
    operator = await build({ status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alumnus = await build({ status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    employee = await build({ status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    boardId = await buildBoard(run, operator.viewer, { nameJa: 'DX勉強会', nameEn: 'DX study group' });
    alumniBoardId = await buildBoard(run, operator.viewer, { nameJa: 'アルムナイ広場', nameEn: 'Alumni square', visibility: 'alumni' });
  }, 60_000);
  afterAll(() => app.close());

  describe('a member drives every route', () => {
    let me: Client;
    let other: Client;
    let threadId: string;
    let firstPostId: string;
    let replyId: string;

    beforeAll(async () => {
      me = await clientOf(alumnus);
      other = await clientOf(employee);
    });

    it('lists the boards the caller reads, with counts, rights and the page address', async () => {
      const res = await get(me, '/boards').expect(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.headers['cache-control']).toBe('no-store');
      const board = (res.body.boards as { id: string }[]).find((b) => b.id === boardId);
      expect(board).toMatchObject({
        id: boardId,
        name: 'DX勉強会',
        description: expect.any(String),
        visibility: 'members',
        threadCount: 0,
        postCount: 0,
        lastPostAt: null,
        unread: 0,
        canStartThread: true,
        url: `/forum/b/${boardId}`,
      });
      // Names in the caller's language.
      const en = await get(me, '/boards').set('Accept-Language', 'en').expect(200);
      // The member chose no language: Accept-Language decides.
      expect((en.body.boards as { id: string; name: string }[]).find((b) => b.id === boardId)?.name).toBe('DX study group');
    });

    it('starts a thread (201) and lists it on the board', async () => {
      const res = await send(me, 'post', `/boards/${boardId}/threads`, { title: '生成AIを議事録に使っていますか', body: '会議の**議事録**づくりに生成AIを使い始めました。' }).expect(201);
      expect(res.body).toEqual({ threadId: expect.any(String), postId: expect.any(String), url: `/forum/t/${res.body.threadId}` });
      threadId = res.body.threadId;
      firstPostId = res.body.postId;

      const list = await get(me, `/boards/${boardId}/threads?page=1`).expect(200);
      expect(list.body).toMatchObject({ board: { id: boardId, url: `/forum/b/${boardId}`, threadCount: 1 }, total: 1, page: 1, pages: 1 });
      expect(list.body.items).toEqual([
        expect.objectContaining({ id: threadId, title: '生成AIを議事録に使っていますか', replies: 0, lastNumber: 1, author: { memberId: alumnus.member.id, displayName: '山田 太郎', deleted: false }, url: `/forum/t/${threadId}` }),
      ]);
    });

    it('replies with a quote (201), and shows the thread with numbered posts, html and the quote', async () => {
      const res = await send(other, 'post', `/threads/${threadId}/posts`, { body: '私も使っています @山田太郎 さん', quotePostId: firstPostId }).expect(201);
      expect(res.body).toEqual({ postId: expect.any(String), number: 2, page: 1, url: `/forum/p/${res.body.postId}` });
      replyId = res.body.postId;

      const thread = await get(me, `/threads/${threadId}`).expect(200);
      expect(thread.body).toMatchObject({ thread: { id: threadId, title: '生成AIを議事録に使っていますか', url: `/forum/t/${threadId}`, lastNumber: 2 }, page: 1, pages: 1, canReply: true });
      const [first, second] = thread.body.posts;
      expect(first).toMatchObject({ id: firstPostId, number: 1, author: { memberId: alumnus.member.id, displayName: '山田 太郎', deleted: false }, deleted: false, hidden: false, quote: null, reactions: [], images: [], editedAt: null, canEdit: true });
      expect(first.html).toContain('<strong>議事録</strong>');
      expect(typeof first.createdAt).toBe('string');
      expect(second).toMatchObject({ id: replyId, number: 2, author: { memberId: employee.member.id, displayName: '佐藤 健' }, quote: { postId: firstPostId, number: 1, authorName: '山田 太郎', url: `/forum/p/${firstPostId}` }, canEdit: false, canReport: true });
      expect(second.body).toBeNull();
    });

    it('edits one\'s own post (204), and refuses another member\'s (403)', async () => {
      await send(me, 'patch', `/posts/${firstPostId}`, { body: '会議の議事録づくりに生成AIを使い始めました（追記あり）。' }).expect(204);
      const thread = await get(me, `/threads/${threadId}`).expect(200);
      expect(thread.body.posts[0].html).toContain('追記あり');
      expect(thread.body.posts[0].editedAt).toEqual(expect.any(String));
      const refused = await send(me, 'patch', `/posts/${replyId}`, { body: '書き換え' }).expect(403);
      expect(refused.body).toMatchObject({ statusCode: 403, messages: ['networking.errors.notEditable'], message: 'この投稿は編集・削除できません。' });
    });

    it('adds reactions by name or emoji (201) and takes them back by either (200)', async () => {
      const like = await send(other, 'post', `/posts/${firstPostId}/reactions`, { kind: '👍' }).expect(201);
      expect(like.body).toEqual({ reactions: [{ kind: 'like', emoji: '👍', count: 1, mine: true }] });
      await send(me, 'post', `/posts/${firstPostId}/reactions`, { kind: 'like' }).expect(201);
      const heart = await send(other, 'post', `/posts/${firstPostId}/reactions`, { kind: '❤️' }).expect(201);
      expect(heart.body.reactions).toEqual([
        { kind: 'like', emoji: '👍', count: 2, mine: true },
        { kind: 'heart', emoji: '❤️', count: 1, mine: true },
      ]);
      // Once per kind: the same reaction again changes nothing.
      expect((await send(other, 'post', `/posts/${firstPostId}/reactions`, { kind: 'heart' }).expect(201)).body.reactions[1].count).toBe(1);
      const back = await send(other, 'delete', `/posts/${firstPostId}/reactions/${encodeURIComponent('👍')}`).expect(200);
      expect(back.body.reactions).toEqual([
        { kind: 'like', emoji: '👍', count: 1, mine: false },
        { kind: 'heart', emoji: '❤️', count: 1, mine: true },
      ]);
      await send(other, 'delete', `/posts/${firstPostId}/reactions/heart`).expect(200);
      const thread = await get(me, `/threads/${threadId}`).expect(200);
      expect(thread.body.posts[0].reactions).toEqual([{ kind: 'like', emoji: '👍', count: 1, mine: true }]);
    });

    it('files a report (201), and refuses a report of one\'s own post (409)', async () => {
      const res = await send(me, 'post', `/posts/${replyId}/reports`, { reason: '個人名が含まれています' }).expect(201);
      expect(res.body).toEqual({ reportId: expect.any(String), hidden: false });
      const own = await send(me, 'post', `/posts/${firstPostId}/reports`, { reason: 'テスト' }).expect(409);
      expect(own.body.message).toBe('自分の投稿は通報できません。');
    });

    it('searches titles and posts of readable boards', async () => {
      const res = await get(me, `/search?q=${encodeURIComponent('議事録')}`).expect(200);
      expect(res.body).toMatchObject({ words: ['議事録'], page: 1, pages: 1, more: false });
      expect(res.body.total).toBeGreaterThanOrEqual(1);
      expect(res.body.items[0]).toMatchObject({ threadId, threadTitle: '生成AIを議事録に使っていますか', boardId, url: expect.stringMatching(/^\/forum\/p\//) });
      const filtered = await get(me, `/search?q=${encodeURIComponent('議事録')}&board=${alumniBoardId}&from=2020-01-01&to=2099-12-31&author=${alumnus.member.id}&page=1`).expect(200);
      expect(filtered.body.items).toEqual([]);
    });

    it('lists unread watched threads until they are read, and threads new since the previous visit', async () => {
      // The starter watches their thread; the reply is unread for them.
      const unread = await get(me, '/unread').expect(200);
      expect(unread.body).toMatchObject({ total: 1, page: 1, pages: 1 });
      expect(unread.body.items[0]).toMatchObject({ id: threadId, boardName: 'DX勉強会', unreadPosts: 1, firstUnreadNumber: 2, url: `/forum/t/${threadId}` });
      await send(me, 'post', `/threads/${threadId}/read`, { number: 2 }).expect(204);
      expect((await get(me, '/unread?page=1').expect(200)).body).toMatchObject({ items: [], total: 0 });

      const fresh = await get(other, '/new').expect(200);
      expect(fresh.body).toMatchObject({ page: 1, pages: 1 });
      expect(Array.isArray(fresh.body.items)).toBe(true);
    });

    it('marks a board read, and watches or mutes boards and threads (204)', async () => {
      await send(other, 'post', `/boards/${boardId}/read`).expect(204);
      await send(other, 'put', `/boards/${boardId}/watch`, { level: 'watching' }).expect(204);
      expect((await get(other, '/boards').expect(200)).body.boards.find((b: { id: string }) => b.id === boardId).watch).toBe('watching');
      await send(other, 'put', `/threads/${threadId}/watch`, { level: 'muted' }).expect(204);
      expect((await get(other, `/threads/${threadId}`).expect(200)).body.thread.watch).toBe('muted');
      await send(other, 'put', `/threads/${threadId}/watch`, { level: 'normal' }).expect(204);
      await send(other, 'put', `/boards/${boardId}/watch`, { level: 'normal' }).expect(204);
      expect((await get(other, `/threads/${threadId}`).expect(200)).body.thread.watch).toBe('normal');
    });

    it('deletes one\'s own post (204): it keeps its number and loses its text', async () => {
      await send(other, 'delete', `/posts/${replyId}`).expect(204);
      const post = (await get(me, `/threads/${threadId}`).expect(200)).body.posts[1];
      expect(post).toMatchObject({ id: replyId, number: 2, deleted: true, html: '', reactions: [] });
      await send(other, 'delete', `/posts/${replyId}`).expect(403);
    });

    it('refuses every write without the session\'s X-CSRF-Token (403)', async () => {
      const res = await me.agent.post(`/api/v1/forum/threads/${threadId}/posts`).send({ body: 'トークンなし' }).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, message: 'フォームの有効期限が切れました。ページを再読み込みしてから、もう一度送信してください。' });
      await me.agent.put(`/api/v1/forum/threads/${threadId}/watch`).set('X-CSRF-Token', 'wrong').send({ level: 'muted' }).expect(403);
    });

    it('gives two replies sent at the same moment the next two numbers', async () => {
      const { threadId: id } = await buildThread(run, boardId, alumnus.viewer, { title: '同時に返信する' });
      const [a, b] = await Promise.all([
        send(me, 'post', `/threads/${id}/posts`, { body: '同時の返信その一' }),
        send(other, 'post', `/threads/${id}/posts`, { body: '同時の返信その二' }),
      ]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect([a.body.number, b.body.number].sort()).toEqual([2, 3]);
      const posts = (await get(me, `/threads/${id}`).expect(200)).body.posts as { number: number; id: string }[];
      expect(posts.map((p) => p.number)).toEqual([1, 2, 3]);
      expect(new Set(posts.map((p) => p.id)).size).toBe(3);
    });
  });

  describe('input errors: 400 with field messages, never a 500', () => {
    let me: Client;
    let threadId: string;
    let postId: string;

    beforeAll(async () => {
      me = await clientOf(alumnus);
      ({ threadId, postId } = await buildThread(run, boardId, employee.viewer, { title: '入力の確認' }));
    });

    /** [method, path, JSON body, the field named in the answer]; {board}, {thread} and {post} are filled in. */
    const BAD: [string, string, object | undefined, string][] = [
      ['GET', '/boards/not-a-uuid/threads', undefined, 'boardId'],
      ['GET', '/threads/not-a-uuid', undefined, 'id'],
      ['POST', '/threads/123/posts', { body: 'こんにちは' }, 'id'],
      ['DELETE', '/posts/xyz', undefined, 'id'],
      ['GET', '/threads/{thread}?page=0', undefined, 'page'],
      ['GET', '/threads/{thread}?page=abc', undefined, 'page'],
      ['GET', '/boards/{board}/threads?page=-1', undefined, 'page'],
      ['GET', '/unread?page=1.5', undefined, 'page'],
      ['GET', '/search?q=%E8%AD%B0%E4%BA%8B&page=11', undefined, 'page'],
      ['GET', '/search?q=%E8%AD%B0%E4%BA%8B&from=2026-02-30', undefined, 'from'],
      ['GET', '/search?q=%E8%AD%B0%E4%BA%8B&to=yesterday', undefined, 'to'],
      ['GET', '/search?q=%E8%AD%B0%E4%BA%8B&board=nope', undefined, 'board'],
      ['GET', '/search?q=%E4%BA%BA', undefined, 'q'],
      ['POST', '/boards/{board}/threads', { title: 123, body: '本文' }, 'title'],
      ['POST', '/boards/{board}/threads', { title: '', body: '本文' }, 'title'],
      ['POST', '/boards/{board}/threads', { title: '題名', body: '   ' }, 'body'],
      ['POST', '/boards/{board}/threads', { title: '題名' }, 'body'],
      ['POST', '/threads/{thread}/posts', { body: ['配列'] }, 'body'],
      ['POST', '/threads/{thread}/posts', { body: 'x', quotePostId: 'not-a-post' }, 'quotePostId'],
      ['POST', '/threads/{thread}/posts', { body: 'x', quotePostId: '00000000-0000-4000-8000-000000000000' }, 'quotePostId'],
      ['POST', '/threads/{thread}/posts', { body: 'x'.repeat(20_001) }, 'body'],
      ['POST', '/threads/{thread}/read', { number: 'two' }, 'number'],
      ['POST', '/threads/{thread}/read', { number: 0 }, 'number'],
      ['PUT', '/threads/{thread}/watch', { level: 'loud' }, 'level'],
      ['PUT', '/boards/{board}/watch', {}, 'level'],
      ['POST', '/posts/{post}/reactions', { kind: 'poop' }, 'kind'],
      ['DELETE', '/posts/{post}/reactions/poop', undefined, 'kind'],
      ['POST', '/posts/{post}/reports', { reason: 42 }, 'reason'],
      ['POST', '/posts/{post}/reports', { reason: '   ' }, 'reason'],
    ];
    it.each(BAD.map(([method, path, body, field]) => ({ method, path, body, field, sent: body === undefined ? '' : JSON.stringify(body).slice(0, 60) })))(
      '$method $path $sent → 400 on $field',
      async ({ method, path, body, field }) => {
      const url = path.replace('{board}', boardId).replace('{thread}', threadId).replace('{post}', postId);
      const res = method === 'GET' ? await get(me, url) : await send(me, method.toLowerCase() as Method, url, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'BAD_REQUEST' });
      expect(Object.keys(res.body.fields)).toContain(field);
      const [first] = res.body.fields[field];
      expect(first).toEqual(expect.objectContaining({ key: expect.any(String), message: expect.any(String) }));
      // The message is text for a person, not the key.
      expect(first.message).not.toBe(first.key);
      expect(typeof res.body.message).toBe('string');
      },
    );

    it('refuses unknown fields and unknown query parameters', async () => {
      const body = await send(me, 'post', `/threads/${threadId}/posts`, { body: 'こんにちは', pinned: true }).expect(400);
      expect(body.body).toMatchObject({ messages: ['validation.unknownField'], message: '想定されていない項目が送信されました。' });
      const query = await get(me, `/threads/${threadId}?page=1&per=50`).expect(400);
      expect(query.body.messages).toEqual(['validation.unknownField']);
    });

    it('answers a body that is not JSON with a 400', async () => {
      const res = await me.agent.post(`/api/v1/forum/threads/${threadId}/posts`).set('X-CSRF-Token', me.token).set('Content-Type', 'application/json').send('{"body": ');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: expect.any(String) });
    });

    it('answers an unknown board, thread or post with a 404', async () => {
      const none = '00000000-0000-4000-8000-000000000000';
      await get(me, `/boards/${none}/threads`).expect(404);
      await get(me, `/threads/${none}`).expect(404);
      await send(me, 'post', `/threads/${none}/posts`, { body: 'こんにちは' }).expect(404);
      await send(me, 'post', `/posts/${none}/reactions`, { kind: 'like' }).expect(404);
      await send(me, 'post', `/posts/${none}/reports`, { reason: '確認してください' }).expect(404);
      await send(me, 'patch', `/posts/${none}`, { body: '書き換え' }).expect(404);
    });
  });

  describe('errors in the caller\'s language', () => {
    it('speaks Japanese by default, English with Accept-Language: en', async () => {
      const me = await clientOf(employee);
      const ja = await get(me, `/boards/${alumniBoardId}/threads`).expect(404);
      expect(ja.headers['content-type']).toMatch(/application\/json/);
      expect(ja.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', fields: {}, messages: ['networking.errors.notFound'], message: 'お探しのボード・スレッド・投稿は見つかりません。' });
      const en = await get(me, `/boards/${alumniBoardId}/threads`).set('Accept-Language', 'en-GB,en;q=0.9').expect(404);
      expect(en.body.message).toBe('That board, thread or post could not be found.');

      const field = await send(me, 'post', `/boards/${boardId}/threads`, { title: '', body: '本文' }).set('Accept-Language', 'en').expect(400);
      expect(field.body.fields).toEqual({ title: [{ key: 'networking.errors.titleRequired', message: 'Please enter a title.' }] });
      const typed = await send(me, 'post', `/boards/${boardId}/threads`, { title: 5, body: '本文' }).expect(400);
      expect(typed.body.fields.title[0]).toMatchObject({ key: 'validation.isString', message: '文字で入力してください。' });
    });

    it("follows the member's own language setting over the browser's", async () => {
      const english = await build({ status: 'alumni' });
      await em.fork().execute(`update membership.member set locale = 'en' where id = ?`, [english.member.id]);
      const me = await clientOf(english);
      const res = await get(me, `/threads/00000000-0000-4000-8000-000000000000`).set('Accept-Language', 'ja').expect(404);
      expect(res.body.message).toBe('That board, thread or post could not be found.');
    });

    it('tells a visitor to sign in, and an applicant to wait for approval', async () => {
      const visitor = await clientOf(null);
      const anonymous = await get(visitor, '/unread').expect(401);
      expect(anonymous.body).toMatchObject({ statusCode: 401, message: 'ログインしてください。' });
      expect((await get(visitor, '/unread').set('Accept-Language', 'en').expect(401)).body.message).toBe('Please sign in.');
      const pending = await clientOf(await build({ status: 'pending' }));
      const waiting = await send(pending, 'post', `/boards/${boardId}/threads`, { title: '題名', body: '本文' }).expect(403);
      expect(waiting.body.message).toBe('入会申請の審査が完了するまで、このページはご利用いただけません。');
    });

    it('limits new threads to 10 an hour per member (429, with the wait in words)', async () => {
      const busy = await clientOf(await build({ status: 'employee' }));
      for (let i = 1; i <= 10; i++) await send(busy, 'post', `/boards/${boardId}/threads`, { title: `連投 ${i}`, body: '本文' }).expect(201);
      const res = await send(busy, 'post', `/boards/${boardId}/threads`, { title: '連投 11', body: '本文' }).expect(429);
      expect(res.body.message).toMatch(/^短時間に多くの操作が行われました。約\d+分後にもう一度お試しください。$/);
    });
  });

  describe('role matrix: who reads and writes on which board', () => {
    const VIEWERS = ['anonymous', 'pending', 'employee', 'alumni', 'suspended', 'operator', 'admin'] as const;
    const BOARDS = ['members', 'alumni', 'employees', 'operators', 'public'] as const;
    type ViewerKind = (typeof VIEWERS)[number];
    type BoardKind = (typeof BOARDS)[number];
    /**
     * [listed in GET /boards, GET /boards/:id/threads, GET /threads/:id, POST /threads/:id/posts,
     *  POST /posts/:id/reactions, POST /posts/:id/reports]. A board the caller may not read is a 404 (it does not
     * exist for them); a write without a session is a 401 (a suspended member's session ended), and a member not yet
     * approved gets a 403 before anything else.
     */
    type Cell = [boolean, number, number, number, number, number];
    const EXPECTED: Record<ViewerKind, Record<BoardKind, Cell>> = {
      anonymous: {
        members:   [false, 404, 404, 401, 401, 401],
        alumni:    [false, 404, 404, 401, 401, 401],
        employees: [false, 404, 404, 401, 401, 401],
        operators: [false, 404, 404, 401, 401, 401],
        public:    [true,  200, 200, 401, 401, 401],
      },
      pending: {
        members:   [false, 404, 404, 403, 403, 403],
        alumni:    [false, 404, 404, 403, 403, 403],
        employees: [false, 404, 404, 403, 403, 403],
        operators: [false, 404, 404, 403, 403, 403],
        public:    [true,  200, 200, 403, 403, 403],
      },
      employee: {
        members:   [true,  200, 200, 201, 201, 201],
        alumni:    [false, 404, 404, 404, 404, 404],
        employees: [true,  200, 200, 201, 201, 201],
        operators: [false, 404, 404, 404, 404, 404],
        public:    [true,  200, 200, 201, 201, 201],
      },
      alumni: {
        members:   [true,  200, 200, 201, 201, 201],
        alumni:    [true,  200, 200, 201, 201, 201],
        employees: [false, 404, 404, 404, 404, 404],
        operators: [false, 404, 404, 404, 404, 404],
        public:    [true,  200, 200, 201, 201, 201],
      },
      suspended: {
        members:   [false, 404, 404, 401, 401, 401],
        alumni:    [false, 404, 404, 401, 401, 401],
        employees: [false, 404, 404, 401, 401, 401],
        operators: [false, 404, 404, 401, 401, 401],
        public:    [true,  200, 200, 401, 401, 401],
      },
      operator: {
        members:   [true,  200, 200, 201, 201, 201],
        alumni:    [true,  200, 200, 201, 201, 201],
        employees: [true,  200, 200, 201, 201, 201],
        operators: [true,  200, 200, 201, 201, 201],
        public:    [true,  200, 200, 201, 201, 201],
      },
      admin: {
        members:   [true,  200, 200, 201, 201, 201],
        alumni:    [true,  200, 200, 201, 201, 201],
        employees: [true,  200, 200, 201, 201, 201],
        operators: [true,  200, 200, 201, 201, 201],
        public:    [true,  200, 200, 201, 201, 201],
      },
    };
    const SPECS: Record<Exclude<ViewerKind, 'anonymous'>, MemberSpec> = {
      pending: { status: 'pending' },
      employee: { status: 'employee' },
      alumni: { status: 'alumni' },
      suspended: { status: 'alumni' },
      operator: { status: 'employee', role: 'operator' },
      admin: { status: 'employee', role: 'admin' },
    };

    const clients = {} as Record<ViewerKind, Client>;
    const boards = {} as Record<BoardKind, { boardId: string; threadId: string }>;
    let author: Viewer;

    beforeAll(async () => {
      // The fixtures' author is an operator of their own: no viewer below reports their own post.
      author = (await build({ status: 'employee', role: 'operator', familyName: '投稿', givenName: '者' })).viewer;
      const inputs: Record<BoardKind, Parameters<typeof buildBoard>[2]> = {
        members: { nameJa: '全員のボード' },
        alumni: { nameJa: 'アルムナイのボード', visibility: 'alumni' },
        employees: { nameJa: '社員のボード', visibility: 'employees' },
        operators: { nameJa: '運営のボード', visibility: 'operators' },
        public: { nameJa: '公開のボード', publicReadable: true },
      };
      for (const kind of BOARDS) {
        const id = await buildBoard(run, operator.viewer, inputs[kind]);
        boards[kind] = { boardId: id, threadId: (await buildThread(run, id, author, { title: `${inputs[kind]!.nameJa}のスレッド` })).threadId };
      }
      for (const viewer of VIEWERS) {
        if (viewer === 'anonymous') {
          clients[viewer] = await clientOf(null);
          continue;
        }
        const member = await build(SPECS[viewer]);
        clients[viewer] = await clientOf(member);
        if (viewer === 'suspended') {
          // Signed in, then suspended: the session stays in the browser but no longer counts.
          const fork = em.fork();
          const row = await fork.findOneOrFail(Member, member.member.id);
          row.suspend(operator.member.id, '確認のため');
          await fork.flush();
        }
      }
    }, 120_000);

    /** A fresh post of the author's on the board's thread, for one write (reports of three members would hide it). */
    const freshPost = async (kind: BoardKind) => (await run(new ReplyToThreadCommand(author, boards[kind].threadId, { body: '確認用の返信です。' }))).postId;

    const cells = VIEWERS.flatMap((viewer) => BOARDS.map((board) => ({ viewer, board, expected: EXPECTED[viewer][board] })));
    it.each(cells)('$viewer on the $board board → $expected', async ({ viewer, board, expected }) => {
      const c = clients[viewer];
      const { boardId: id, threadId } = boards[board];
      const listed = (await get(c, '/boards').expect(200)).body.boards.some((b: { id: string }) => b.id === id);
      const threads = (await get(c, `/boards/${id}/threads`)).status;
      const thread = (await get(c, `/threads/${threadId}`)).status;
      const reply = await send(c, 'post', `/threads/${threadId}/posts`, { body: `${viewer}の返信です。` });
      const react = await send(c, 'post', `/posts/${await freshPost(board)}/reactions`, { kind: 'like' });
      const report = await send(c, 'post', `/posts/${await freshPost(board)}/reports`, { reason: '確認をお願いします' });
      expect([listed, threads, thread, reply.status, react.status, report.status]).toEqual(expected);
      for (const res of [reply, react, report]) {
        expect(res.headers['content-type']).toMatch(/application\/json/);
        if (res.status >= 400) expect(res.body).toMatchObject({ statusCode: res.status, message: expect.any(String) });
      }
    });
  });

  it('lists the forum routes in the OpenAPI document at /api/docs-json', async () => {
    const doc = (await browser(app).get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const expected: [string, string][] = [
      ['/api/v1/forum/boards', 'get'],
      ['/api/v1/forum/boards/{boardId}/threads', 'get'],
      ['/api/v1/forum/boards/{boardId}/threads', 'post'],
      ['/api/v1/forum/boards/{boardId}/read', 'post'],
      ['/api/v1/forum/boards/{boardId}/watch', 'put'],
      ['/api/v1/forum/threads/{id}', 'get'],
      ['/api/v1/forum/threads/{id}/posts', 'post'],
      ['/api/v1/forum/threads/{id}/read', 'post'],
      ['/api/v1/forum/threads/{id}/watch', 'put'],
      ['/api/v1/forum/posts/{id}', 'patch'],
      ['/api/v1/forum/posts/{id}', 'delete'],
      ['/api/v1/forum/posts/{id}/reactions', 'post'],
      ['/api/v1/forum/posts/{id}/reactions/{kind}', 'delete'],
      ['/api/v1/forum/posts/{id}/reports', 'post'],
      ['/api/v1/forum/search', 'get'],
      ['/api/v1/forum/unread', 'get'],
      ['/api/v1/forum/new', 'get'],
    ];
    for (const [path, method] of expected) {
      expect([path, method, doc.paths[path]?.[method]?.tags]).toEqual([path, method, ['forum']]);
    }
    const forumPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/forum'));
    expect(forumPaths.flatMap((p) => Object.keys(doc.paths[p]).map((m) => `${m} ${p}`)).sort()).toEqual(expected.map(([p, m]) => `${m} ${p}`).sort());
  });
});
