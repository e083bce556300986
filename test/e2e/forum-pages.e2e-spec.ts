import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { CommandBus, type Command } from '@nestjs/cqrs';
import { ReplyToThreadCommand } from '@modules/networking/contracts';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { buildBoard, buildThread } from '../factories/forum.factory';
import { decode, mainText } from '../support/html';
import { browser, follow, signIn, submit, type Agent } from '../support/http';
import { bootWebApp, resetDatabase } from '../support/test-app';
import sharp from 'sharp';
import { phonePhoto } from '@libs/testing/images';
import { csrfToken } from '../support/http';

/** The forum as people use it over HTTP: boards, a thread, replies with quotes and mentions, reactions, reports, moderation. */
describe('the forum pages', () => {
  let app: NestExpressApplication;
  const em = () => app.get(EntityManager).fork();
  const run = <R>(command: Command<R>): Promise<R> => RequestContext.create(em(), () => app.get(CommandBus).execute(command));
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;
  let carol: BuiltMember;
  let board: string;
  let alumniBoard: string;

  async function as(member: BuiltMember, locale?: 'en'): Promise<Agent> {
    const agent = browser(app);
    await signIn(agent, member.email, member.password);
    if (locale) await submit(agent, '/locale', { locale, next: '/' });
    return agent;
  }

  beforeAll(async () => {
    app = await bootWebApp();
    await resetDatabase(em());
    operator = await buildMember(em(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alice = await buildMember(em(), { status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    bob = await buildMember(em(), { status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    carol = await buildMember(em(), { status: 'alumni', familyName: '鈴木', givenName: '葵', familyNameKana: 'スズキ', givenNameKana: 'アオイ' });
    board = await buildBoard(run, operator.viewer, { nameJa: 'DX勉強会', nameEn: 'DX study group' });
    alumniBoard = await buildBoard(run, operator.viewer, { nameJa: 'アルムナイ広場', nameEn: 'Alumni square', visibility: 'alumni' });
  });
  afterAll(() => app.close());

  it('starts a thread, replies with a quote and a mention, reacts, and shows it all on the thread page', async () => {
    const a = await as(alice);
    const started = await submit(a, `/forum/b/${board}/threads`, { title: '議事録に生成AIを使う', body: '使っている方、**コツ**を教えてください。' }, `/forum/b/${board}`);
    expect(started.status).toBe(303);
    const threadPath = started.headers.location;
    expect(threadPath).toMatch(/^\/forum\/t\/[0-9a-f-]{36}$/);
    const threadId = threadPath.split('/').pop()!;
    const first = await follow(a, started);
    expect(mainText(first.text)).toContain('スレッドを立てました。');
    expect(first.text).toContain('<strong>コツ</strong>');
    const postId = /<a class="small muted" href="\/forum\/p\/([0-9a-f-]{36})"/.exec(first.text)![1];

    const b = await as(bob);
    const form = await b.get(`${threadPath}?quote=${postId}`).expect(200);
    expect(form.text).toContain(`name="quotePostId" value="${postId}"`);
    const replied = await submit(b, `${threadPath}/posts`, { body: '用語集を最初に渡すと良いです @山田太郎 さん', quotePostId: postId }, threadPath);
    expect(replied.headers.location).toBe(`${threadPath}?page=1#p2`);
    const page = (await follow(b, replied)).text;
    expect(page).toContain(`<a class="mention" href="/members/${alice.member.id}">@山田太郎</a>`);
    expect(decode(page)).toContain('#1 山田 太郎 さんの投稿への返信');
    expect(page).toContain(`href="/forum/p/${postId}"`);

    const reacted = await submit(b, `/forum/p/${postId}/react`, { kind: 'like', on: '1' }, threadPath);
    expect(reacted.headers.location).toBe(`${threadPath}?page=1#p1`);
    const located = await b.get(`/forum/p/${postId}`).expect(303);
    expect(located.headers.location).toBe(`${threadPath}?page=1#p1`);
    const withReaction = (await b.get(threadPath).expect(200)).text;
    expect(withReaction).toMatch(/class="reaction reaction-mine" aria-pressed="true" aria-label="いいね 1"/);

    // Alice watches the thread she started: her home page lists it, linked to Bob's reply, her first unread post.
    const home = (await a.get('/').expect(200)).text;
    const block = /<section class="card home-block home-block-forum"[\s\S]*?<\/section>/.exec(home)?.[0] ?? '';
    expect(mainText(block)).toContain('フォーラムの未読');
    expect(decode(block)).toContain(`<a class="home-item-title" href="${threadPath}?page=1#p2">議事録に生成AIを使う</a>`);
    expect(mainText(block)).toContain('未読 1');
    await a.get(threadPath).expect(200);
    expect(mainText((await a.get('/').expect(200)).text)).toContain('通知をオンにしているスレッドに未読の投稿はありません。');

    // The board lists it with one reply; Alice has read everything, Carol sees it unread after her first visit.
    const list = mainText((await a.get(`/forum/b/${board}`).expect(200)).text);
    expect(list).toContain('議事録に生成AIを使う');
    expect(list).toContain('返信 1件');
    expect(threadId).toBeTruthy();
  });

  it('pages 20 posts with real links and rel=prev/next, and finds a post on its page', async () => {
    const { threadId } = await buildThread(run, board, alice.viewer, { title: '長いスレッド' });
    let thirtieth = '';
    for (let i = 2; i <= 45; i++) {
      const r = await run(new ReplyToThreadCommand(i % 2 ? alice.viewer : bob.viewer, threadId, { body: `返信その${i}` }));
      if (r.number === 30) thirtieth = r.postId;
    }
    const c = await as(carol);
    const page1 = decode((await c.get(`/forum/t/${threadId}`).expect(200)).text);
    expect(page1).toContain(`<link rel="next" href="/forum/t/${threadId}?page=2">`);
    expect(page1).not.toContain('rel="prev"');
    expect((page1.match(/<article id="p\d+"/g) ?? []).length).toBe(20);
    const page3 = decode((await c.get(`/forum/t/${threadId}?page=3`).expect(200)).text);
    expect(page3).toContain(`<link rel="prev" href="/forum/t/${threadId}?page=2">`);
    expect((page3.match(/<article id="p\d+"/g) ?? []).length).toBe(5);
    expect((await c.get(`/forum/p/${thirtieth}`).expect(303)).headers.location).toBe(`/forum/t/${threadId}?page=2#p30`);
    for (const bad of ['-1', 'abc', '0']) expect([200, 400]).toContain((await c.get(`/forum/t/${threadId}?page=${bad}`)).status);
  });

  it('renders hostile posts inert on the page', async () => {
    const a = await as(alice);
    const res = await submit(a, `/forum/b/${board}/threads`, { title: '<script>alert(1)</script>', body: '<script>alert(2)</script>\n\n<img src=x onerror=alert(3)>\n\n[x](javascript:alert(4)) <a href="javascript:alert(5)">y</a>' }, `/forum/b/${board}`);
    const html = (await follow(a, res)).text;
    const main = html.slice(html.indexOf('<main'));
    expect(main).not.toMatch(/<script|<img[^>]*onerror|<a[^>]*href="javascript:/i);
    expect(main).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('keeps an alumni board from employees and visitors, and asks visitors to sign in', async () => {
    const { threadId } = await buildThread(run, alumniBoard, alice.viewer, { title: '退職後の話' });
    const b = await as(bob);
    expect((await b.get(`/forum/b/${alumniBoard}`)).status).toBe(404);
    expect((await b.get(`/forum/t/${threadId}`)).status).toBe(404);
    expect(mainText((await b.get('/forum').expect(200)).text)).not.toContain('アルムナイ広場');
    const visitor = browser(app);
    const res = await visitor.get(`/forum/t/${threadId}`);
    expect([res.status, res.headers.location]).toEqual([303, `/login?next=${encodeURIComponent(`/forum/t/${threadId}`)}`]);
    expect(mainText((await (await as(carol)).get('/forum').expect(200)).text)).toContain('アルムナイ広場');
  });

  it('reports a post, and an operator hides it from the thread page', async () => {
    const { threadId, postId } = await buildThread(run, board, alice.viewer, { title: '通報されるスレッド', body: '宣伝です' });
    const c = await as(carol);
    expect((await c.get(`/forum/p/${postId}/report`).expect(200)).text).toContain('投稿を通報する');
    const empty = await submit(c, `/forum/p/${postId}/report`, { reason: '' }, `/forum/p/${postId}/report`);
    expect(empty.headers.location).toBe(`/forum/p/${postId}/report`);
    expect(mainText((await follow(c, empty)).text)).toContain('通報の理由を入力してください。');
    const reported = await submit(c, `/forum/p/${postId}/report`, { reason: '宣伝目的の投稿です' }, `/forum/p/${postId}/report`);
    expect(reported.headers.location).toBe(`/forum/t/${threadId}?page=1#p1`);

    const op = await as(operator);
    const queue = mainText((await op.get('/admin/moderation').expect(200)).text);
    expect(queue).toContain('宣伝です');
    expect(queue).toContain('宣伝目的の投稿です');
    const hidden = await submit(op, `/forum/p/${postId}/moderate`, { action: 'hide', note: '宣伝' }, `/forum/t/${threadId}`);
    expect(hidden.headers.location).toBe(`/forum/t/${threadId}?page=1#p1`);
    const forCarol = mainText((await c.get(`/forum/t/${threadId}`).expect(200)).text);
    expect(forCarol).toContain('この投稿は運営により非表示になっています。');
    expect(forCarol).not.toContain('宣伝です');
    expect(mainText((await op.get(`/forum/t/${threadId}`).expect(200)).text)).toContain('宣伝です');
    // The hide closed the report: the queue is empty again, and the decision is in the member's history.
    expect(mainText((await op.get('/admin/moderation').expect(200)).text)).toContain('確認待ちの通報はありません。');
    expect(mainText((await op.get(`/admin/moderation/members/${alice.member.id}`).expect(200)).text)).toContain('宣伝目的の投稿です');
  });

  it('searches two-character words and highlights them', async () => {
    await buildThread(run, board, bob.viewer, { title: '東京本社の会議室', body: '来週から人事部の会議室が変わります。' });
    const c = await as(carol);
    const page = (await c.get(`/forum/search?q=${encodeURIComponent('人事')}`).expect(200)).text;
    expect(page).toContain('<mark>人事</mark>');
    expect(mainText(page)).toContain('東京本社の会議室');
    expect(mainText((await c.get(`/forum/search?q=${encodeURIComponent('人')}`).expect(200)).text)).toContain('検索語は2文字以上で入力してください。');
    // A day that does not exist (a hand-edited link) or a reversed range: the page, with the message at its field.
    const q = encodeURIComponent('人事');
    const noDay = (await c.get(`/forum/search?q=${q}&from=2024-13-45`).expect(200)).text;
    expect(noDay).toMatch(/id="s-from-error"><p>正しい日付を入力してください。<\/p>/);
    expect(noDay).toContain('value="2024-13-45"');
    expect((await c.get(`/forum/search?q=${q}&from=abc`).expect(200)).text).toMatch(/id="s-from-error"><p>正しい日付を入力してください。<\/p>/);
    expect((await c.get(`/forum/search?q=${q}&from=2026-05-01&to=2026-04-01`).expect(200)).text).toMatch(/id="s-to-error"><p>開始より後の日付を入力してください。<\/p>/);
    // Everything refused at once, each next to its field.
    const all = (await c.get(`/forum/search?q=${encodeURIComponent('人')}&from=2024-13-45&to=2024-02-30`).expect(200)).text;
    expect(all).toMatch(/id="s-q-error"><p>検索語は2文字以上で入力してください。<\/p>/);
    expect(all).toMatch(/id="s-from-error"><p>正しい日付を入力してください。<\/p>/);
    expect(all).toMatch(/id="s-to-error"><p>正しい日付を入力してください。<\/p>/);
    const inRange = (await c.get(`/forum/search?q=${q}&from=2020-01-01&to=2099-12-31`).expect(200)).text;
    expect(mainText(inRange)).toContain('東京本社の会議室');
    const en = await as(carol, 'en');
    expect((await en.get(`/forum/search?q=${q}&to=2026-02-30`).expect(200)).text).toMatch(/id="s-to-error"><p>Please enter a valid date.<\/p>/);
  });

  it('speaks English to a member who chose it', async () => {
    const a = await as(alice, 'en');
    const text = mainText((await a.get('/forum').expect(200)).text);
    expect(text).toContain('Forum');
    expect(text).toContain('DX study group');
    const board_ = mainText((await a.get(`/forum/b/${board}`).expect(200)).text);
    expect(board_).toContain('Start a new thread');
    const api = await a.post(`/api/v1/forum/boards/${board}/threads`).set('X-CSRF-Token', (await a.get('/api/v1/me')).body.csrfToken).send({ title: '', body: 'x' });
    expect(api.status).toBe(400);
    expect(api.body.fields.title[0]).toBeDefined();
  });

  it('answers hostile input with a page or a 4xx, never a 500', async () => {
    const { threadId, postId } = await buildThread(run, board, alice.viewer, { title: '荒らし対策' });
    const long = 'あ'.repeat(30_000);
    const longish = 'あ'.repeat(1_000);
    const control = 'a\u0000b\u0007c\u202Ed';
    const bad = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', "1' or '1'='1", '%00', '..%2F..%2Fetc'];
    const gets = [
      ...bad.flatMap((id) => [`/forum/b/${id}`, `/forum/t/${id}`, `/forum/p/${id}`, `/forum/p/${id}/edit`, `/forum/p/${id}/report`, `/forum/p/${id}/revisions`, `/forum/images/${id}/320`, `/admin/forum/${id}/edit`]),
      `/forum/images/${postId}/99999`,
      ...['-1', 'abc', '0', '1e9', '99999999999999999999', '1.5', ''].flatMap((n) => [`/forum/b/${board}?page=${n}`, `/forum/t/${threadId}?page=${n}`, `/forum/unread?page=${n}`, `/forum/new?page=${n}`, `/forum/search?q=abc&page=${n}`]),
      `/forum/t/${threadId}?quote=nope`,
      `/forum/t/${threadId}?per=1000`,
      `/forum/t/${threadId}?page=1&page=2`,
      `/forum/search?q=${encodeURIComponent(longish)}`,
      `/forum/search?q=${encodeURIComponent(control)}`,
      `/forum/search?q=abc&board=nope&author=nope&from=2024-13-45&to=yesterday`,
      `/forum/search?q=abc&from=2024-13-45&to=yesterday`,
      `/forum/search?q=abc&from=0000-00-00`,
      `/forum/search?q[]=a&q[]=b`,
      `/forum/search?q=%E0%A4%A`,
      '/forum/mentions', '/forum/mentions?board=nope&q=a', `/forum/mentions?board=${board}&q=${encodeURIComponent(longish)}`, `/forum/mentions?board=${board}&q=`,
    ];
    const op = await as(operator);
    const visitor = browser(app);
    for (const agent of [visitor, op]) {
      for (const path of gets) {
        const res = await agent.get(path).catch((e: Error) => {
          throw new Error(`GET ${path}: ${e.message}`);
        });
        if (res.status >= 500) throw new Error(`GET ${path} answered ${res.status}`);
      }
    }
    const posts: [string, Record<string, string>][] = [
      [`/forum/b/${board}/threads`, { title: long, body: long }],
      [`/forum/b/${board}/threads`, { title: control, body: control }],
      [`/forum/b/not-a-uuid/threads`, { title: 'x', body: 'y' }],
      [`/forum/t/${threadId}/posts`, { body: long, quotePostId: 'nope' }],
      [`/forum/t/${threadId}/posts`, { body: '   ', quotePostId: '00000000-0000-0000-0000-000000000000' }],
      [`/forum/t/not-a-uuid/posts`, { body: 'x' }],
      [`/forum/t/${threadId}/watch`, { level: 'loud' }],
      [`/forum/t/${threadId}/moderate`, { action: 'explode' }],
      [`/forum/t/${threadId}/moderate`, { action: 'move', boardId: 'nope' }],
      [`/forum/t/${threadId}/moderate`, { action: 'move' }],
      [`/forum/b/${board}/watch`, { level: '' }],
      [`/forum/b/not-a-uuid/read`, {}],
      [`/forum/p/${postId}/react`, { kind: 'poop', on: '1' }],
      [`/forum/p/${postId}/react`, { kind: 'like', on: '2' }],
      [`/forum/p/not-a-uuid/react`, { kind: 'like', on: '1' }],
      [`/forum/p/${postId}/report`, { reason: long }],
      [`/forum/p/not-a-uuid/delete`, {}],
      [`/forum/p/${postId}/moderate`, { action: 'hide', note: long }],
      [`/forum/p/not-a-uuid/edit`, { body: 'x' }],
      ['/admin/forum/new', { nameJa: long, visibility: 'everyone', threadStarters: 'x' }],
      ['/admin/forum/new', { nameJa: control, visibility: 'members', threadStarters: 'members', publicReadable: 'maybe' }],
      [`/admin/forum/not-a-uuid/edit`, { nameJa: 'x', visibility: 'members', threadStarters: 'members' }],
      [`/admin/forum/not-a-uuid/move`, { direction: 'up' }],
      [`/admin/forum/${board}/move`, { direction: 'sideways' }],
      [`/admin/forum/not-a-uuid/archive`, { archived: '1' }],
    ];
    for (const [path, fields] of posts) {
      const res = await submit(op, path, fields, '/forum');
      if (res.status >= 500) throw new Error(`POST ${path} answered ${res.status}`);
    }
    // What a person sees for the common mistakes: a not-found page, and the first page for a page number that is not one.
    expect((await op.get('/forum/t/not-a-uuid')).status).toBe(404);
    expect((await op.get(`/forum/t/${threadId}?page=abc`)).status).toBe(400);
    expect((await op.get(`/forum/search?q=${encodeURIComponent(longish)}`)).status).toBe(400);
  });

  it('re-encodes images of a post without their GPS data and serves them with the board\'s visibility', async () => {
    const { threadId } = await buildThread(run, alumniBoard, alice.viewer, { title: '写真の共有' });
    const a = await as(alice);
    const token = await csrfToken(a, `/forum/t/${threadId}`);
    const photo = await phonePhoto(3000, 2000, 6);
    const res = await a.post(`/forum/t/${threadId}/posts?_csrf=${encodeURIComponent(token)}`).field('body', '旅行の写真です').attach('images', photo, { filename: 'IMG_0001.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(303);
    const page = (await a.get(`/forum/t/${threadId}`).expect(200)).text;
    const imageId = /\/forum\/images\/([\w-]+)\/320/.exec(page)?.[1];
    expect(imageId).toBeDefined();
    const served = await a.get(`/forum/images/${imageId}/960`).buffer(true).expect(200);
    expect(served.headers['cache-control']).toBe('private, max-age=86400, immutable');
    const meta = await sharp(served.body as Buffer).metadata();
    expect({ format: meta.format, exif: meta.exif, long: Math.max(meta.width!, meta.height!), portrait: meta.height! > meta.width! }).toEqual({ format: 'webp', exif: undefined, long: 960, portrait: true });
    // An employee may not read the alumni board: its images are not found either; nor by a visitor.
    expect((await (await as(bob)).get(`/forum/images/${imageId}/960`)).status).toBe(404);
    expect((await browser(app).get(`/forum/images/${imageId}/960`)).status).toBe(404);
    // Not an image at all: a clear message on the reply form, no post.
    const bad = await a.post(`/forum/t/${threadId}/posts?_csrf=${encodeURIComponent(token)}`).field('body', 'これは画像ではない').attach('images', Buffer.from('hello'), { filename: 'x.jpg', contentType: 'image/jpeg' });
    expect(bad.headers.location).toBe(`/forum/t/${threadId}`);
    expect((await follow(a, bad)).status).toBe(200);
  });
});
