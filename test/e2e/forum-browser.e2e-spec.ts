import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { Browser, Page } from 'playwright-core';
import { buildBoard } from '../factories/forum.factory';
import { buildMember } from '../factories/member.factory';
import { screenshot, signInAs, startBrowserApp, submitWith, textOf } from '../support/browser';

jest.setTimeout(90_000);

/** On a phone: start a thread, reply with a quote and a mention from the autocomplete, react, report, moderate. */
describe('the forum in the browser (Chromium, phone width)', () => {
  let app: NestExpressApplication;
  let browser: Browser;
  let base: string;
  let em: EntityManager;
  const run = <R>(command: Command<R>): Promise<R> => RequestContext.create(em.fork(), () => app.get(CommandBus).execute(command));

  beforeAll(async () => {
    ({ app, browser, base, em } = await startBrowserApp());
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function phone(locale: 'ja-JP' | 'en-GB', email: string, password: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 375, height: 812 }, isMobile: true });
    const page = await context.newPage();
    await signInAs(page, base, email, password);
    return page;
  }

  it('works end to end in Japanese and English', async () => {
    const operator = await buildMember(em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    const hanako = await buildMember(em.fork(), { status: 'alumni', familyName: '佐藤', givenName: '花子', familyNameKana: 'サトウ', givenNameKana: 'ハナコ' });
    const ken = await buildMember(em.fork(), { status: 'employee', familyName: '鈴木', givenName: '健', familyNameKana: 'スズキ', givenNameKana: 'ケン' });
    await buildBoard(run, operator.viewer, { nameJa: '子育てと仕事', nameEn: 'Parenting and work' });

    // Hanako starts a thread (ja).
    const ja = await phone('ja-JP', hanako.email, hanako.password);
    await ja.goto(`${base}/forum`);
    await Promise.all([ja.waitForNavigation(), ja.getByRole('link', { name: '子育てと仕事' }).click()]);
    await ja.getByLabel('タイトル').fill('時短勤務から戻るタイミング');
    await ja.getByLabel('本文').fill('小学校に上がるときに通常勤務へ戻るか迷っています。');
    await submitWith(ja, ja.getByRole('button', { name: 'スレッドを立てる' }));
    expect(await textOf(ja.locator('h1'))).toBe('時短勤務から戻るタイミング');
    const threadUrl = ja.url();
    await screenshot(ja, 'forum-thread-phone-ja');

    // Ken (en) quotes it and mentions Hanako, picking her from the autocomplete.
    const en = await phone('en-GB', ken.email, ken.password);
    await en.goto(threadUrl);
    await Promise.all([en.waitForNavigation(), en.getByRole('link', { name: 'Quote' }).first().click()]);
    const body = en.getByLabel('Message');
    await body.click();
    await body.pressSequentially('We waited until year two. @さとう');
    await en.getByRole('option', { name: /佐藤 花子/ }).waitFor();
    await en.keyboard.press('Enter');
    expect(await body.inputValue()).toBe('We waited until year two. @佐藤花子 ');
    await submitWith(en, en.getByRole('button', { name: 'Post reply' }));
    const reply = en.locator('#p2');
    expect(await textOf(reply.locator('.forum-quote'))).toContain('Replying to #1 by 佐藤 花子');
    expect(await reply.locator('a.mention').getAttribute('href')).toBe(`/members/${hanako.member.id}`);

    // He reacts to the first post: the script updates the buttons in place, without leaving the page.
    const before = en.url();
    await en.locator('#p1 .reaction-picker summary').click();
    await en.locator('#p1 .reaction-picker').getByRole('button', { name: 'Like' }).click();
    const like = en.locator('#p1 .forum-reactions button[aria-pressed="true"]');
    await like.waitFor();
    expect([await like.getAttribute('aria-label'), await textOf(like.locator('.reaction-count')), en.url()]).toEqual(['Like 1', '1', before]);
    expect(await en.locator('#p1 .reaction-picker').getAttribute('open')).toBeNull();
    await screenshot(en, 'forum-thread-phone-en');
    // Pressing it again takes it back, still in place; the page as the server renders it agrees.
    await like.click();
    await en.locator('#p1 .forum-reactions > form').first().waitFor({ state: 'detached' });
    await en.locator('#p1 .reaction-picker summary').click();
    await en.locator('#p1 .reaction-picker').getByRole('button', { name: 'Like' }).click();
    await like.waitFor();
    await en.reload();
    expect(await en.locator('#p1 .reaction-mine').getAttribute('aria-label')).toBe('Like 1');

    await ja.goto(threadUrl);
    await Promise.all([ja.waitForNavigation(), ja.locator('#p2').getByRole('link', { name: '通報' }).click()]);
    await ja.getByLabel('理由').fill('個人的な内容が含まれています');
    await submitWith(ja, ja.getByRole('button', { name: '通報する' }));
    expect(await textOf(ja.locator('.flash-success'))).toContain('通報を受け付けました');

    // The operator sees it in the queue and hides the post.
    const op = await phone('ja-JP', operator.email, operator.password);
    await op.goto(`${base}/admin/moderation`);
    expect(await textOf(op.locator('.moderation-case'))).toContain('個人的な内容が含まれています');
    await screenshot(op, 'forum-moderation-phone-ja');
    await op.getByLabel('非表示にする').check();
    await op.getByLabel('メモ（記録に残ります）').fill('本人に確認済み');
    await submitWith(op, op.getByRole('button', { name: '決定する' }));
    expect(await textOf(op.locator('.flash-success'))).toContain('非表示にしました');
    await op.goto(threadUrl);
    await submitWith(op, op.locator('#p2').getByRole('button', { name: '非表示にする' }));
    await ja.goto(threadUrl);
    expect(await textOf(ja.locator('#p2'))).toContain('この投稿は運営により非表示になっています。');
  });
});
