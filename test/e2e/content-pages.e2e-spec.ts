import sharp from 'sharp';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { CommandBus, QueryBus, type Command } from '@nestjs/cqrs';
import {
  CommentOnContentCommand,
  CreateContentCommand,
  FeatureContentCommand,
  GetCommentNoticeQuery,
  PublishContentCommand,
  SubmitContentCommand,
  type ContentInput,
} from '@modules/content/contracts';
import { flatImage } from '@libs/testing/images';
import { RedisConnections } from '@libs/queue/redis-connections';
import { contentViewsKey } from '@modules/content/application/views.handlers';
import { buildEvent } from '../factories/event.factory';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { decode, mainText } from '../support/html';
import { browser, csrfToken, follow, signIn, submit, type Agent } from '../support/http';
import { bootWebApp, resetDatabase } from '../support/test-app';

const BASE = 'http://kizuna.test';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The content pages over HTTP: who sees what, the workflow's forms, the editor's JSON, sharing tags, feed and sitemap. */
describe('the content pages', () => {
  let app: NestExpressApplication;
  const em = () => app.get(EntityManager).fork();
  const run = <R>(command: Command<R>): Promise<R> => RequestContext.create(em(), () => app.get(CommandBus).execute(command));
  let operator: BuiltMember;
  let alumna: BuiltMember;
  let employee: BuiltMember;
  let other: BuiltMember;

  async function as(member: BuiltMember, locale?: 'en'): Promise<Agent> {
    const agent = browser(app);
    await signIn(agent, member.email, member.password);
    if (locale) await submit(agent, '/locale', { locale, next: '/' });
    return agent;
  }

  const input = (over: Partial<ContentInput> = {}): ContentInput => ({
    type: 'column',
    title: '確認用の記事',
    summary: '確認用の要約です。',
    body: '確認用の本文です。',
    tags: [],
    visibility: 'members',
    language: 'ja',
    ...over,
  });

  /** An item through the commands: a draft, submitted, or published by the operator. */
  async function item(state: 'draft' | 'submitted' | 'published', over: Partial<ContentInput> = {}, author: BuiltMember = alumna): Promise<string> {
    const { contentId } = await run(new CreateContentCommand(author.viewer, input(over)));
    if (state !== 'draft') await run(new SubmitContentCommand(author.viewer, contentId));
    if (state === 'published') await run(new PublishContentCommand(operator.viewer, contentId));
    return contentId;
  }

  beforeAll(async () => {
    app = await bootWebApp();
    await resetDatabase(em());
    operator = await buildMember(em(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alumna = await buildMember(em(), { status: 'alumni', familyName: '山田', givenName: '由美', familyNameKana: 'ヤマダ', givenNameKana: 'ユミ' });
    employee = await buildMember(em(), { status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    other = await buildMember(em(), { status: 'alumni', familyName: '鈴木', givenName: '葵', familyNameKana: 'スズキ', givenNameKana: 'アオイ' });
  });
  afterAll(() => app.close());

  it('takes a member from a draft through review to publication with the forms, each step on its page', async () => {
    const a = await as(alumna);
    const editor = (await a.get('/content/new').expect(200)).text;
    expect(mainText(editor)).toContain('記事を書く');
    for (const label of ['企業ニュース', '業界情報', 'コラム', 'イベントレポート', '会員限定', 'アルムナイ限定', '社員限定', '保存してレビューに提出']) expect(mainText(editor)).toContain(label);
    expect(editor).not.toContain('保存して公開');

    // An empty title and a title too long are refused next to the field, with what was typed kept.
    const empty = await submit(a, '/content', { type: 'column', title: '', summary: '要約', body: '本文は書きかけ', tags: '', visibility: 'members', language: 'ja', intent: 'save' }, '/content/new');
    expect([empty.status, empty.headers.location]).toEqual([303, '/content/new']);
    const again = (await follow(a, empty)).text;
    expect(again).toMatch(/<div class="field field-invalid">\s*<label for="f-title">/);
    expect(again).toContain('本文は書きかけ</textarea>');
    const long = await submit(a, '/content', { type: 'column', title: 'あ'.repeat(121), body: '', visibility: 'members', language: 'ja' }, '/content/new');
    expect(mainText((await follow(a, long)).text)).toContain('120文字以内で入力してください。');

    // Saved as a draft: back in the editor, with the tags as typed and as chips.
    const saved = await submit(a, '/content', { type: 'column', title: 'アルムナイになって見えた会社の良さ', summary: '外から見て気づいたこと。', body: '## 外から見ると\n\n**意外な**発見がありました。', tags: '組織づくり, キャリア　働き方', visibility: 'members', language: 'ja', intent: 'save' }, '/content/new');
    expect(saved.headers.location).toMatch(new RegExp(`^/content/(${UUID.source})/edit$`));
    const id = UUID.exec(saved.headers.location)![0];
    const draft = (await follow(a, saved)).text;
    expect(mainText(draft)).toContain('下書きを保存しました。');
    expect(decode(draft)).toContain('value="組織づくり, キャリア, 働き方"');
    expect(mainText(draft)).toContain('#組織づくり #キャリア #働き方');

    // The draft is the author's: others and visitors get the same 404 as for an item that does not exist.
    expect((await (await as(other)).get(`/content/${id}`)).status).toBe(404);
    expect((await browser(app).get(`/content/${id}`)).status).toBe(404);
    expect((await a.get(`/content/${id}`).expect(200)).text).toContain('下書きです。まだ公開されていません。');

    // Submitted from the editor; the operator's queue has it; the operator returns it with a comment.
    const submitted = await submit(a, `/content/${id}`, { title: 'アルムナイになって見えた会社の良さ', intent: 'submit' }, `/content/${id}/edit`);
    expect(submitted.headers.location).toBe(`/content/${id}`);
    expect(mainText((await follow(a, submitted)).text)).toContain('レビューに提出しました。');
    const op = await as(operator);
    const queue = mainText((await op.get('/admin/content').expect(200)).text);
    expect(queue).toContain('アルムナイになって見えた会社の良さ');
    expect(queue).toContain('山田 由美');
    const reviewPage = (await op.get(`/content/${id}`).expect(200)).text;
    for (const button of ['今すぐ公開する', 'この日時に公開する', '差し戻す', '見送る']) expect(mainText(reviewPage)).toContain(button);
    const noComment = await submit(op, `/content/${id}/return`, { comment: '' }, `/content/${id}`);
    expect(noComment.headers.location).toBe(`/content/${id}`);
    expect(mainText((await follow(op, noComment)).text)).toContain('入力してください。');
    const returned = await submit(op, `/content/${id}/return`, { comment: '冒頭に自己紹介を一文ください。' }, `/content/${id}`);
    expect(returned.headers.location).toBe(`/content/${id}`);

    // The author sees the comment, on the article and in the editor, revises and resubmits.
    const back = mainText((await a.get(`/content/${id}`).expect(200)).text);
    expect(back).toContain('運営事務局から差し戻されました。');
    expect(back).toContain('冒頭に自己紹介を一文ください。');
    expect(mainText((await a.get(`/content/${id}/edit`).expect(200)).text)).toContain('冒頭に自己紹介を一文ください。');
    const mine = mainText((await a.get('/content/mine').expect(200)).text);
    expect(mine).toContain('差し戻し');
    expect(mine).toContain('コメントを確認して修正し、もう一度提出してください。');
    await submit(a, `/content/${id}`, { body: '2019年まで営業部にいた山田です。\n\n## 外から見ると\n\n**意外な**発見がありました。', intent: 'submit' }, `/content/${id}/edit`);

    // A member cannot publish, whatever they send; the operator can.
    const refused = await submit(a, `/content/${id}/publish`, {}, `/content/${id}`);
    expect(refused.status).toBe(403);
    expect((await submit(a, `/content/${id}`, { title: '公開ボタンを送ってみる', intent: 'publish' }, `/content/${id}/edit`)).status).toBe(403);
    expect(mainText((await a.get(`/content/${id}`).expect(200)).text)).not.toContain('公開ボタンを送ってみる');
    const published = await submit(op, `/content/${id}/publish`, {}, `/content/${id}`);
    expect(published.headers.location).toBe(`/content/${id}`);
    const page = (await (await as(other)).get(`/content/${id}`).expect(200)).text;
    expect(page).toContain('<strong>意外な</strong>');
    expect(mainText(page)).toContain('2019年まで営業部にいた山田です。');
    expect(mainText(page)).toContain('#キャリア');

    // The author's edit of the published article is a revision: "my articles" says where it is.
    await submit(a, `/content/${id}`, { body: '2019年まで営業部にいた山田です。追記しました。', intent: 'submit' }, `/content/${id}/edit`);
    const pending = mainText((await a.get('/content/mine').expect(200)).text);
    expect(pending).toContain('変更のレビュー待ち');
    expect(pending).toContain('公開中の記事への変更が、運営事務局のレビューを待っています。');
    expect(mainText((await (await as(other)).get(`/content/${id}`).expect(200)).text)).not.toContain('追記しました。');

    // The history names who did what.
    const history = mainText((await a.get(`/content/${id}/revisions`).expect(200)).text);
    for (const word of ['作成', 'レビューに提出', '差し戻し', '公開', '冒頭に自己紹介を一文ください。', '運営 花子']) expect(history).toContain(word);
    // Only the author and the office read the history.
    expect((await (await as(other)).get(`/content/${id}/revisions`)).status).toBe(403);
  });

  it('schedules with a time in the viewer’s zone and refuses a time that is not one', async () => {
    const id = await item('submitted', { title: '来月の記事' });
    const op = await as(operator);
    const bad = await submit(op, `/content/${id}/publish`, { at: '2026-02-31T10:00' }, `/content/${id}`);
    expect(bad.headers.location).toBe(`/content/${id}`);
    expect(mainText((await follow(op, bad)).text)).toContain('正しい日付を入力してください。');
    const next = new Date(Date.now() + 40 * 24 * 3600 * 1000);
    const day = next.toISOString().slice(0, 10);
    const scheduled = await submit(op, `/content/${id}/publish`, { at: `${day}T09:30` }, `/content/${id}`);
    expect(scheduled.headers.location).toBe(`/content/${id}`);
    const page = mainText((await follow(op, scheduled)).text);
    expect(page).toContain('公開を予約しました。');
    expect(page).toMatch(/9:30 に公開される予定です。/);
    expect(mainText((await op.get('/admin/content').expect(200)).text)).toContain('来月の記事');
  });

  it('gives the OGP image the size it really has when the cover is smaller than 1200×630', async () => {
    const a = await as(alumna);
    const id = await item('draft', { title: '小さな表紙', summary: '表紙の小さな記事', visibility: 'public', type: 'column' });
    const token = await csrfToken(a, `/content/${id}/edit`);
    const cover = await a
      .post(`/content/${id}/images?_csrf=${encodeURIComponent(token)}`)
      .set('accept', 'application/json')
      .field('purpose', 'cover')
      .attach('file', await flatImage(800, 400, 'jpeg'), { filename: 'small.jpg', contentType: 'image/jpeg' })
      .expect(201);
    await submit(a, `/content/${id}`, { coverImageId: cover.body.imageId, coverAlt: '小さな表紙', intent: 'submit' }, `/content/${id}/edit`);
    await run(new PublishContentCommand(operator.viewer, id));
    const head = decode((await browser(app).get(`/content/${id}`).expect(200)).text).split('</head>')[0];
    expect(head).toContain('<meta property="og:image:width" content="762">');
    expect(head).toContain('<meta property="og:image:height" content="400">');
    const og = await browser(app).get(`/content/images/${cover.body.imageId}/og`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    const meta = await sharp(og.body as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([762, 400]);
  });

  it('shows a public item to visitors with its canonical address, OGP and Twitter card tags, and share links', async () => {
    const a = await as(alumna);
    const id = await item('draft', { title: '新オフィスに移転しました', summary: '丸の内の新オフィスを紹介します。', visibility: 'public', type: 'news', tags: ['オフィス'] });
    const token = await csrfToken(a, `/content/${id}/edit`);
    const cover = await a
      .post(`/content/${id}/images?_csrf=${encodeURIComponent(token)}`)
      .set('accept', 'application/json')
      .field('purpose', 'cover')
      .field('focusX', '0.3')
      .field('focusY', '0.5')
      .attach('file', await flatImage(1600, 1000, 'jpeg'), { filename: 'office.jpg', contentType: 'image/jpeg' })
      .expect(201);
    expect(cover.body.cardUrl).toBe(`/content/images/${cover.body.imageId}/card`);
    await submit(a, `/content/${id}`, { coverImageId: cover.body.imageId, coverAlt: '新オフィスの受付', intent: 'submit' }, `/content/${id}/edit`);
    await run(new PublishContentCommand(operator.viewer, id));

    const visitor = browser(app);
    const html = decode((await visitor.get(`/content/${id}`).expect(200)).text);
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toContain(`<link rel="canonical" href="${BASE}/content/${id}">`);
    expect(head).toContain('<link rel="alternate" href="/content/feed.atom" type="application/atom+xml" title="Atom">');
    for (const tag of [
      '<meta property="og:type" content="article">',
      '<meta property="og:title" content="新オフィスに移転しました">',
      '<meta property="og:description" content="丸の内の新オフィスを紹介します。">',
      `<meta property="og:url" content="${BASE}/content/${id}">`,
      `<meta property="og:image" content="${BASE}/content/images/${cover.body.imageId}/og">`,
      '<meta property="og:image:width" content="1200">',
      '<meta property="og:image:height" content="630">',
      '<meta property="og:locale" content="ja_JP">',
      '<meta name="twitter:card" content="summary_large_image">',
      '<meta name="twitter:title" content="新オフィスに移転しました">',
    ]) expect(head).toContain(tag);
    expect(head).toMatch(/<meta property="og:site_name" content="[^"]+">/);
    expect(head).toMatch(/<meta property="article:published_time" content="\d{4}-\d{2}-\d{2}T[\d:.]+Z">/);
    const url = encodeURIComponent(`${BASE}/content/${id}`);
    for (const share of [`https://x.com/intent/post?text=`, `https://www.facebook.com/sharer/sharer.php?u=${url}`, `https://www.linkedin.com/sharing/share-offsite/?url=${url}`, `https://social-plugins.line.me/lineit/share?url=${url}`, `https://b.hatena.ne.jp/add?mode=confirm&url=${url}`]) {
      expect(html).toContain(`href="${share}`);
    }
    expect(html).toContain(`id="share-url" type="url" readonly value="${BASE}/content/${id}"`);
    // No third-party script or embed.
    expect(html.match(/<script[^>]*src="([^"]+)"/g)?.every((s) => /src="\/static\//.test(s))).toBe(true);
    expect(html).not.toMatch(/<iframe/);

    // The crops are served to visitors, cached publicly; an unknown variant or id is a 404.
    const og = await visitor.get(`/content/images/${cover.body.imageId}/og`).expect(200);
    expect([og.headers['content-type'], og.headers['cache-control']]).toEqual(['image/jpeg', 'public, max-age=31536000, immutable']);
    await visitor.get(`/content/images/${cover.body.imageId}/huge`).expect(404);
    await visitor.get('/content/images/0123456789abcdef0123456789abcdef/og').expect(404);

    // English readers get the same page in English; the item keeps its language.
    const en = await as(other, 'en');
    const english = mainText((await en.get(`/content/${id}`).expect(200)).text);
    for (const word of ['Company news', 'Share this article', 'Copy link', 'Like', 'Comments (0)']) expect(english).toContain(word);
  });

  it('keeps members’ and employees’ items from visitors and alumni, in the list, the feed and the sitemap', async () => {
    const open = await item('published', { title: '公開のお知らせ記事', visibility: 'public', type: 'news' });
    const members = await item('published', { title: '会員向けの記事', visibility: 'members' });
    const employees = await item('published', { title: '社員だけの記事', visibility: 'employees' }, employee);
    const draft = await item('draft', { title: '公開前の下書き', visibility: 'public' });

    const visitor = browser(app);
    const list = mainText((await visitor.get('/content').expect(200)).text);
    expect(list).toContain('公開のお知らせ記事');
    expect(list).not.toContain('会員向けの記事');
    expect(list).not.toContain('社員だけの記事');
    expect(list).not.toContain('公開前の下書き');
    expect((await visitor.get(`/content/${members}`)).status).toBe(404);
    expect((await visitor.get(`/content/${employees}`)).status).toBe(404);

    const alumni = await as(other);
    const forAlumni = mainText((await alumni.get('/content').expect(200)).text);
    expect(forAlumni).toContain('会員向けの記事');
    expect(forAlumni).not.toContain('社員だけの記事');
    expect((await alumni.get(`/content/${employees}`)).status).toBe(404);
    expect(mainText((await (await as(employee)).get('/content').expect(200)).text)).toContain('社員だけの記事');

    const feed = await visitor.get('/content/feed.atom').expect(200);
    expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(feed.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    expect(feed.text).toContain(`<link rel="alternate" type="text/html" href="${BASE}/content/${open}"/>`);
    expect(feed.text).toMatch(/<updated>\d{4}-\d{2}-\d{2}T[\d:.]+Z<\/updated>/);
    expect(feed.text).toContain('<title>公開のお知らせ記事</title>');
    expect(feed.text).toMatch(/<author><name>山田 由美<\/name><\/author>/);
    expect(feed.text).toContain('<summary type="text">確認用の要約です。</summary>');
    for (const hidden of [members, employees, draft]) expect(feed.text).not.toContain(hidden);

    const sitemap = await visitor.get('/sitemap.xml').expect(200);
    expect(sitemap.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(sitemap.text).toContain(`<url><loc>${BASE}/</loc></url>`);
    expect(sitemap.text).toMatch(new RegExp(`<url><loc>${BASE}/content</loc>`));
    expect(sitemap.text).toMatch(new RegExp(`<url><loc>${BASE}/content/${open}</loc><lastmod>\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z</lastmod></url>`));
    for (const hidden of [members, employees, draft]) expect(sitemap.text).not.toContain(hidden);
  });

  it('filters the list by type, tag, words and dates, highlights the words, and says what is wrong with a filter', async () => {
    await item('published', { title: '営業DXの勉強会を開きました', type: 'column', tags: ['DX'], visibility: 'public' });
    await item('published', { title: '半導体市場の動向', type: 'industry', tags: ['市場'], visibility: 'public' });
    const visitor = browser(app);
    const industry = mainText((await visitor.get('/content?type=industry').expect(200)).text);
    expect(industry).toContain('半導体市場の動向');
    expect(industry).not.toContain('営業DXの勉強会を開きました');
    const tagged = mainText((await visitor.get(`/content?tag=${encodeURIComponent('DX')}`).expect(200)).text);
    expect(tagged).toContain('営業DXの勉強会を開きました');
    expect(tagged).not.toContain('半導体市場の動向');
    const found = (await visitor.get(`/content?q=${encodeURIComponent('勉強')}`).expect(200)).text;
    expect(found).toContain('<mark>勉強</mark>');
    expect(mainText(found)).not.toContain('半導体市場の動向');
    const bad = await visitor.get('/content?from=2026-13-40&to=abc').expect(200);
    expect(mainText(bad.text)).toContain('正しい日付を入力してください。');
    const reversed = mainText((await visitor.get('/content?from=2026-05-01&to=2026-04-01').expect(200)).text);
    expect(reversed).toContain('「から」より後の日付を入力してください。');
    expect((await visitor.get('/content?type=blog')).status).toBe(400);
    expect(mainText((await visitor.get('/content?q=%E5%AD%98%E5%9C%A8%E3%81%97%E3%81%AA%E3%81%84%E8%A8%80%E8%91%89').expect(200)).text)).toContain('条件に合う記事は見つかりませんでした。');
  });

  it('creates and autosaves a draft through the editor’s JSON, with the field messages as JSON', async () => {
    const writer = await buildMember(em(), { status: 'alumni', familyName: '高橋', givenName: '誠' });
    const a = await as(writer);
    const token = await csrfToken(a, '/content/new');
    const created = await a.post('/content').set('accept', 'application/json').set('x-csrf-token', token).send({ title: '自動保存の記事', body: '書き始め', type: 'column', visibility: 'members', language: 'ja', tags: 'a b' }).expect(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(UUID), status: 'draft', editUrl: `/content/${created.body.id}/edit` });
    const id = created.body.id as string;
    const saved = await a.post(`/content/${id}/autosave`).set('x-csrf-token', token).send({ body: '書き始め、続き' }).expect(200);
    expect(saved.body).toMatchObject({ id, status: 'draft', savedAt: expect.any(String) });
    expect(decode((await a.get(`/content/${id}/edit`).expect(200)).text)).toContain('書き始め、続き</textarea>');
    const tooLong = await a.post(`/content/${id}/autosave`).set('x-csrf-token', token).send({ title: 'い'.repeat(200) }).expect(400);
    expect(tooLong.body.fields.title).toEqual(['120文字以内で入力してください。']);
    const preview = await a.post(`/content/${id}/preview`).set('accept', 'application/json').set('x-csrf-token', token).send({ body: '**太字**と<script>alert(1)</script>', language: 'ja' }).expect(200);
    expect(preview.body.html).toContain('<strong>太字</strong>');
    expect(preview.body.html).not.toContain('<script');
    // Someone else's draft: the same 404 as no draft at all.
    const b = await as(employee);
    await b.post(`/content/${id}/autosave`).set('x-csrf-token', await csrfToken(b, '/content/new')).send({ body: '乗っ取り' }).expect(404);
    // Without the token nothing is saved.
    await a.post(`/content/${id}/autosave`).send({ body: 'トークンなし' }).expect(403);
    await a.post(`/content/${id}/submit`).type('form').send({}).expect(403);
    expect(decode((await a.get(`/content/${id}/edit`).expect(200)).text)).not.toContain('トークンなし');
  });

  it('previews and takes pictures without the script, and answers a malformed id with a 404', async () => {
    const id = await item('draft', { title: 'プレビューの確認' }, other);
    const a = await as(other);
    const res = await submit(a, `/content/${id}/preview`, { title: 'プレビューの確認（直し）', body: '# 見出し\n\n本文**です**', language: 'ja' }, `/content/${id}/edit`);
    expect(res.headers.location).toBe(`/content/${id}/edit#preview`);
    const page = decode((await a.get(`/content/${id}/edit`).expect(200)).text);
    expect(page).toContain('本文<strong>です</strong>');
    expect(page).toContain('value="プレビューの確認（直し）"');
    // Pictures without the script: a cover comes back to the editor to be saved with the form, a body picture as the
    // line to paste.
    const token = await csrfToken(a, `/content/${id}/edit`);
    const cover = await a.post(`/content/${id}/images?_csrf=${encodeURIComponent(token)}`).field('purpose', 'cover').field('focusX', '0.5').field('focusY', '0.2').attach('file', await flatImage(1200, 900, 'png'), { filename: 'c.png', contentType: 'image/png' });
    expect(cover.headers.location).toMatch(new RegExp(`^/content/${id}/edit\\?cover=([0-9a-f]{32})#cover$`));
    const coverId = /cover=([0-9a-f]{32})/.exec(cover.headers.location)![1];
    const withCover = decode((await follow(a, cover)).text);
    expect(withCover).toContain(`<input type="hidden" name="coverImageId" value="${coverId}" data-cover-id>`);
    expect(withCover).toContain(`src="/content/images/${coverId}/card"`);
    await submit(a, `/content/${id}`, { coverImageId: coverId, coverAlt: '表紙' }, `/content/${id}/edit`);
    expect(decode((await a.get(`/content/${id}`).expect(200)).text)).toContain(`<img src="/content/images/${coverId}/960" alt="表紙"`);
    const picture = await a.post(`/content/${id}/images?_csrf=${encodeURIComponent(token)}`).attach('file', await flatImage(800, 600, 'jpeg'), { filename: 'p.jpg', contentType: 'image/jpeg' });
    expect(picture.headers.location).toBe(`/content/${id}/edit#body-images`);
    expect(decode((await follow(a, picture)).text)).toMatch(/<code class="content-snippet-code">!\[\]\(\/content\/images\/[0-9a-f]{32}\/960\)<\/code>/);
    const notAnImage = await a.post(`/content/${id}/images?_csrf=${encodeURIComponent(token)}`).attach('file', Buffer.from('not a picture'), { filename: 'x.png', contentType: 'image/png' });
    expect(notAnImage.headers.location).toBe(`/content/${id}/edit`);
    expect((await follow(a, notAnImage)).text).toMatch(/<div class="field-error" id="f-file-error"><p>[^<]+<\/p>/);

    for (const path of ['/content/not-an-id', '/content/123/edit', '/content/../admin', `/content/${id}x/revisions`]) expect((await a.get(path)).status).toBe(404);
    expect((await submit(a, '/content/nope/submit', {}, '/content')).status).toBe(404);
  });

  it('likes, comments with one level of replies, deletes and reports a comment on the article page', async () => {
    const id = await item('published', { title: 'コメントの記事' });
    const b = await as(employee);
    const liked = await submit(b, `/content/${id}/like`, { on: '1' }, `/content/${id}`);
    expect(liked.headers.location).toBe(`/content/${id}#like`);
    const token = await csrfToken(b, `/content/${id}`);
    const json = await b.post(`/content/${id}/like`).set('accept', 'application/json').type('form').send({ _csrf: token, on: '1' }).expect(201);
    expect(json.body).toEqual({ likes: 1, liked: true });
    expect((await b.get(`/content/${id}`).expect(200)).text).toMatch(/aria-pressed="true">[\s\S]*?<span class="content-like-count">1<\/span>/);

    const empty = await submit(b, `/content/${id}/comments`, { body: '' }, `/content/${id}`);
    expect(empty.headers.location).toBe(`/content/${id}`);
    const commented = await submit(b, `/content/${id}/comments`, { body: '参考になりました。' }, `/content/${id}`);
    expect(commented.headers.location).toMatch(new RegExp(`^/content/${id}#c-${UUID.source}$`));
    const commentId = UUID.exec(commented.headers.location.split('#c-')[1])![0];
    const a = await as(alumna);
    const replied = await submit(a, `/content/${id}/comments`, { body: 'ありがとうございます！', parentId: commentId }, `/content/${id}`);
    expect(replied.headers.location).toMatch(/#c-/);
    const page = (await a.get(`/content/${id}`).expect(200)).text;
    expect(mainText(page)).toContain('コメント（2件）');
    expect(page).toMatch(new RegExp(`<li id="c-${commentId}"[\\s\\S]*?<ol class="content-replies">[\\s\\S]*?ありがとうございます！`));

    // Reporting is a link per comment to a page of its own (the article carries no report form per comment).
    expect(page).toContain(`href="/content/comments/${commentId}/report"`);
    expect(page).not.toContain(`action="/content/comments/${commentId}/report"`);
    const reportPage = (await a.get(`/content/comments/${commentId}/report`).expect(200)).text;
    expect(mainText(reportPage)).toContain('コメントを通報');
    expect(mainText(reportPage)).toContain('参考になりました。');
    expect(reportPage).toContain(`action="/content/comments/${commentId}/report"`);
    const noReason = await submit(a, `/content/comments/${commentId}/report`, { reason: '' }, `/content/comments/${commentId}/report`);
    expect(noReason.headers.location).toBe(`/content/comments/${commentId}/report`);
    const again = (await follow(a, noReason)).text;
    expect(again).toMatch(/<div class="field field-invalid">[\s\S]*?id="f-reason-error"><p>[^<]+<\/p>/);
    // Longer than a report may be (500 characters): the form again, with the limit, and what was typed kept.
    const tooLong = await submit(a, `/content/comments/${commentId}/report`, { reason: 'あ'.repeat(501) }, `/content/comments/${commentId}/report`);
    expect(tooLong.headers.location).toBe(`/content/comments/${commentId}/report`);
    const limited = (await follow(a, tooLong)).text;
    expect(mainText(limited)).toMatch(/500/);
    expect(limited).toContain('あ'.repeat(501));
    const reported = await submit(a, `/content/comments/${commentId}/report`, { reason: '宣伝のように見えます' }, `/content/comments/${commentId}/report`);
    expect(reported.headers.location).toBe(`/content/${id}#c-${commentId}`);
    // Nobody reports their own comment: the page is not theirs.
    await b.get(`/content/comments/${commentId}/report`).expect(403);
    expect(mainText((await follow(a, reported)).text)).toContain('通報を受け付けました。');
    const deleted = await submit(b, `/content/comments/${commentId}/delete`, { contentId: id }, `/content/${id}`);
    expect(deleted.headers.location).toBe(`/content/${id}#comments`);
    expect(mainText((await b.get(`/content/${id}`).expect(200)).text)).toContain('このコメントは削除されました。');
    // Visitors read a members' item not at all; a public one they read without the comment form.
    await browser(app).get(`/content/comments/${commentId}`).expect(404);
    const open = await item('published', { title: '公開記事のコメント', visibility: 'public' });
    await run(new CommentOnContentCommand(employee.viewer, open, '公開記事へのコメント'));
    const forVisitor = mainText((await browser(app).get(`/content/${open}`).expect(200)).text);
    expect(forVisitor).toContain('公開記事へのコメント');
    expect(forVisitor).toContain('コメントするにはログインしてください。');
  });

  it('puts featured items first, on the list, on the members’ home page and on the visitors’ home page', async () => {
    const pinned = await item('published', { title: 'ピン留めの社長メッセージ', visibility: 'public', type: 'news' });
    await run(new FeatureContentCommand(operator.viewer, pinned, true));
    const visitor = browser(app);
    const list = (await visitor.get('/content').expect(200)).text;
    const featured = /<section class="content-featured"[\s\S]*?<\/section>/.exec(list)?.[0] ?? '';
    expect(mainText(featured)).toContain('ピン留めの社長メッセージ');
    expect(mainText((await visitor.get('/').expect(200)).text)).toContain('ピン留めの社長メッセージ');
    const home = (await (await as(employee)).get('/').expect(200)).text;
    const block = /<section class="card home-block home-block-content"[\s\S]*?<\/section>/.exec(home)?.[0] ?? '';
    expect(mainText(block)).toContain('ピックアップ');
    expect(mainText(block)).toContain('ピン留めの社長メッセージ');
    // The operator's button takes it off again.
    const op = await as(operator);
    expect(mainText((await op.get(`/content/${pinned}`).expect(200)).text)).toContain('ピックアップを外す');
    await submit(op, `/content/${pinned}/feature`, { featured: '0' }, `/content/${pinned}`);
    expect(/<section class="content-featured"/.test((await visitor.get('/content').expect(200)).text)).toBe(false);
  });

  it('shows an event’s reports on its page and offers members to write one once it has ended', async () => {
    const past = await buildEvent(em(), { title: '秋のアルムナイ交流会', inDays: -5 });
    const upcoming = await buildEvent(em(), { title: '冬の勉強会', inDays: 10 });
    await item('published', { title: '交流会のレポート', type: 'event-report', eventId: past.id });
    const b = await as(employee);
    const page = (await b.get(`/events/${past.id}`).expect(200)).text;
    expect(mainText(page)).toContain('イベントレポート');
    expect(mainText(page)).toContain('交流会のレポート');
    expect(decode(page)).toContain(`href="/content/new?type=event-report&eventId=${past.id}"`);
    expect(mainText((await b.get(`/events/${upcoming.id}`).expect(200)).text)).not.toContain('レポートを書く');
    const editor = decode((await b.get(`/content/new?type=event-report&eventId=${past.id}`).expect(200)).text);
    expect(editor).toMatch(new RegExp(`<option value="${past.id}" selected>[^<]*秋のアルムナイ交流会</option>`));
    expect(editor).toContain('<option value="event-report" selected>');
  });

  it('gives operators the review queue and the figures, in Japanese and English, and nobody else', async () => {
    await item('submitted', { title: 'レビュー待ちの記事' });
    const op = await as(operator, 'en');
    const page = mainText((await op.get('/admin/content').expect(200)).text);
    for (const word of ['Articles waiting for review', 'Scheduled', 'Per month', 'Per article (most viewed first)', 'レビュー待ちの記事']) expect(page).toContain(word);
    expect((await op.get('/admin').expect(200)).text).toContain('href="/admin/content"');
    expect((await (await as(employee)).get('/admin/content')).status).toBe(403);
    expect((await browser(app).get('/admin/content')).headers.location).toBe('/login?next=%2Fadmin%2Fcontent');
  });

  it('lists the navigation entry for everyone and the member’s own items in every state', async () => {
    const visitorHome = (await browser(app).get('/').expect(200)).text;
    expect(visitorHome).toContain('<a href="/content">ニュース・コラム</a>');
    const en = await as(other, 'en');
    expect((await en.get('/content').expect(200)).text).toContain('>News &amp; columns</a>');
    const mine = mainText((await en.get('/content/mine').expect(200)).text);
    expect(mine).toContain('My articles');
    expect(mine).toContain('Draft');
  });

  it('counts a view off the request path, under the member or a keyed hash of the visitor’s address and browser, never a crawler', async () => {
    const id = await item('published', { title: '閲覧数の記事', visibility: 'public' });
    const redis = app.get(RedisConnections);
    const key = contentViewsKey(redis.prefix);
    await redis.client.del(key);
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
    const safari = 'Mozilla/5.0 (iPhone; CPU iPhone OS 19_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.1 Mobile/15E148 Safari/604.1';
    // A visitor with a session (its cookie is sent), the same visitor again without any cookie, another browser,
    // and two crawlers: the first three are one key, the other browser a second, the crawlers none.
    const visitor = browser(app);
    const first = await visitor.get('/content').set('user-agent', firefox).expect(200);
    const sid = /kizuna\.sid=s%3A([^.;]+)/.exec((first.headers['set-cookie'] as unknown as string[] | undefined)?.join(';') ?? '')?.[1];
    await visitor.get(`/content/${id}`).set('user-agent', firefox).expect(200);
    await browser(app).get(`/content/${id}`).set('user-agent', firefox).expect(200);
    await browser(app).get(`/content/${id}`).set('user-agent', firefox).expect(200);
    await browser(app).get(`/content/${id}`).set('user-agent', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)').expect(200);
    await browser(app).get(`/content/${id}`).set('user-agent', 'facebookexternalhit/1.1').expect(200);
    await browser(app).get(`/content/${id}`).set('user-agent', safari).expect(200);
    const b = await as(employee);
    await b.get(`/content/${id}`).expect(200);
    // The page does not wait for the view to be written: wait until the last one is there.
    let views: { c: string; v: string }[] = [];
    while (!views.some((v) => v.v === employee.member.id)) views = (await redis.client.lrange(key, 0, -1)).map((v) => JSON.parse(v) as { c: string; v: string });
    expect(views.every((v) => v.c === id)).toBe(true);
    const keys = views.map((v) => v.v);
    expect(keys).toHaveLength(5);
    const times = new Map<string, number>();
    for (const k of keys) times.set(k, (times.get(k) ?? 0) + 1);
    const visitors = [...times.keys()].filter((k) => k !== employee.member.id);
    expect(visitors.map((k) => times.get(k)).sort()).toEqual([1, 3]);
    for (const hashed of visitors) expect(hashed).toMatch(/^v:[A-Za-z0-9_-]{32}$/);
    expect(sid).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    for (const hashed of visitors) expect(hashed).not.toContain(sid!);
    await redis.client.del(key);
  });

  it('renders hostile text inert everywhere it is shown', async () => {
    const id = await item('published', { title: '<script>alert(1)</script>', summary: '"><img src=x onerror=alert(2)>', body: '<script>alert(3)</script>\n\n[x](javascript:alert(4))\n\n![](https://evil.example/x.png)', tags: ['<b>タグ</b>'], visibility: 'public' });
    const visitor = browser(app);
    for (const path of [`/content/${id}`, '/content', '/']) {
      const html = (await visitor.get(path).expect(200)).text;
      expect(html).not.toMatch(/<script>alert|<img[^>]*onerror|href="javascript:|evil\.example/i);
    }
    const feed = (await visitor.get('/content/feed.atom').expect(200)).text;
    expect(feed).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(feed).not.toContain('<script>');
  });

  it('leads to the page of the comments that shows a comment: after writing it, from its own address, in the queue and in the bell', async () => {
    const id = await item('published', { title: 'コメントの多い記事' });
    // A page of comments already (50 a page), written straight into the table.
    await em().execute(
      `insert into content.comment (id, item_id, author_id, body, html, created_at)
       select gen_random_uuid(), ?, ?, 'コメント ' || n, '<p>コメント ' || n || '</p>', now() - interval '1 hour' + n * interval '1 second' from generate_series(1, 50) n`,
      [id, employee.member.id],
    );
    const b = await as(other);
    const commented = await submit(b, `/content/${id}/comments`, { body: '51番目のコメントです。' }, `/content/${id}`);
    expect(commented.headers.location).toMatch(new RegExp(`^/content/${id}\\?page=2#c-${UUID.source}$`));
    const commentId = UUID.exec(commented.headers.location.split('#c-')[1])![0];
    expect((await b.get(`/content/${id}?page=2`).expect(200)).text).toContain(`id="c-${commentId}"`);
    expect((await b.get(`/content/comments/${commentId}`).expect(303)).headers.location).toBe(`/content/${id}?page=2#c-${commentId}`);
    // A reply lives on its comment's page.
    const a = await as(alumna);
    const replied = await submit(a, `/content/${id}/comments?page=2`, { body: '返信です。', parentId: commentId }, `/content/${id}?page=2`);
    expect(replied.headers.location).toMatch(new RegExp(`^/content/${id}\\?page=2#c-${UUID.source}$`));
    // Reported: the moderation queue's link is that page too.
    await submit(a, `/content/comments/${commentId}/report`, { reason: '確認をお願いします' }, `/content/comments/${commentId}/report`);
    const [queued] = await em().execute<{ link: string }[]>('select link from moderation.report where subject_id = ? limit 1', [commentId]);
    expect(queued?.link).toBe(`/content/${id}?page=2#c-${commentId}`);
    // The author's notice (built when the event is handled) leads there as well.
    const notice = await RequestContext.create(em(), () => app.get(QueryBus).execute(new GetCommentNoticeQuery(commentId)));
    expect(notice?.link).toBe(`/content/${id}?page=2#c-${commentId}`);
  });
});
