import { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { RATE_LIMITS, RateLimitService } from '@libs/security/rate-limit.service';
import { RedisConnections } from '@libs/queue/redis-connections';
import { contentViewsKey } from '@modules/content/application/views.handlers';
import { buildMember, type BuiltMember, type MemberSpec } from '../factories/member.factory';
import { browser, csrfToken, signIn, type Agent } from '../support/http';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** A client of the JSON API: a cookie session and its CSRF token (from GET /api/v1/me once signed in). */
interface Client {
  agent: Agent;
  token: string;
}

type Method = 'post' | 'patch' | 'delete';

const NONE = '00000000-0000-4000-8000-000000000000';

/**
 * Hostile text for every field a person writes. Whatever comes back in `html` must be inert: only the elements
 * Markdown makes, no attribute that runs anything, no link or image to a script or data URL, no image from elsewhere.
 */
const XSS: string[] = [
  '<script>alert(1)</script>',
  '"><script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<a href="javascript:alert(1)">押してね</a>',
  '[押してね](javascript:alert(1))',
  '[押してね](JaVaScRiPt:alert(1))',
  '[押してね](&#106;avascript:alert(1))',
  '[押してね](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![画像](javascript:alert(1))',
  '![画像](https://evil.example/track.png)',
  '<div style="background:url(javascript:alert(1))">装飾</div>',
  '<<script>script>alert(1)<</script>/script>',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '`<script>alert(1)</script>`',
  '<object data="javascript:alert(1)"></object>',
  '<form action="https://evil.example"><input name=x></form>',
];

const ALLOWED_TAGS = new Set(['p', 'br', 'strong', 'em', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img']);

/** Every real tag in sanitised HTML (text `<` comes out as &lt;): its name and attributes. */
function tagsOf(html: string): { name: string; attrs: Record<string, string> }[] {
  return [...html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)].map((m) => ({
    name: m[1].toLowerCase(),
    attrs: Object.fromEntries([...m[2].matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)].map((a) => [a[1].toLowerCase(), a[2] ?? ''])),
  }));
}

/** Fails with the offending tag when `html` could run or load anything. */
function expectInert(html: string, context: string): void {
  for (const tag of tagsOf(html)) {
    const where = `${context}: <${tag.name} ${JSON.stringify(tag.attrs)}> in ${html}`;
    expect([where, ALLOWED_TAGS.has(tag.name)]).toEqual([where, true]);
    for (const [name, value] of Object.entries(tag.attrs)) {
      expect([where, name.startsWith('on') || name === 'style' || name === 'srcdoc' || name === 'formaction']).toEqual([where, false]);
      if (name === 'href') expect([where, /^(https?:|mailto:)/i.test(value.trim())]).toEqual([where, true]);
      if (name === 'src') expect([where, /^\/content\/images\//.test(value)]).toEqual([where, true]);
    }
  }
}

/** The content JSON API over HTTP: the workflow, who may do what, visibility, hostile and bad input, CSRF, languages. */
describe('content JSON API (/api/v1/content)', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let operator: BuiltMember;
  let alumnus: BuiltMember;
  let alumna: BuiltMember;
  let employee: BuiltMember;
  let op: Client;
  let author: Client;
  let other: Client;
  let staff: Client;
  let visitor: Client;

  const build = (spec: MemberSpec) => buildMember(em.fork(), spec);

  async function clientOf(member: BuiltMember | null): Promise<Client> {
    const agent = browser(app);
    if (!member) return { agent, token: await csrfToken(agent, '/login') };
    await signIn(agent, member.email, member.password);
    const me = await agent.get('/api/v1/me').expect(200);
    expect(typeof me.body.csrfToken).toBe('string');
    return { agent, token: me.body.csrfToken as string };
  }
  const get = (c: Client, path: string) => c.agent.get(`/api/v1/content${path}`);
  const send = (c: Client, method: Method, path: string, body?: object) => c.agent[method](`/api/v1/content${path}`).set('X-CSRF-Token', c.token).send(body ?? {});

  const draft = (over: Record<string, unknown> = {}) => ({
    type: 'column',
    title: '出戻り社員が見た十年の変化',
    summary: '退職して七年、戻って一年。変わったこと、変わらないこと。',
    body: '退職して七年、**戻って一年**になりました。\n\n- 評価制度\n- 在宅勤務',
    tags: ['キャリア', '出戻り'],
    visibility: 'members',
    language: 'ja',
    ...over,
  });
  /** A member's item, created, submitted and published through the API. */
  async function publishedBy(c: Client, over: Record<string, unknown> = {}): Promise<string> {
    const id = (await send(c, 'post', '', draft(over)).expect(201)).body.id as string;
    if (c !== op) await send(c, 'post', `/${id}/submit`).expect(200);
    await send(op, 'post', `/${id}/publish`).expect(200);
    return id;
  }

  beforeAll(async () => {
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
    operator = await build({ status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alumnus = await build({ status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    alumna = await build({ status: 'alumni', familyName: '鈴木', givenName: '葵', familyNameKana: 'スズキ', givenNameKana: 'アオイ' });
    employee = await build({ status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    [op, author, other, staff, visitor] = await Promise.all([clientOf(operator), clientOf(alumnus), clientOf(alumna), clientOf(employee), clientOf(null)]);
  }, 60_000);
  afterAll(() => app.close());

  describe('the workflow: write → submit → return → revise → resubmit → schedule → publish', () => {
    let id: string;
    const at = new Date(Date.now() + 7 * 24 * 3_600_000);
    at.setUTCSeconds(0, 0);

    it('writes a draft (201) that only its author and operators see', async () => {
      const res = await send(author, 'post', '', draft()).expect(201);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      id = res.body.id;
      expect(res.body).toMatchObject({
        id: expect.any(String),
        type: 'column',
        title: '出戻り社員が見た十年の変化',
        summary: '退職して七年、戻って一年。変わったこと、変わらないこと。',
        body: draft().body,
        tags: ['キャリア', '出戻り'],
        visibility: 'members',
        language: 'ja',
        status: 'draft',
        revisionStatus: null,
        likes: 0,
        liked: false,
        comments: 0,
        views: 0,
        url: `/content/${id}`,
        canonicalUrl: expect.stringMatching(new RegExp(`^https?://[^/]+/content/${id}$`)),
        author: { memberId: alumnus.member.id, displayName: '山田 太郎' },
        cover: null,
        eventId: null,
        publishedAt: null,
        scheduledAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(res.body.html).toContain('<strong>戻って一年</strong>');
      expect(res.body.can).toMatchObject({ edit: true, submit: true, publish: false, return: false });

      expect((await get(author, `/${id}`).expect(200)).body.status).toBe('draft');
      expect((await get(op, `/${id}`).expect(200)).body.body).toBe(draft().body);
      // Another member, a visitor: it does not exist for them.
      await get(other, `/${id}`).expect(404);
      await get(visitor, `/${id}`).expect(404);
      expect((await get(author, '').expect(200)).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    });

    it('submits it for review (200); submitting again is a 409 in words', async () => {
      const res = await send(author, 'post', `/${id}/submit`).expect(200);
      expect(res.body).toMatchObject({ id, status: 'submitted', can: { submit: false, withdraw: true } });
      const again = await send(author, 'post', `/${id}/submit`).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, error: 'CONFLICT', messages: ['content.errors.transition.submit'], message: 'この状態の記事はレビューに提出できません。' });
      expect((await send(author, 'post', `/${id}/submit`).set('Accept-Language', 'en').expect(409)).body.message).toBe('An article in this state cannot be submitted for review.');
    });

    it('refuses a member who tries to publish, return or decline (403), or to edit what they may not see (404) — and changes nothing', async () => {
      const publish = await send(other, 'post', `/${id}/publish`).expect(403);
      expect(publish.body).toMatchObject({ statusCode: 403, message: expect.any(String) });
      await send(author, 'post', `/${id}/publish`).expect(403);
      await send(author, 'post', `/${id}/publish`, { at: at.toISOString() }).expect(403);
      await send(other, 'post', `/${id}/return`, { comment: 'だめです' }).expect(403);
      await send(author, 'post', `/${id}/decline`, { comment: 'だめです' }).expect(403);
      await send(other, 'patch', `/${id}`, { title: '乗っ取り' }).expect(404);
      const after = (await get(op, `/${id}`).expect(200)).body;
      expect([after.status, after.title, after.publishedAt]).toEqual(['submitted', '出戻り社員が見た十年の変化', null]);
    });

    it("puts it in the operators' review queue (members: 403)", async () => {
      const queue = await get(op, '/review').expect(200);
      expect(queue.body.waiting.map((c: { id: string }) => c.id)).toContain(id);
      expect(queue.body.waiting.find((c: { id: string }) => c.id === id)).toMatchObject({ title: '出戻り社員が見た十年の変化', status: 'submitted', url: `/content/${id}` });
      expect(Array.isArray(queue.body.revisions) && Array.isArray(queue.body.scheduled)).toBe(true);
      await get(author, '/review').expect(403);
      await get(visitor, '/review').expect(401);
    });

    it('an operator returns it with a comment (200); the author sees the comment', async () => {
      const res = await send(op, 'post', `/${id}/return`, { comment: '冒頭に自己紹介を一文加えてください。' }).expect(200);
      expect(res.body).toMatchObject({ status: 'returned', reviewComment: '冒頭に自己紹介を一文加えてください。' });
      const mine = (await get(author, `/${id}`).expect(200)).body;
      expect(mine).toMatchObject({ status: 'returned', reviewComment: '冒頭に自己紹介を一文加えてください。', can: { edit: true, submit: true } });
      // Returning what is not under review is a 409.
      await send(op, 'post', `/${id}/return`, { comment: 'もう一度' }).expect(409);
    });

    it('the author revises it (PATCH 200: only the fields sent change) and submits it again', async () => {
      const res = await send(author, 'patch', `/${id}`, { body: '営業部で十年、退職して七年、**戻って一年**になりました。' }).expect(200);
      expect(res.body).toMatchObject({ status: 'returned', title: '出戻り社員が見た十年の変化', tags: ['キャリア', '出戻り'], body: '営業部で十年、退職して七年、**戻って一年**になりました。' });
      expect(res.body.html).toContain('営業部で十年');
      expect((await send(author, 'post', `/${id}/submit`).expect(200)).body.status).toBe('submitted');
    });

    it('an operator publishes it at a future time: scheduled, not online yet', async () => {
      const res = await send(op, 'post', `/${id}/publish`, { at: at.toISOString() }).expect(200);
      expect(res.body).toMatchObject({ status: 'scheduled', publishedAt: null });
      expect(new Date(res.body.scheduledAt).getTime()).toBe(at.getTime());
      await get(other, `/${id}`).expect(404);
      expect((await get(other, '').expect(200)).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
      const queue = (await get(op, '/review').expect(200)).body;
      expect(queue.scheduled.find((c: { id: string }) => c.id === id)).toMatchObject({ scheduledAt: expect.any(String) });

      // Another time moves the schedule.
      const later = new Date(at.getTime() + 3_600_000);
      const moved = await send(op, 'post', `/${id}/publish`, { at: later.toISOString() }).expect(200);
      expect([moved.body.status, new Date(moved.body.scheduledAt).getTime()]).toEqual(['scheduled', later.getTime()]);
    });

    it("refuses a time in the past or a malformed one (400 on `at`, in the caller's language)", async () => {
      const past = await send(op, 'post', `/${id}/publish`, { at: '2020-01-01T09:00:00+09:00' }).expect(400);
      expect(past.body.fields.at).toEqual([expect.objectContaining({ key: 'content.errors.atInPast', message: '公開日時には未来の日時を指定してください。' })]);
      const en = await send(op, 'post', `/${id}/publish`, { at: '2020-01-01T09:00:00+09:00' }).set('Accept-Language', 'en').expect(400);
      expect(en.body.fields.at[0].message).toBe('Choose a publication time in the future.');
      for (const bad of ['tomorrow', '2026-13-01T09:00:00Z', '2030-02-30T09:00:00+09:00', '2030-01-01', 42]) {
        const res = await send(op, 'post', `/${id}/publish`, { at: bad }).expect(400);
        expect([bad, Object.keys(res.body.fields)]).toEqual([bad, ['at']]);
        expect(res.body.fields.at[0].message).not.toBe(res.body.fields.at[0].key);
      }
      expect((await get(op, `/${id}`).expect(200)).body.status).toBe('scheduled');
    });

    it('publishes it now (200): listed, readable by members at its page address', async () => {
      const res = await send(op, 'post', `/${id}/publish`).expect(200);
      expect(res.body).toMatchObject({ status: 'published', scheduledAt: null, publishedAt: expect.any(String), url: `/content/${id}` });
      const read = (await get(other, `/${id}`).expect(200)).body;
      expect(read).toMatchObject({ id, status: 'published', title: '出戻り社員が見た十年の変化', author: { memberId: alumnus.member.id, displayName: '山田 太郎' }, body: null, revision: null, reviewComment: null });
      expect(read.html).toContain('営業部で十年');
      expect(read.can).toMatchObject({ edit: false, publish: false, like: true, comment: true });
      const list = (await get(other, '').expect(200)).body;
      expect(list).toMatchObject({ total: expect.any(Number), page: 1, pages: expect.any(Number) });
      expect(list.items.find((i: { id: string }) => i.id === id)).toMatchObject({ id, type: 'column', title: '出戻り社員が見た十年の変化', status: 'published', url: `/content/${id}` });
      // By type and tag; not under another type.
      expect((await get(other, '?type=column').expect(200)).body.items.map((i: { id: string }) => i.id)).toContain(id);
      expect((await get(other, `?tag=${encodeURIComponent('出戻り')}`).expect(200)).body.items.map((i: { id: string }) => i.id)).toContain(id);
      expect((await get(other, '?type=news').expect(200)).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
      // Members' items are not for visitors.
      await get(visitor, `/${id}`).expect(404);
      // A member reading it through the API is counted as a reader (the view waits in Redis for the worker).
      const redis = app.get(RedisConnections);
      const views = (await redis.client.lrange(contentViewsKey(redis.prefix), 0, -1)).map((v) => JSON.parse(v) as { c: string; v: string });
      expect(views).toContainEqual(expect.objectContaining({ c: id, v: alumna.member.id }));
    });

    it('keeps every revision with who made it (author and operators; others 404)', async () => {
      const res = await get(author, `/${id}/revisions`).expect(200);
      const actions = (res.body.items as { action: string }[]).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['create', 'submit', 'return', 'edit', 'publish']));
      expect(res.body.items[0]).toMatchObject({ id: expect.any(String), byName: expect.any(String), at: expect.any(String), changed: expect.any(Array), version: expect.objectContaining({ title: '出戻り社員が見た十年の変化' }) });
      await get(op, `/${id}/revisions`).expect(200);
      expect([403, 404]).toContain((await get(other, `/${id}/revisions`)).status);
    });
  });

  describe("a contributor's edit of a published item is a revision under review", () => {
    let id: string;

    beforeAll(async () => {
      id = await publishedBy(author, { title: '関西支部の新年会レポート', type: 'column' });
    });

    it('PATCH writes the revision; every reader still gets the published version', async () => {
      const res = await send(author, 'patch', `/${id}`, { title: '関西支部の新年会レポート（写真追加）', body: '写真を追加しました。' }).expect(200);
      expect(res.body).toMatchObject({ status: 'published', revisionStatus: 'draft', title: '関西支部の新年会レポート', revision: { status: 'draft', title: '関西支部の新年会レポート（写真追加）', body: '写真を追加しました。' } });
      const read = (await get(other, `/${id}`).expect(200)).body;
      expect(read).toMatchObject({ title: '関西支部の新年会レポート', status: 'published', revision: null, body: null });
      expect(read.html).not.toContain('写真を追加しました');
      expect((await get(other, '').expect(200)).body.items.find((i: { id: string }) => i.id === id)?.title).toBe('関西支部の新年会レポート');
    });

    it('submitted, it waits in the queue; the published version stays until an operator publishes the revision', async () => {
      expect((await send(author, 'post', `/${id}/submit`).expect(200)).body).toMatchObject({ status: 'published', revisionStatus: 'submitted' });
      expect((await get(op, '/review').expect(200)).body.revisions.map((c: { id: string }) => c.id)).toContain(id);
      expect((await get(other, `/${id}`).expect(200)).body.title).toBe('関西支部の新年会レポート');
      // The author cannot publish their own revision.
      await send(author, 'post', `/${id}/publish`).expect(403);
      const done = await send(op, 'post', `/${id}/publish`).expect(200);
      expect(done.body).toMatchObject({ status: 'published', revisionStatus: null, title: '関西支部の新年会レポート（写真追加）' });
      const read = (await get(other, `/${id}`).expect(200)).body;
      expect(read.title).toBe('関西支部の新年会レポート（写真追加）');
      expect(read.html).toContain('写真を追加しました');
    });

    it("refuses another member's PATCH of a published item (403) and changes nothing", async () => {
      const res = await send(other, 'patch', `/${id}`, { title: '乗っ取り' }).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, message: expect.any(String) });
      const read = (await get(op, `/${id}`).expect(200)).body;
      expect([read.title, read.revisionStatus]).toEqual(['関西支部の新年会レポート（写真追加）', null]);
    });

    it('the author withdraws a submission, an operator declines another, the author takes their item offline', async () => {
      const mine = (await send(author, 'post', '', draft({ title: '取り下げる記事' })).expect(201)).body.id as string;
      await send(author, 'post', `/${mine}/submit`).expect(200);
      expect((await send(author, 'post', `/${mine}/withdraw`).expect(200)).body.status).toBe('draft');
      await send(author, 'post', `/${mine}/withdraw`).expect(409);

      await send(author, 'post', `/${mine}/submit`).expect(200);
      const declined = await send(op, 'post', `/${mine}/decline`, { comment: '今回は見送ります。' }).expect(200);
      expect(declined.body).toMatchObject({ status: 'declined', reviewComment: '今回は見送ります。' });

      expect((await send(author, 'post', `/${id}/unpublish`).expect(200)).body.status).toBe('unpublished');
      await get(other, `/${id}`).expect(404);
      expect((await get(other, '').expect(200)).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    });
  });

  describe('likes and comments', () => {
    let id: string;
    let commentId: string;
    let replyId: string;

    beforeAll(async () => {
      id = await publishedBy(author, { title: '在宅勤務三年目の工夫' });
    });

    it('likes once per member (201), and takes it back (DELETE 200)', async () => {
      expect((await send(staff, 'post', `/${id}/likes`).expect(201)).body).toEqual({ likes: 1, liked: true });
      expect((await send(staff, 'post', `/${id}/likes`).expect(201)).body).toEqual({ likes: 1, liked: true });
      expect((await send(other, 'post', `/${id}/likes`).expect(201)).body).toEqual({ likes: 2, liked: true });
      expect((await get(staff, `/${id}`).expect(200)).body).toMatchObject({ likes: 2, liked: true });
      expect((await get(author, `/${id}`).expect(200)).body).toMatchObject({ likes: 2, liked: false });
      expect((await send(staff, 'delete', `/${id}/likes`).expect(200)).body).toEqual({ likes: 1, liked: false });
      expect((await send(staff, 'delete', `/${id}/likes`).expect(200)).body).toEqual({ likes: 1, liked: false });
    });

    it('comments (201) and replies to a comment (201); a reply to a reply is refused', async () => {
      const first = await send(staff, 'post', `/${id}/comments`, { body: '**参考になりました**。' }).expect(201);
      expect(first.body).toMatchObject({ commentId: expect.any(String), parentId: null, url: `/content/${id}` });
      commentId = first.body.commentId;
      const reply = await send(author, 'post', `/${id}/comments`, { body: 'ありがとうございます！', parentId: commentId }).expect(201);
      expect(reply.body).toMatchObject({ commentId: expect.any(String), parentId: commentId });
      replyId = reply.body.commentId;

      // One level of replies: a reply is no comment to reply to.
      const deeper = await send(other, 'post', `/${id}/comments`, { body: '返信への返信', parentId: replyId }).expect(400);
      expect(deeper.body.fields.parentId).toEqual([expect.objectContaining({ key: 'content.errors.parentNotFound', message: expect.any(String) })]);

      const list = (await get(other, `/${id}/comments`).expect(200)).body;
      expect(list).toMatchObject({ total: expect.any(Number), page: 1, pages: 1 });
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({ id: commentId, parentId: null, author: { memberId: employee.member.id, displayName: '佐藤 健' }, deleted: false });
      expect(list.items[0].html).toContain('<strong>参考になりました</strong>');
      expect(list.items[0].replies.map((r: { id: string }) => r.id)).toEqual([replyId]);
      expect(JSON.stringify(list)).not.toContain('返信への返信');
      expect((await get(other, `/${id}`).expect(200)).body.comments).toBe(2);
    });

    it('refuses likes and comments on an item that is not online', async () => {
      const mine = (await send(author, 'post', '', draft({ title: 'まだ下書き' })).expect(201)).body.id as string;
      // A member does not know of someone's draft; an operator does, and is told it is not online.
      await send(staff, 'post', `/${mine}/likes`).expect(404);
      await send(staff, 'post', `/${mine}/comments`, { body: 'こんにちは' }).expect(404);
      const closed = await send(op, 'post', `/${mine}/comments`, { body: 'こんにちは' }).expect(409);
      expect(closed.body.messages).toEqual(['content.errors.notOpen']);
      await send(op, 'post', `/${mine}/likes`).expect(409);
      // Nor one's own item.
      await send(author, 'post', `/${id}/likes`).expect(409);
      await send(staff, 'post', `/${NONE}/likes`).expect(404);
      await send(staff, 'post', `/${NONE}/comments`, { body: 'こんにちは' }).expect(404);
    });
  });

  describe('visibility: an employees-only item', () => {
    let secret: string;
    let open: string;
    const WORD = '社内報告会';

    beforeAll(async () => {
      secret = await publishedBy(staff, { type: 'news', title: `第3四半期${WORD}のお知らせ`, summary: `${WORD}を開きます。`, body: `社員向けの${WORD}です。`, tags: ['社員限定'], visibility: 'employees' });
      open = await publishedBy(op, { type: 'news', title: `新オフィス移転と${WORD}`, summary: '本社が移転します。', body: `移転のあと${WORD}も開きます。`, tags: ['社員限定'], visibility: 'public' });
    });

    const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);

    it('is read by employees and operators, and is not there for alumni and visitors (404)', async () => {
      await get(staff, `/${secret}`).expect(200);
      await get(op, `/${secret}`).expect(200);
      const alumni = await get(other, `/${secret}`).expect(404);
      expect(alumni.body).toMatchObject({ messages: ['content.errors.notFound'], message: 'お探しの記事は見つかりません。' });
      await get(visitor, `/${secret}`).expect(404);
      await get(other, `/${secret}/comments`).expect(404);
      expect((await get(visitor, `/${open}`).expect(200)).body).toMatchObject({ visibility: 'public', body: null });
    });

    it('is not listed, by tag or by type, nor found by words, for alumni and visitors', async () => {
      for (const query of ['', '?type=news', `?tag=${encodeURIComponent('社員限定')}`, `?q=${encodeURIComponent(WORD)}`]) {
        expect([query, ids(await get(staff, query).expect(200)).includes(secret)]).toEqual([query, true]);
        expect([query, ids(await get(other, query).expect(200)).includes(secret)]).toEqual([query, false]);
        expect([query, ids(await get(visitor, query).expect(200)).includes(secret)]).toEqual([query, false]);
        expect([query, ids(await get(visitor, query).expect(200)).includes(open)]).toEqual([query, true]);
      }
      // Search is Japanese-aware: half-width katakana finds the full-width word.
      expect(ids(await get(visitor, `?q=${encodeURIComponent('ｵﾌｨｽ')}`).expect(200))).toContain(open);
    });

    it('is in neither the Atom feed nor the sitemap, where the public item is', async () => {
      const feed = await visitor.agent.get('/content/feed.atom').expect(200);
      expect(feed.headers['content-type']).toMatch(/atom\+xml|xml/);
      expect(feed.text).toContain(`/content/${open}`);
      expect(feed.text).not.toContain(`/content/${secret}`);
      expect(feed.text).not.toContain('第3四半期');
      const sitemap = await visitor.agent.get('/sitemap.xml').expect(200);
      expect(sitemap.text).toContain(`/content/${open}`);
      expect(sitemap.text).not.toContain(`/content/${secret}`);
      // Members' items are not public either.
      const members = await publishedBy(author, { title: 'メンバー限定の話' });
      expect((await visitor.agent.get('/content/feed.atom').expect(200)).text).not.toContain(`/content/${members}`);
      expect((await visitor.agent.get('/sitemap.xml').expect(200)).text).not.toContain(`/content/${members}`);
    });
  });

  describe('hostile input comes back inert', () => {
    it.each(XSS.map((payload, i) => ({ i, payload })))('#$i $payload', async ({ payload }) => {
      const created = await send(author, 'post', '', draft({ title: `見出し ${payload}`.slice(0, 120), summary: payload, body: `本文 ${payload}\n\n${payload}` })).expect(201);
      // Text keeps exactly what was typed; the rendered body is sanitised.
      expect(created.body.title).toBe(`見出し ${payload}`.slice(0, 120));
      expect(created.body.summary).toBe(payload);
      expect(created.body.body).toBe(`本文 ${payload}\n\n${payload}`);
      expectInert(created.body.html, 'body');
      expect(created.body.html).not.toMatch(/<(script|img|svg|iframe|object|style|form|input|details|math)\b/i);
    });

    it('comments too', async () => {
      const id = await publishedBy(author, { title: 'コメント欄の確認' });
      for (const payload of XSS) {
        await send(staff, 'post', `/${id}/comments`, { body: payload }).expect(201);
      }
      const list = (await get(other, `/${id}/comments`).expect(200)).body;
      expect(list.items).toHaveLength(XSS.length);
      for (const c of list.items as { html: string }[]) {
        expectInert(c.html, 'comment');
        expect(c.html).not.toMatch(/<(script|img|svg|iframe|object|style|form|input|details|math)\b/i);
      }
    });

    it('the sanitiser is checked by this test: a raw script tag would be caught', () => {
      expect(() => expectInert('<p>ok</p><script>alert(1)</script>', 'self-check')).toThrow();
      expect(() => expectInert('<a href="javascript:alert(1)">x</a>', 'self-check')).toThrow();
      expect(() => expectInert('<p onclick="x">x</p>', 'self-check')).toThrow();
      expect(() => expectInert('<p>&lt;script&gt;</p><a href="https://example.jp" rel="nofollow ugc noopener" target="_blank">x</a>', 'self-check')).not.toThrow();
    });
  });

  describe('CSRF', () => {
    it('refuses every write without the session\'s X-CSRF-Token (403) and changes nothing', async () => {
      const id = (await send(author, 'post', '', draft({ title: 'トークンの確認' })).expect(201)).body.id as string;
      const missing = await author.agent.post('/api/v1/content').send(draft({ title: 'トークンなし' })).expect(403);
      expect(missing.body).toMatchObject({ statusCode: 403, message: 'フォームの有効期限が切れました。ページを再読み込みしてから、もう一度送信してください。' });
      await author.agent.patch(`/api/v1/content/${id}`).send({ title: '書き換え' }).expect(403);
      await author.agent.patch(`/api/v1/content/${id}`).set('X-CSRF-Token', 'wrong').send({ title: '書き換え' }).expect(403);
      await author.agent.post(`/api/v1/content/${id}/submit`).expect(403);
      await op.agent.post(`/api/v1/content/${id}/publish`).set('X-CSRF-Token', author.token).send({}).expect(403);
      const after = (await get(author, `/${id}`).expect(200)).body;
      expect([after.title, after.status]).toEqual(['トークンの確認', 'draft']);
      const [{ n }] = await em.fork().execute<{ n: string }[]>(`select count(*) as n from content.item where title = 'トークンなし'`);
      expect(Number(n)).toBe(0);
    });
  });

  describe('bad input: 400 with the field\'s message, never a 500', () => {
    let id: string;
    let published: string;

    beforeAll(async () => {
      id = (await send(author, 'post', '', draft({ title: '入力の確認' })).expect(201)).body.id;
      published = await publishedBy(author, { title: 'コメントの確認' });
    });

    /** [method, path, JSON body, the field named in the answer, who sends it]; {id} is the author's draft, {pub} a published item. */
    const BAD: [string, string, object | undefined, string, 'author' | 'op'][] = [
      ['POST', '', draft({ type: 'blog' }), 'type', 'author'],
      ['POST', '', draft({ type: undefined }), 'type', 'author'],
      ['POST', '', draft({ title: 5 }), 'title', 'author'],
      ['POST', '', draft({ title: '' }), 'title', 'author'],
      ['POST', '', draft({ title: '   ' }), 'title', 'author'],
      ['POST', '', draft({ title: 'あ'.repeat(121) }), 'title', 'author'],
      ['POST', '', draft({ body: undefined }), 'body', 'author'],
      ['POST', '', draft({ body: ['配列'] }), 'body', 'author'],
      ['POST', '', draft({ summary: 'あ'.repeat(301) }), 'summary', 'author'],
      ['POST', '', draft({ visibility: 'secret' }), 'visibility', 'author'],
      ['POST', '', draft({ language: 'fr' }), 'language', 'author'],
      ['POST', '', draft({ tags: [1, 2] }), 'tags', 'author'],
      ['POST', '', draft({ tags: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }), 'tags', 'author'],
      ['POST', '', draft({ tags: ['あ'.repeat(31)] }), 'tags', 'author'],
      ['POST', '', draft({ eventId: 'not-an-event' }), 'eventId', 'author'],
      ['POST', '', draft({ eventId: NONE, type: 'event-report' }), 'eventId', 'author'],
      ['PATCH', '/{id}', { title: null }, 'title', 'author'],
      ['PATCH', '/{id}', { title: '' }, 'title', 'author'],
      ['PATCH', '/{id}', { type: 'diary' }, 'type', 'author'],
      ['PATCH', '/{id}', { visibility: null }, 'visibility', 'author'],
      ['POST', '/{id}/publish', { at: 'tomorrow' }, 'at', 'op'],
      ['POST', '/{id}/publish', { at: '2020-04-01T10:00:00Z' }, 'at', 'op'],
      ['POST', '/{id}/return', {}, 'comment', 'op'],
      ['POST', '/{id}/return', { comment: 42 }, 'comment', 'op'],
      ['POST', '/{id}/decline', { comment: ['x'] }, 'comment', 'op'],
      ['POST', '/{pub}/comments', { body: '' }, 'body', 'author'],
      ['POST', '/{pub}/comments', {}, 'body', 'author'],
      ['POST', '/{pub}/comments', { body: 'あ'.repeat(5_001) }, 'body', 'author'],
      ['POST', '/{pub}/comments', { body: 'こんにちは', parentId: 'nope' }, 'parentId', 'author'],
      ['POST', '/{pub}/comments', { body: 'こんにちは', parentId: NONE }, 'parentId', 'author'],
      ['GET', '?type=blog', undefined, 'type', 'author'],
      ['GET', '?from=2026-02-30', undefined, 'from', 'author'],
      ['GET', '?to=yesterday', undefined, 'to', 'author'],
      ['GET', '?page=0', undefined, 'page', 'author'],
      ['GET', '?page=abc', undefined, 'page', 'author'],
      ['GET', '/{pub}/comments?page=-1', undefined, 'page', 'author'],
    ];
    it.each(BAD.map(([method, path, body, field, who]) => ({ method, path, body, field, who, sent: body === undefined ? '' : JSON.stringify(body).slice(0, 50) })))(
      '$method $path $sent → 400 on $field',
      async ({ method, path, body, field, who }) => {
        const c = who === 'op' ? op : author;
        const url = path.replace('{id}', id).replace('{pub}', published);
        const call = () => (method === 'GET' ? get(c, url) : send(c, method.toLowerCase() as Method, url, body));
        const ja = await call();
        expect([ja.status, ja.body.statusCode, ja.body.error]).toEqual([400, 400, 'BAD_REQUEST']);
        expect(Object.keys(ja.body.fields)).toContain(field);
        const [first] = ja.body.fields[field];
        expect(first).toEqual(expect.objectContaining({ key: expect.any(String), message: expect.any(String) }));
        // Text for a person, not the key; and in English on request.
        expect(first.message).not.toBe(first.key);
        const en = await call().set('Accept-Language', 'en');
        expect(en.status).toBe(400);
        expect(en.body.fields[field][0].key).toBe(first.key);
        expect(en.body.fields[field][0].message).not.toBe(first.message);
      },
    );

    it('names the field in Japanese by default and in English on request', async () => {
      const ja = await send(author, 'post', '', draft({ title: '' })).expect(400);
      expect(ja.body.fields.title).toEqual([expect.objectContaining({ key: 'content.errors.required', message: '入力してください。' })]);
      const en = await send(author, 'post', '', draft({ title: '' })).set('Accept-Language', 'en').expect(400);
      expect(en.body.fields.title[0].message).toBe('Please fill this in.');
      const typed = await send(author, 'post', '', draft({ type: 'blog' })).expect(400);
      expect(typed.body.fields.type[0]).toMatchObject({ key: 'validation.isIn', message: '選択肢から選んでください。' });
      const long = await send(author, 'post', '', draft({ title: 'あ'.repeat(121) })).set('Accept-Language', 'en').expect(400);
      expect(long.body.fields.title[0]).toMatchObject({ key: 'content.errors.tooLong', message: 'Please use at most 120 characters.' });
    });

    it('refuses unknown fields (a status or an author sent along) and unknown query parameters', async () => {
      const status = await send(author, 'patch', `/${id}`, { title: '公開にしたい', status: 'published' }).expect(400);
      expect(status.body).toMatchObject({ messages: ['validation.unknownField'], message: '想定されていない項目が送信されました。' });
      await send(author, 'post', '', { ...draft(), authorId: alumna.member.id }).expect(400);
      await get(author, '?per=100').expect(400);
      const after = (await get(author, `/${id}`).expect(200)).body;
      expect([after.title, after.status]).toEqual(['入力の確認', 'draft']);
    });

    it('answers a body that is not JSON with a 400', async () => {
      const res = await author.agent.post('/api/v1/content').set('X-CSRF-Token', author.token).set('Content-Type', 'application/json').send('{"title": ');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: expect.any(String) });
    });

    it('answers an id that is not an id, or of nothing, with a 404', async () => {
      for (const path of ['/not-a-uuid', '/123', `/${NONE}`, '/not-a-uuid/comments', `/${NONE}/comments`]) {
        const res = await get(author, path);
        expect([path, res.status, res.body.messages]).toEqual([path, 404, ['content.errors.notFound']]);
      }
      await send(author, 'patch', '/xyz', { title: '題名' }).expect(404);
      await send(author, 'patch', `/${NONE}`, { title: '題名' }).expect(404);
      await send(author, 'post', '/xyz/submit').expect(404);
      await send(op, 'post', `/${NONE}/publish`).expect(404);
      await send(author, 'delete', '/xyz/likes').expect(404);
      await get(author, '/xyz/revisions').expect(404);
    });

    it('limits writes per member (429, with the wait in words)', async () => {
      const busy = await build({ status: 'employee' });
      const client = await clientOf(busy);
      const limits = app.get(RateLimitService);
      for (let i = 0; i < RATE_LIMITS['write:member'].points; i++) await limits.consume('write:member', busy.member.id);
      const res = await send(client, 'post', '', draft({ title: '連投' })).expect(429);
      expect(res.body.message).toMatch(/^短時間に多くの操作が行われました。約\d+分後にもう一度お試しください。$/);
      await send(client, 'post', `/${published}/comments`, { body: '連投' }).expect(429);
    });
  });

  describe('who may call what', () => {
    it('tells a visitor to sign in, and an applicant to wait for approval', async () => {
      const anonymous = await send(visitor, 'post', '', draft()).expect(401);
      expect(anonymous.body).toMatchObject({ statusCode: 401, message: 'ログインしてください。' });
      const pending = await clientOf(await build({ status: 'pending' }));
      const waiting = await send(pending, 'post', '', draft()).expect(403);
      expect(waiting.body.message).toBe('入会申請の審査が完了するまで、このページはご利用いただけません。');
      // Reading is open: published public items for visitors.
      expect((await get(visitor, '').expect(200)).body).toMatchObject({ items: expect.any(Array), page: 1 });
    });
  });

  it('lists the content routes in the OpenAPI document at /api/docs-json', async () => {
    const doc = (await browser(app).get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const expected: [string, string][] = [
      ['/api/v1/content', 'get'],
      ['/api/v1/content', 'post'],
      ['/api/v1/content/review', 'get'],
      ['/api/v1/content/{id}', 'get'],
      ['/api/v1/content/{id}', 'patch'],
      ['/api/v1/content/{id}/submit', 'post'],
      ['/api/v1/content/{id}/withdraw', 'post'],
      ['/api/v1/content/{id}/publish', 'post'],
      ['/api/v1/content/{id}/return', 'post'],
      ['/api/v1/content/{id}/decline', 'post'],
      ['/api/v1/content/{id}/unpublish', 'post'],
      ['/api/v1/content/{id}/likes', 'post'],
      ['/api/v1/content/{id}/likes', 'delete'],
      ['/api/v1/content/{id}/comments', 'get'],
      ['/api/v1/content/{id}/comments', 'post'],
      ['/api/v1/content/{id}/revisions', 'get'],
    ];
    for (const [path, method] of expected) {
      expect([path, method, doc.paths[path]?.[method]?.tags]).toEqual([path, method, ['content']]);
    }
    const contentPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/content'));
    expect(contentPaths.flatMap((p) => Object.keys(doc.paths[p]).map((m) => `${m} ${p}`)).sort()).toEqual(expected.map(([p, m]) => `${m} ${p}`).sort());
  });
});
