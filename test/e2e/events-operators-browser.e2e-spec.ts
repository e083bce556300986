import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommandBus } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RegisterForEventCommand } from '@modules/events/contracts';
import { screenshot, signInAs, startBrowserApp } from '../support/browser';
import { buildMember, type BuiltMember } from '../factories/member.factory';

/** An operator in a real browser: creates and publishes an event, reads the attendees, checks people in on a phone. */
jest.setTimeout(90_000);

/** Local date-time in Asia/Tokyo, `days` from now, at `time`. */
function tokyo(days: number, time: string): string {
  const date = new Date(Date.now() + days * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
  return `${date}T${time}`;
}

describe('operators run events in the browser (Chromium)', () => {
  let app: NestExpressApplication;
  let browser: Browser;
  let base: string;
  let operator: BuiltMember;
  const guests: BuiltMember[] = [];

  beforeAll(async () => {
    let em: EntityManager;
    ({ app, browser, base, em } = await startBrowserApp());
    operator = await buildMember(em.fork(), { status: 'alumni', role: 'operator', familyName: '運営', givenName: '太郎', familyNameKana: 'ウンエイ', givenNameKana: 'タロウ' });
    for (const [family, given] of [['田中', '美咲'], ['佐藤', '健'], ['鈴木', '花子'], ['高橋', '翔'], ['伊藤', '葵'], ['渡辺', '結衣']]) {
      guests.push(await buildMember(em.fork(), { status: 'alumni', familyName: family, givenName: given }));
    }
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function newPage(locale = 'ja-JP', width = 1280, height = 900): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale, viewport: { width, height }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    return { context, page };
  }

  const signIn = (page: Page) => signInAs(page, base, operator.email, operator.password);

  async function clickAndWait(page: Page, name: string | RegExp) {
    await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.getByRole('button', { name, exact: typeof name === 'string' }).click()]);
  }

  async function register(eventId: string, guest: BuiltMember, companions = 0) {
    const orm = app.get(MikroORM);
    await RequestContext.create(orm.em.fork(), () => app.get(CommandBus).execute(new RegisterForEventCommand(guest.viewer, eventId, companions)));
  }

  it('creates, publishes, lists attendees and checks in on a phone, in Japanese and English', async () => {
    const { context, page } = await newPage();
    await signIn(page);

    await page.goto(`${base}/admin`);
    await Promise.all([page.waitForNavigation(), page.locator('.admin-menu').getByRole('link', { name: 'イベント' }).click()]);
    expect(await page.locator('h1').innerText()).toBe('イベント管理');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '新しいイベントを作成' }).click()]);
    expect(await page.locator('#f-timeZone option:checked').innerText()).toBe('日本標準時 (Asia/Tokyo)');

    // A first attempt with mistakes: every message at its field, what was typed kept.
    await page.getByLabel('タイトル').fill('ファミリーデー（夏祭り）');
    await page.getByLabel('カテゴリ').selectOption('family-day');
    await page.getByLabel('主催者').fill('運営事務局');
    await page.getByLabel('開始日時').fill(tokyo(10, '10:00'));
    await page.getByLabel('終了日時').fill(tokyo(10, '09:00'));
    await page.getByLabel('開催形式').selectOption('hybrid');
    await page.getByLabel('参加費（円）').fill('500');
    await page.getByLabel('定員（同伴者を含む席数）').fill('6');
    await page.getByLabel('同伴者の上限（1申込あたり）').fill('3');
    await clickAndWait(page, '下書きとして保存');
    expect(await page.locator('#f-endsAt-error').innerText()).toBe('終了日時は開始日時より後にしてください。');
    expect(await page.locator('#f-place-error').innerText()).toBe('会場開催・ハイブリッドのイベントには会場を入力してください。');
    expect(await page.locator('#f-onlineUrl-error').innerText()).toBe('オンライン・ハイブリッドのイベントには参加URLを入力してください。');
    expect(await page.locator('#f-paymentNote-error').innerText()).toBe('有料のイベントには支払方法の案内を入力してください。');
    expect(await page.getByLabel('タイトル').inputValue()).toBe('ファミリーデー（夏祭り）');
    await screenshot(page, 'events-admin-form-errors-ja');

    await page.getByLabel('終了日時').fill(tokyo(10, '15:00'));
    await page.getByLabel('会場（名称・住所）').fill('本社 中庭');
    await page.getByLabel('オンライン参加URL').fill('https://meet.example.jp/family-day');
    await page.getByLabel('支払方法の案内').fill('大人お一人500円を当日受付でお支払いください。');
    await page.getByLabel('説明').fill('ご家族と一緒に楽しめる縁日を用意しています。\n\n- 工作コーナー\n- かき氷');
    await clickAndWait(page, '下書きとして保存');
    expect(await page.locator('.flash-success').innerText()).toContain('下書きを作成しました');
    const eventId = /\/admin\/events\/([0-9a-f-]{36})\/edit/.exec(page.url())![1];
    await clickAndWait(page, '公開する');
    expect(await page.locator('.flash-success').innerText()).toBe('イベントを公開しました。');
    await screenshot(page, 'events-admin-edit-ja');

    // Members register: four parties fill the seats, two wait.
    await register(eventId, guests[0], 2);
    await register(eventId, guests[1]);
    await register(eventId, guests[2], 1);
    await register(eventId, guests[3]);
    await register(eventId, guests[4]);
    await register(eventId, guests[5]);

    await page.goto(`${base}/admin/events`);
    expect(await page.locator('tbody tr').first().locator('td').nth(3).innerText()).toBe('3名（6 / 6席）');
    await screenshot(page, 'events-admin-list-ja');
    await page.goto(`${base}/admin/events/${eventId}/attendees`);
    const rows: string[][] = [];
    for (const tr of await page.locator('tbody tr').all()) rows.push((await tr.locator('td').allInnerTexts()).slice(1, 5).map((cell) => cell.trim()));
    expect(rows).toEqual([
      ['田中 美咲', '2名', '参加確定', '—'],
      ['佐藤 健', '—', '参加確定', '—'],
      ['鈴木 花子', '1名', '参加確定', '—'],
      ['高橋 翔', '—', 'キャンセル待ち', '1番目'],
      ['伊藤 葵', '—', 'キャンセル待ち', '2番目'],
      ['渡辺 結衣', '—', 'キャンセル待ち', '3番目'],
    ]);
    await screenshot(page, 'events-admin-attendees-ja');
    await context.close();

    // On the day, on a phone: search by name, tap to check in.
    const phone = await newPage('ja-JP', 390, 844);
    await signIn(phone.page);
    await phone.page.goto(`${base}/admin/events/${eventId}/check-in`);
    expect(await phone.page.locator('.checkin-progress').innerText()).toBe('チェックイン 0 / 3名');
    expect(await phone.page.locator('.checkin-item').count()).toBe(3);
    await phone.page.getByLabel('名前で探す').fill('佐藤');
    await clickAndWait(phone.page, '検索');
    expect(await phone.page.locator('.checkin-name').allInnerTexts()).toEqual(['佐藤 健']);
    const button = phone.page.getByRole('button', { name: 'チェックイン: 佐藤 健' });
    const box = await button.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await Promise.all([phone.page.waitForNavigation(), button.click()]);
    expect(await phone.page.locator('.checkin-progress').innerText()).toBe('チェックイン 1 / 3名');
    expect(await phone.page.locator('.checkin-done .checkin-state').innerText()).toMatch(/^✓ チェックイン済み（\d{2}:\d{2}）$/);
    expect(await phone.page.getByLabel('名前で探す').inputValue()).toBe('佐藤');
    await screenshot(phone.page, 'events-admin-check-in-phone-ja');
    await phone.page.goto(`${base}/admin/events/${eventId}/check-in`);
    await Promise.all([phone.page.waitForNavigation(), phone.page.getByRole('button', { name: 'チェックイン: 田中 美咲' }).click()]);
    await screenshot(phone.page, 'events-admin-check-in-phone-all-ja');

    // The same pages in English (the menu opens first on a phone).
    await phone.page.getByRole('button', { name: 'メニュー' }).click();
    await clickAndWait(phone.page, 'English');
    expect(await phone.page.locator('.checkin-progress').innerText()).toBe('Checked in 2 / 3');
    expect(await phone.page.getByRole('button', { name: 'Undo: 田中 美咲' }).count()).toBe(1);
    await screenshot(phone.page, 'events-admin-check-in-phone-en');
    await phone.context.close();

    const en = await newPage('en-GB');
    await signIn(en.page);
    // Switching on the phone made English the operator's language.
    await en.page.goto(`${base}/admin/events`);
    expect(await en.page.locator('h1').innerText()).toBe('Events');
    await screenshot(en.page, 'events-admin-list-en');
    await en.page.goto(`${base}/admin/events/${eventId}/attendees`);
    expect(await en.page.locator('.event-stats').innerText()).toContain('2 (4 people with companions)');
    await screenshot(en.page, 'events-admin-attendees-en');
    await en.page.goto(`${base}/admin/events/${eventId}/edit`);
    await en.page.getByLabel('Capacity (seats, companions included)').fill('4');
    await clickAndWait(en.page, 'Save changes');
    expect(await en.page.locator('#f-capacity-error').innerText()).toBe('6 seats are already confirmed: the capacity cannot be less than 6.');
    await screenshot(en.page, 'events-admin-edit-error-en');
    await en.page.goto(`${base}/admin/events/new`);
    await screenshot(en.page, 'events-admin-form-en');
    await en.context.close();
  });
});
