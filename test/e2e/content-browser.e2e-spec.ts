import type { NestExpressApplication } from '@nestjs/platform-express';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, Page } from 'playwright-core';
import { flatImage } from '@libs/testing/images';
import { buildMember } from '../factories/member.factory';
import { screenshot, signInAs, startBrowserApp, submitWith, textOf } from '../support/browser';

jest.setTimeout(60_000);

/**
 * On a phone, in Japanese and English: a member writes an article (the editor saves it by itself and previews it),
 * submits it; an operator returns it with a comment; the member revises and resubmits; the operator publishes it;
 * another member comments, likes it in place, and shares it (the share links carry its address, copy link copies it).
 */
describe('content in the browser (Chromium, phone width)', () => {
  let app: NestExpressApplication;
  let browser: Browser;
  let base: string;
  let em: EntityManager;

  beforeAll(async () => {
    ({ app, browser, base, em } = await startBrowserApp());
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function phone(locale: 'ja-JP' | 'en-GB', email: string, password: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await context.newPage();
    await signInAs(page, base, email, password);
    return page;
  }

  it('write → submit → return → revise → publish → comment → like → share, in Japanese and English', async () => {
    const operator = await buildMember(em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    const writer = await buildMember(em.fork(), { status: 'alumni', familyName: '山田', givenName: '由美', familyNameKana: 'ヤマダ', givenNameKana: 'ユミ' });
    const reader = await buildMember(em.fork(), { status: 'employee', familyName: 'Smith', givenName: 'Alex', familyNameKana: 'スミス', givenNameKana: 'アレックス' });

    // The writer (ja) starts from the list.
    const ja = await phone('ja-JP', writer.email, writer.password);
    await ja.goto(`${base}/content`);
    await Promise.all([ja.waitForURL(/\/content\/new$/), ja.getByRole('link', { name: '記事を書く' }).first().click()]);
    await ja.getByLabel('種類').selectOption('column');
    await ja.getByLabel(/^タイトル/).fill('アルムナイになって見えた会社の良さ');
    await ja.getByLabel('概要').fill('外から見て気づいたことを書きました。');
    await ja.getByLabel('本文', { exact: true }).fill('## 外から見ると\n\n**意外な**発見がありました。');
    await ja.getByLabel('タグ').fill('キャリア, 組織づくり');
    expect(await ja.locator('[data-tag-chips] li').allTextContents()).toEqual(['#キャリア', '#組織づくり']);
    await ja.locator('input[name="visibility"][value="public"]').check();

    // The preview is the server's rendering; asking for it saves the new draft first, and the editor moves to its address.
    await ja.getByRole('tab', { name: 'プレビュー' }).click();
    await ja.locator('#preview strong', { hasText: '意外な' }).waitFor();
    await ja.waitForURL(/\/content\/[0-9a-f-]{36}\/edit$/);
    expect(await textOf(ja.locator('[data-autosave-status]'))).toMatch(/^下書きを保存しました \d{2}:\d{2}$/);
    const id = /\/content\/([0-9a-f-]{36})\/edit$/.exec(ja.url())![1];
    await ja.getByRole('tab', { name: '書く' }).click();

    // A cover: uploaded on choosing it, the card and OGP crops shown; a tap on the picture sets the focus.
    await ja.locator('#f-cover-file').setInputFiles({ name: 'office.jpg', mimeType: 'image/jpeg', buffer: await flatImage(1600, 1000, 'jpeg') });
    const card = ja.locator('[data-cover-card]');
    const coverId = ja.locator('[data-cover-id]');
    const cardOf = async () => `/content/images/${await coverId.inputValue()}/card`;
    await ja.locator('[data-cover-id]:not([value=""])').waitFor({ state: 'attached' });
    expect(await coverId.inputValue()).toMatch(/^[0-9a-f]{32}$/);
    expect(await card.getAttribute('src')).toBe(await cardOf());
    const firstCover = await coverId.inputValue();
    await ja.locator('[data-focus-image]').click({ position: { x: 20, y: 20 } });
    await ja.locator(`[data-cover-id]:not([value="${firstCover}"])`).waitFor({ state: 'attached' });
    const [x, y] = ((await ja.locator('[data-focus-picker]').getAttribute('data-focus')) ?? '').split(',').map(Number);
    expect(x).toBeLessThan(0.3);
    expect(y).toBeLessThan(0.3);
    expect(await card.getAttribute('src')).toBe(await cardOf());
    await screenshot(ja, 'content-editor-phone-ja');
    await submitWith(ja, ja.getByRole('button', { name: '保存してレビューに提出' }));
    expect(await textOf(ja.locator('.flash-success'))).toContain('レビューに提出しました');
    expect(await textOf(ja.locator('h1'))).toBe('アルムナイになって見えた会社の良さ');

    // The operator (en) finds it in the review queue and returns it with a comment.
    const op = await phone('en-GB', operator.email, operator.password);
    await op.goto(`${base}/admin/content`);
    await Promise.all([op.waitForURL(new RegExp(`/content/${id}`)), op.getByRole('link', { name: 'アルムナイになって見えた会社の良さ' }).click()]);
    await op.getByLabel('Comment for the author').fill('冒頭に自己紹介を一文ください。');
    await screenshot(op, 'content-review-phone-en');
    await submitWith(op, op.getByRole('button', { name: 'Return to the author' }));
    expect(await textOf(op.locator('.flash-success'))).toContain('Returned to the author.');

    // The writer sees the comment, revises and resubmits.
    await ja.goto(`${base}/content/${id}`);
    expect(await textOf(ja.locator('.content-banner'))).toContain('冒頭に自己紹介を一文ください。');
    await Promise.all([ja.waitForURL(/\/edit$/), ja.getByRole('link', { name: '編集する' }).click()]);
    const body = ja.getByLabel('本文', { exact: true });
    await body.fill(`2019年まで営業部にいた山田です。\n\n${await body.inputValue()}`);
    await submitWith(ja, ja.getByRole('button', { name: '保存してレビューに提出' }));
    expect(await textOf(ja.locator('.flash-success'))).toContain('レビューに提出しました');

    // The operator publishes it now.
    await op.goto(`${base}/content/${id}`);
    await submitWith(op, op.getByRole('button', { name: 'Publish now' }));
    expect(await textOf(op.locator('.flash-success'))).toContain('Published.');

    // A reader (en) comments, likes it without leaving the page, and shares it.
    const en = await phone('en-GB', reader.email, reader.password);
    await en.goto(`${base}/content`);
    await Promise.all([en.waitForURL(new RegExp(`/content/${id}$`)), en.getByRole('link', { name: 'アルムナイになって見えた会社の良さ' }).first().click()]);
    expect(await textOf(en.locator('.content-body'))).toContain('2019年まで営業部にいた山田です。');
    await en.getByLabel('Write a comment').fill('Great read, thank you!');
    await submitWith(en, en.getByRole('button', { name: 'Post comment' }));
    expect(await textOf(en.locator('.flash-success'))).toContain('Comment posted.');
    expect(await textOf(en.locator('.content-comment-body'))).toBe('Great read, thank you!');

    const before = en.url();
    const like = en.locator('.content-like-button');
    await like.click();
    await en.locator('.content-like-button[aria-pressed="true"]').waitFor();
    expect([await textOf(en.locator('.content-like-count')), en.url()]).toEqual(['1', before]);

    const canonical = `http://kizuna.test/content/${id}`;
    const shared = await en.locator('.content-share-links a').evaluateAll((links) => links.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')]));
    expect(shared.map(([name]) => name)).toEqual(['X (Twitter)', 'Facebook', 'LinkedIn', 'LINE', 'Hatena Bookmark']);
    for (const [, href, rel] of shared) {
      expect(href).toContain(encodeURIComponent(canonical));
      expect(rel).toBe('noopener noreferrer');
    }
    await en.getByRole('button', { name: 'Copy link' }).click();
    await en.locator('.content-copy-status', { hasText: 'Link copied.' }).waitFor();
    const clipboard = () => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText();
    expect(await en.evaluate(clipboard)).toBe(canonical);
    await screenshot(en, 'content-article-phone-en');

    // The writer's own list says it is online, with the like and the comment.
    await ja.goto(`${base}/content/mine`);
    const mine = await textOf(ja.locator('.content-mine-item').first());
    expect(mine).toContain('公開中');
    expect(mine).toContain('いいね 1');
    expect(mine).toContain('コメント 1');
    await screenshot(ja, 'content-mine-phone-ja');
  });
  it('saves an edit when the page is left, and asks first when the body is too long to go with the page', async () => {
    const writer = await buildMember(em.fork(), { status: 'alumni', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    const page = await phone('ja-JP', writer.email, writer.password);
    await page.goto(`${base}/content/new`);
    await page.getByLabel(/^タイトル/).fill('離れるときの保存');
    await page.getByLabel('本文', { exact: true }).fill('最初の本文');
    await page.getByRole('tab', { name: 'プレビュー' }).click();
    await page.waitForURL(/\/content\/[0-9a-f-]{36}\/edit$/);
    const edit = page.url();
    await page.getByRole('tab', { name: '書く' }).click();
    const body = page.getByLabel('本文', { exact: true });
    /** The body the edit page shows, once it is `expected` (the save on leaving may land a moment later). */
    const savedBody = async (expected: string): Promise<string> => {
      let shown = '';
      for (let i = 0; i < 20 && shown !== expected; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 250));
        await page.goto(edit);
        shown = await page.getByLabel('本文', { exact: true }).inputValue();
      }
      return shown;
    };

    // A short change goes with the page, without asking.
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    });
    await body.fill('離れる直前の本文');
    await page.goto(`${base}/content/mine`);
    expect(await savedBody('離れる直前の本文')).toBe('離れる直前の本文');
    expect(dialogs).toEqual([]);

    // A long one (25,000 characters: more than a keepalive request carries) makes the browser ask; staying saves it.
    const long = 'あ'.repeat(25_000);
    await page.getByLabel('本文', { exact: true }).fill(long);
    await page.evaluate(() => {
      setTimeout(() => (globalThis as unknown as { location: { assign(url: string): void } }).location.assign('/content/mine'), 0);
    });
    await page.locator('[data-autosave-status]', { hasText: /^下書きを保存しました \d{2}:\d{2}$/ }).waitFor();
    expect(dialogs).toEqual(['beforeunload']);
    expect(new URL(page.url()).pathname).toMatch(/\/edit$/);
    expect((await savedBody(long)).length).toBe(long.length);
    expect(dialogs).toEqual(['beforeunload']);
  });
});
