import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, Page } from 'playwright-core';
import { buildEvent } from '../factories/event.factory';
import { buildMember } from '../factories/member.factory';
import { screenshot, startBrowserApp } from '../support/browser';

jest.setTimeout(60_000);

/** A member on a phone finds an event, registers with companions, joins a waitlist and subscribes to the feed. */
describe('events in the browser (Chromium, phone width)', () => {
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
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel(/メールアドレス|E-mail address/).fill(email);
    await page.getByLabel(/^パスワード|^Password/).fill(password);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: /ログインする|Sign in/ }).click()]);
    return page;
  }

  it('registers for a family day with companions, waitlists when full, and shows the feed URL (ja and en)', async () => {
    const hanako = await buildMember(em.fork(), { status: 'alumni', familyName: '佐藤', givenName: '花子' });
    const ken = await buildMember(em.fork(), { status: 'employee', familyName: '鈴木', givenName: '健' });
    const family = await buildEvent(em.fork(), {
      title: '秋のファミリーデー 2026',
      category: 'family-day',
      inDays: 12,
      capacity: 4,
      maxCompanions: 3,
      feeYen: 1500,
      paymentNote: '当日受付で現金でお支払いください',
      place: '東京都港区 本社 1階 カフェテリア',
      description: '## 内容\n\nお子さま向けの**職場見学**と、社員食堂でのランチ。\n\n- 受付 10:00\n- 見学 10:30\n- ランチ 12:00',
      notes: '動きやすい服装でお越しください。',
      publishedAt: new Date(),
    });
    await buildEvent(em.fork(), { title: 'オンライン交流会（12月）', category: 'online-meetup', format: 'online', inDays: 20, onlineUrl: 'https://meet.example.jp/x', place: null });
    await buildEvent(em.fork(), { title: '春のボランティア清掃', category: 'volunteer', inDays: -40 });

    const page = await phone('ja-JP', hanako.email, hanako.password);
    await page.goto(`${base}/events`);
    await page.locator('h1', { hasText: 'イベント' }).waitFor();
    expect(await page.locator('.event-entry').count()).toBe(2);
    expect(await page.locator('.event-entry .badge', { hasText: 'NEW' }).count()).toBe(1);
    await screenshot(page, 'events-list-phone-ja');

    await page.getByLabel('カテゴリ').selectOption('family-day');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '絞り込む' }).click()]);
    expect(await page.locator('.event-entry').count()).toBe(1);

    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '秋のファミリーデー 2026' }).click()]);
    expect(await page.locator('.event-description strong').textContent()).toBe('職場見学');
    await page.getByLabel('同伴者の人数').selectOption('2');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '参加を申し込む' }).click()]);
    expect(await page.locator('.flash-success').first().textContent()).toContain('参加を受け付けました');
    expect(await page.locator('#registration').textContent()).toContain('同伴者2名');
    await screenshot(page, 'event-detail-confirmed-phone-ja');

    // A family of three does not fit in the one seat left: the waitlist, with its place.
    const en = await phone('en-GB', ken.email, ken.password);
    await en.goto(`${base}/events/${family.id}`);
    await en.getByLabel('Companions').selectOption('2');
    await Promise.all([en.waitForNavigation(), en.getByRole('button', { name: 'Register' }).click()]);
    expect(await en.locator('#registration').textContent()).toContain('You are number 1 on the waitlist');
    await screenshot(en, 'event-detail-waitlisted-phone-en');
    await en.goto(`${base}/events`);
    await screenshot(en, 'events-list-phone-en');

    // Hanako cancels: Ken's family moves up.
    await page.once('dialog', (d) => d.accept());
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '申込みを取り消す' }).click()]);
    expect(await page.locator('.flash-success').first().textContent()).toContain('申込みを取り消しました');
    await en.goto(`${base}/events/${family.id}`);
    expect(await en.locator('#registration').textContent()).toContain('You are registered.');

    // The personal calendar feed.
    await en.goto(`${base}/account/calendar`);
    await Promise.all([en.waitForNavigation(), en.getByRole('button', { name: 'Create a feed address' }).click()]);
    const url = await en.locator('#feed-url').inputValue();
    expect(url).toMatch(/^http:\/\/kizuna\.test\/calendar\/feed\/[\w-]+\.ics$/);
    await screenshot(en, 'calendar-feed-phone-en');
    await page.goto(`${base}/account/calendar`);
    await screenshot(page, 'calendar-feed-phone-ja');

    // The time zone on the account page.
    await en.goto(`${base}/account`);
    await en.getByLabel('Show times in').selectOption('Europe/London');
    await Promise.all([en.waitForNavigation(), en.getByRole('button', { name: 'Save time zone' }).click()]);
    await en.goto(`${base}/events/${family.id}`);
    expect(await en.locator('main').textContent()).toContain('United Kingdom Time');
    await screenshot(en, 'event-detail-london-phone-en');
    await page.goto(`${base}/events?tab=past`);
    await screenshot(page, 'events-past-phone-ja');
  });
});
