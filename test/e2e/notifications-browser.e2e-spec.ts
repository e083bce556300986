import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, Page } from 'playwright-core';
import { SiteNotifier } from '@modules/notifications/application/site-notifications';
import { NOTIFICATIONS_PAGE_SIZE } from '@modules/notifications/contracts';
import { buildEvent } from '../factories/event.factory';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { screenshot, signInAs, startBrowserApp } from '../support/browser';

jest.setTimeout(90_000);

/** The bell and the notifications page in Chromium, in Japanese and English. */
describe('notifications in the browser (Chromium)', () => {
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

  async function seed(member: BuiltMember): Promise<void> {
    const party = await buildEvent(em.fork(), { title: '年末懇親会（東京）', startsAt: new Date('2026-12-18T10:00:00Z') });
    const seminar = await buildEvent(em.fork(), { title: 'キャリア勉強会', startsAt: new Date('2027-01-20T10:00:00Z') });
    const notices = [
      { kind: 'registration-confirmed', event: seminar },
      { kind: 'event-changed', event: seminar, params: { changed: 'startsAt,place' } },
      { kind: 'registration-promoted', event: party },
      { kind: 'reminder-24h', event: party },
    ];
    await em.fork().transactional(async (tx) => {
      for (const [i, n] of notices.entries()) {
        await SiteNotifier.notify(tx, {
          memberId: member.member.id,
          kind: n.kind,
          params: { title: n.event.title, startsAt: n.event.startsAt.toISOString(), ...n.params },
          link: `/events/${n.event.id}`,
          dedupeKey: `browser:${member.member.id}:${i}`,
        });
      }
    });
    // One already read.
    await em.fork().execute(`update notifications.notification set read_at = now() where member_id = ? and kind = 'registration-confirmed'`, [member.member.id]);
  }

  const signIn = (page: Page, email: string, password: string) => signInAs(page, base, email, password);

  for (const locale of ['ja', 'en'] as const) {
    it(`shows the bell with its count and the list (${locale})`, async () => {
      const member = await buildMember(em.fork(), { status: 'alumni', familyName: '青木', givenName: '美咲' });
      if (locale === 'en') await em.fork().execute(`update membership.member set locale = 'en' where id = ?`, [member.member.id]);
      await seed(member);
      const context = await browser.newContext({ locale: locale === 'ja' ? 'ja-JP' : 'en-GB', viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await signIn(page, member.email, member.password);

      await page.goto(`${base}/`);
      const bell = page.getByRole('link', { name: locale === 'ja' ? '通知 (3)' : 'Notifications (3)' });
      await bell.waitFor();
      await page.locator('.site-header').screenshot({ path: `test-results/screenshots/notifications-bell-${locale}.png` });
      // On a phone the menu is folded away, and the unread count stays in sight next to its button.
      await page.setViewportSize({ width: 390, height: 800 });
      await expect(page.locator('.header-badge-compact').isVisible()).resolves.toBe(true);
      await expect(page.locator('#site-nav').isVisible()).resolves.toBe(false);
      await page.locator('.site-header').screenshot({ path: `test-results/screenshots/notifications-bell-phone-${locale}.png` });
      await page.setViewportSize({ width: 1280, height: 800 });

      await bell.click();
      await page.waitForURL(`${base}/notifications`);
      expect(await page.locator('.notification-unread').count()).toBe(3);
      expect(await page.locator('.notification').count()).toBe(4);
      await expect(page.getByRole('link', { name: locale === 'ja' ? /明日開催: 「年末懇親会（東京）」/ : /Tomorrow: "年末懇親会（東京）"/ }).count()).resolves.toBe(1);
      // Once the list has opened, its script marks what it shows as read (a POST) and the bell has no count left.
      await page.locator('a.header-badge .header-badge-count').first().waitFor({ state: 'detached' });
      expect(await page.getByRole('link', { name: locale === 'ja' ? '通知' : 'Notifications', exact: true }).count()).toBe(1);
      await screenshot(page, `notifications-list-${locale}`);

      await page.setViewportSize({ width: 390, height: 800 });
      await page.reload();
      await screenshot(page, `notifications-list-phone-${locale}`);
      await context.close();
    });
  }

  it('keeps the bell\'s accessible name at the count left when more are unread than the page shows', async () => {
    const member = await buildMember(em.fork(), { status: 'alumni', familyName: '多田', givenName: '通' });
    const event = await buildEvent(em.fork(), { title: '新年会', startsAt: new Date('2027-01-10T10:00:00Z') });
    const unread = NOTIFICATIONS_PAGE_SIZE + 3;
    await em.fork().transactional(async (tx) => {
      for (let i = 0; i < unread; i++) {
        await SiteNotifier.notify(tx, {
          memberId: member.member.id,
          kind: 'event-changed',
          params: { title: event.title, startsAt: event.startsAt.toISOString(), changed: 'place' },
          link: `/events/${event.id}`,
          dedupeKey: `browser-many:${member.member.id}:${i}`,
        });
      }
    });
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, member.email, member.password);
    await page.goto(`${base}/notifications`);
    // The shown page is marked read; the badge and its name both say how many are left.
    await page.getByRole('link', { name: '通知 (3)' }).waitFor();
    expect(await page.locator('.site-nav a.header-badge .header-badge-count').textContent()).toBe('3');
    expect(await page.locator('.header-badge-compact').getAttribute('aria-label')).toBe('通知 (3)');
    await context.close();
  });
});
