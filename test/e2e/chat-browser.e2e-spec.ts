import { createServer } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { Browser, Page } from 'playwright-core';
import { buildChannel, buildGroup, sendMessage } from '../factories/chat.factory';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { launchBrowser, screenshot, signInAs, submitWith, textOf } from '../support/browser';
import { bootWebApp, resetDatabase } from '../support/test-app';

jest.setTimeout(120_000);

interface Words {
  locale: 'ja-JP' | 'en-GB';
  tag: 'ja' | 'en';
  sendAMessage: string;
  send: string;
  message: string;
  read: string;
  typing: (name: string) => string;
  older: string;
}

const JA: Words = { locale: 'ja-JP', tag: 'ja', sendAMessage: 'メッセージを送る', send: '送信', message: 'メッセージ', read: '既読', typing: (n) => `${n}さんが入力中…`, older: '古いメッセージ' };
const EN: Words = { locale: 'en-GB', tag: 'en', sendAMessage: 'Send a message', send: 'Send', message: 'Message', read: 'Read', typing: (n) => `${n} is typing…`, older: 'Older messages' };

/** Two members on two phones (two browser contexts): a DM arrives live, 既読 comes back live, the badge counts. */
describe('chat in the browser (Chromium, two phones)', () => {
  let app: NestExpressApplication;
  let browser: Browser;
  let base: string;
  let em: EntityManager;
  let operator: BuiltMember;
  const run = <R>(command: Command<R>): Promise<R> => RequestContext.create(em.fork(), () => app.get(CommandBus).execute(command));

  /** A free port on the loopback interface. */
  const freePort = () =>
    new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });

  beforeAll(async () => {
    // The socket accepts only pages of the site's own origin (BASE_URL): the app is told its address before it boots.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    process.env.BASE_URL = base;
    app = await bootWebApp();
    await app.listen(port, '127.0.0.1');
    em = app.get(EntityManager);
    await resetDatabase(em);
    browser = await launchBrowser();
    operator = await buildMember(em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function phone(words: Words, member: BuiltMember): Promise<Page> {
    const context = await browser.newContext({ locale: words.locale, viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signInAs(page, base, member.email, member.password);
    return page;
  }

  /** Marks the document, so that a later check tells a live update from a reload. */
  const mark = (page: Page) => page.evaluate('window.chatMark = 1');
  const marked = async (page: Page) => (await page.evaluate('window.chatMark === 1')) === true;
  /** The page has its socket client (the conversation page also its room). */
  const scripted = (page: Page) => page.waitForFunction("typeof window.io === 'function'");
  const connected = (page: Page) => page.waitForFunction("typeof window.io === 'function' && document.querySelector('[data-chat-room]') !== null");

  async function journey(words: Words, a: BuiltMember, b: BuiltMember): Promise<void> {
    const aName = `${a.profile.familyName} ${a.profile.givenName}`;
    const bName = `${b.profile.familyName} ${b.profile.givenName}`;
    const pa = await phone(words, a);
    const pb = await phone(words, b);

    // A opens the DM from B's profile.
    await pa.goto(`${base}/members/${b.member.id}`);
    await submitWith(pa, pa.getByRole('button', { name: words.sendAMessage }));
    expect(new URL(pa.url()).pathname).toMatch(/^\/chat\/c\/[0-9a-f-]{36}$/);
    const dmUrl = pa.url();
    expect(await textOf(pa.locator('h1'))).toBe(bName);
    await connected(pa);

    // B waits on the same conversation; A writes.
    await pb.goto(dmUrl);
    await connected(pb);
    await mark(pa);
    await mark(pb);
    // Give both sockets their subscriptions before the first message.
    await pa.waitForTimeout(500);
    const text = words.tag === 'ja' ? '明日の説明会、会場は本社の3階です。' : 'The briefing tomorrow is on the third floor.';
    await pa.getByLabel(words.message, { exact: true }).fill(text);
    await pa.getByRole('button', { name: words.send, exact: true }).click();
    // A's own message is confirmed by the server (it has its seq) without leaving the page.
    await pa.locator('#m1 .chat-body').waitFor();
    expect(await textOf(pa.locator('#m1 .chat-body'))).toBe(text);
    expect(await pa.locator('.chat-message-pending').count()).toBe(0);
    expect(await pa.getByLabel(words.message, { exact: true }).inputValue()).toBe('');

    // B sees it live, and reading it sends 既読 back to A.
    await pb.locator('#m1 .chat-body').waitFor();
    expect(await textOf(pb.locator('#m1 .chat-body'))).toBe(text);
    expect(await textOf(pb.locator('#m1 .chat-author'))).toBe(aName);
    await pa.locator('#m1 .chat-read:not([hidden])').waitFor();
    expect(await textOf(pa.locator('#m1 .chat-read'))).toBe(words.read);

    // B types: A sees who is typing; B answers, A receives it live too.
    await pb.getByLabel(words.message, { exact: true }).pressSequentially(words.tag === 'ja' ? '了解です' : 'Thanks');
    await pa.getByText(words.typing(bName)).waitFor();
    await pb.getByRole('button', { name: words.send, exact: true }).click();
    await pa.locator('#m2 .chat-body').waitFor();
    await pb.locator('#m2 .chat-read:not([hidden])').waitFor();
    expect([await marked(pa), await marked(pb)]).toEqual([true, true]);
    // Both have read everything: no unread badge in either phone's header.
    for (const p of [pa, pb]) await p.locator('a.header-badge-compact[href="/chat"]').waitFor({ state: 'hidden' });
    await screenshot(pa, `chat-dm-phone-${words.tag}-sender`);
    await screenshot(pb, `chat-dm-phone-${words.tag}-reader`);

    // A goes to the list; a new message from B raises the unread count and the header badge without a reload.
    await pa.goto(`${base}/chat`);
    await scripted(pa);
    await mark(pa);
    await pa.waitForTimeout(500);
    await pb.getByLabel(words.message, { exact: true }).fill(words.tag === 'ja' ? 'あと、資料も持ってきてください。' : 'Please bring the handouts too.');
    await pb.getByRole('button', { name: words.send, exact: true }).click();
    const dmId = new URL(dmUrl).pathname.split('/').pop();
    await pa.locator(`li[data-conversation="${dmId}"] .chat-unread:not([hidden])`).waitFor();
    expect(await textOf(pa.locator(`li[data-conversation="${dmId}"] .chat-unread`))).toBe('1');
    await pa.locator('a.header-badge-compact[href="/chat"] .header-badge-count').waitFor();
    expect(await textOf(pa.locator('a.header-badge-compact[href="/chat"] .header-badge-count'))).toBe('1');
    expect(await marked(pa)).toBe(true);
    await screenshot(pa, `chat-list-phone-${words.tag}`);

    // The other pages, as a phone shows them.
    const channel = await buildChannel(run, operator.viewer, { nameJa: '子育てと仕事', nameEn: 'Parenting and work' }, [a.viewer, b.viewer]);
    for (let i = 1; i <= 55; i++) await sendMessage(run, i % 2 ? a.viewer : b.viewer, channel, words.tag === 'ja' ? `保育園の話 その${i}` : `Nursery talk ${i}`);
    const group = await buildGroup(run, a.viewer, { name: words.tag === 'ja' ? '2015年入社同期' : 'Class of 2015', listed: false }, [b.viewer]);
    await pa.goto(`${base}/chat/c/${channel}`);
    await connected(pa);
    // "Older messages" loads in place.
    await mark(pa);
    await pa.getByRole('link', { name: words.older }).click();
    await pa.locator('#m1').waitFor();
    expect(await marked(pa)).toBe(true);
    await screenshot(pa, `chat-channel-phone-${words.tag}`);
    for (const [path, name] of [
      ['/chat/channels', 'channels'],
      ['/chat/groups', 'groups'],
      ['/chat/groups/new', 'group-new'],
      [`/chat/c/${group}/settings`, 'group-settings'],
      ['/chat/settings', 'settings'],
    ]) {
      await pa.goto(`${base}${path}`);
      await screenshot(pa, `chat-${name}-phone-${words.tag}`);
    }
    await pa.context().close();
    await pb.context().close();
  }

  it('delivers a DM live and shows 既読 in Japanese', async () => {
    const hanako = await buildMember(em.fork(), { status: 'alumni', familyName: '佐藤', givenName: '花子', familyNameKana: 'サトウ', givenNameKana: 'ハナコ' });
    const ken = await buildMember(em.fork(), { status: 'employee', familyName: '鈴木', givenName: '健', familyNameKana: 'スズキ', givenNameKana: 'ケン' });
    await journey(JA, hanako, ken);
  });

  it('delivers a DM live and shows Read in English', async () => {
    const emma = await buildMember(em.fork(), { status: 'alumni', familyName: 'Clark', givenName: 'Emma', familyNameKana: 'クラーク', givenNameKana: 'エマ' });
    const taro = await buildMember(em.fork(), { status: 'employee', familyName: '田中', givenName: '太郎', familyNameKana: 'タナカ', givenNameKana: 'タロウ' });
    await journey(EN, emma, taro);
    const op = await phone(EN, operator);
    await op.goto(`${base}/admin/chat`);
    await screenshot(op, 'chat-admin-phone-en');
    await op.context().close();
  });
});
