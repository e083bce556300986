import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommandBus } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import type { Browser } from 'playwright-core';
import { RegisterForEventCommand } from '@modules/events/contracts';
import type { Profile } from '@modules/membership/domain/profile.entity';
import { SiteNotifier } from '@modules/notifications/application/site-notifications';
import { buildEvent } from '../factories/event.factory';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { renderedFonts, screenshot, signInAs, startBrowserApp, textOf } from '../support/browser';

jest.setTimeout(120_000);

/** A member's home page in Chromium, in Japanese and English, on a phone (390×844) and a desktop. */
describe('member home page in the browser (Chromium)', () => {
  let app: NestExpressApplication;
  let browser: Browser;
  let base: string;
  let em: EntityManager;
  const members: Record<'ja' | 'en', BuiltMember> = {} as never;

  const basics = (department: string, joined: number, left: number | null) => (p: Profile) =>
    p.updateBasicInfo({ familyName: p.familyName, givenName: p.givenName, familyNameKana: p.familyNameKana, givenNameKana: p.givenNameKana, lastDepartment: department, joinedYear: joined, leftYear: left });

  beforeAll(async () => {
    ({ app, browser, base, em } = await startBrowserApp());
    for (const locale of ['ja', 'en'] as const) {
      members[locale] = await buildMember(em.fork(), { status: 'alumni', familyName: '青木', givenName: locale === 'ja' ? '美咲' : '花', profile: basics('営業部', 2008, 2020) });
      if (locale === 'en') await em.fork().execute(`update membership.member set locale = 'en' where id = ?`, [members.en.member.id]);
    }
    for (const [family, given, department, joined, left] of [
      ['佐藤', '健', '営業部', 2012, 2024],
      ['鈴木', '花子', '開発本部', 2008, null],
      ['高橋', '翔', '人事部', 2001, 2020],
    ] as const) {
      await buildMember(em.fork(), { status: left ? 'alumni' : 'employee', familyName: family, givenName: given, profile: (p) => { basics(department, joined, left)(p); p.updateAfterCareer({ currentCompany: left ? '株式会社みらい商事' : null }); } });
    }
    const party = await buildEvent(em.fork(), { title: '年末懇親会（東京）', inDays: 8, capacity: 1 });
    await buildEvent(em.fork(), { title: 'キャリア勉強会（オンライン）', format: 'online', inDays: 15 });
    await buildEvent(em.fork(), { title: 'ファミリーデー 2027', category: 'family-day', inDays: 30, capacity: null });
    await buildEvent(em.fork(), { title: '在籍社員向け説明会', visibility: 'employees', inDays: 9 });
    const someone = await buildMember(em.fork(), { status: 'alumni', familyName: '先着', givenName: '一人' });
    const commands = app.get(CommandBus);
    await RequestContext.create(em.fork(), () => commands.execute(new RegisterForEventCommand(someone.viewer, party.id)));
    for (const m of Object.values(members)) {
      await RequestContext.create(em.fork(), () => commands.execute(new RegisterForEventCommand(m.viewer, party.id)));
      await em.fork().transactional((tx) =>
        SiteNotifier.notify(tx, {
          memberId: m.member.id,
          kind: 'registration-waitlisted',
          params: { title: party.title, startsAt: party.startsAt.toISOString() },
          link: `/events/${party.id}`,
          dedupeKey: `home-browser:${m.member.id}`,
        }),
      );
    }
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('draws Japanese text in a Japanese font, so that the screenshots show it (not empty boxes)', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await signInAs(page, base, members.ja.email, members.ja.password);
    await page.goto(`${base}/`);
    const fonts = await renderedFonts(page, 'h1');
    // The Japanese letters of the greeting (a name and さん、こんにちは) come from a font with Japanese glyphs; spaces may
    // come from another. Without one, Chromium draws them all in its Latin fallback, as empty boxes.
    const japanese = [...((await page.locator('h1').textContent()) ?? '')].filter((c) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}、]/u.test(c)).length;
    expect(japanese).toBeGreaterThan(5);
    const drawnInJapanese = fonts.filter((f) => /CJK|JP|IPA|Takao|VL |Gothic|Mincho|Source Han|Droid Sans Fallback/.test(f.familyName)).reduce((n, f) => n + f.glyphCount, 0);
    expect({ drawnInJapanese, fonts }).toMatchObject({ drawnInJapanese: japanese });
    await context.close();
  });

  for (const locale of ['ja', 'en'] as const) {
    for (const [device, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
      it(`shows the profile prompt, notifications, events and new members (${locale}, ${device})`, async () => {
        const context = await browser.newContext({ locale: locale === 'ja' ? 'ja-JP' : 'en-GB', viewport });
        const page = await context.newPage();
        await signInAs(page, base, members[locale].email, members[locale].password);
        await page.goto(`${base}/`);
        expect(await textOf(page.locator('[data-block="profile"] .home-progress-value'))).toMatch(locale === 'ja' ? /^\d+% 入力済み$/ : /^\d+% complete$/);
        expect(await textOf(page.locator('[data-block="events"] .home-events-mine'))).toContain('年末懇親会（東京）');
        expect(await textOf(page.locator('[data-block="events"] .home-events-mine'))).toMatch(locale === 'ja' ? /キャンセル待ち \d 番目/ : /Waitlist: No\. \d/);
        expect(await page.locator('[data-block="events"]').textContent()).not.toContain('在籍社員向け説明会');
        expect(await textOf(page.locator('[data-block="notifications"] .home-item'))).toContain('年末懇親会（東京）');
        expect(await textOf(page.locator('[data-block="recent-members"]'))).toContain('佐藤 健');
        // Nothing sticks out sideways on a phone.
        const overflow = await page.locator('html').evaluate((html) => html.scrollWidth - html.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await screenshot(page, `home-member-${locale}-${device}`);
        await context.close();
      });
    }
  }
});
