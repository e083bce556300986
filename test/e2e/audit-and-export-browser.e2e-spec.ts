import { readFileSync } from 'node:fs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { screenshot, signInAs, startBrowserApp, submitWith } from '../support/browser';
import { buildMember, type BuiltMember } from '../factories/member.factory';

/** An HR admin in a real browser: sees a member's contact details, exports the list, reads the audit log. */
jest.setTimeout(60_000);

describe('audit log and CSV export in the browser (Chromium)', () => {
  let app: NestExpressApplication;
  let browser: Browser;
  let base: string;
  let admin: BuiltMember;
  let misaki: BuiltMember;

  beforeAll(async () => {
    let em: EntityManager;
    ({ app, browser, base, em } = await startBrowserApp());
    admin = await buildMember(em.fork(), { status: 'employee', role: 'admin', familyName: '人事', givenName: '花子', familyNameKana: 'ジンジ', givenNameKana: 'ハナコ' });
    const operator = await buildMember(em.fork(), { status: 'alumni', role: 'operator', familyName: '運営', givenName: '太郎', familyNameKana: 'ウンエイ', givenNameKana: 'タロウ' });
    misaki = await buildMember(em.fork(), {
      status: 'alumni',
      familyName: '田中',
      givenName: '美咲',
      familyNameKana: 'タナカ',
      givenNameKana: 'ミサキ',
      profile: (p) => {
        p.updateBasicInfo({
          familyName: '田中', givenName: '美咲', familyNameKana: 'タナカ', givenNameKana: 'ミサキ',
          lastDepartment: '人事部', contactEmail: 'misaki.private@example.net', contactPhone: '090-1234-5678', birthDate: '1988-05-01',
          location: '=1+2',
        });
        p.updateSkillsAndInterests({ skills: ['採用', '労務'], qualifications: [], interests: { business: [], hobby: [], volunteer: [] }, bio: null });
      },
    });
    for (const [family, kana] of [['佐藤', 'サトウ'], ['鈴木', 'スズキ'], ['高橋', 'タカハシ']] as const) {
      await buildMember(em.fork(), { status: 'employee', familyName: family, givenName: '健', familyNameKana: kana, givenNameKana: 'ケン' });
    }
    // The operator has looked at a profile before the admin arrives.
    const { context, page } = await newPage();
    await signIn(page, operator.email, operator.password);
    await page.goto(`${base}/members/${misaki.member.id}`);
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function newPage(locale = 'ja-JP', width = 1280): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale, viewport: { width, height: 900 }, acceptDownloads: true });
    return { context, page: await context.newPage() };
  }


  const signIn = (page: Page, email: string, password: string) => signInAs(page, base, email, password);

  const cells = (page: Page, row: number) => page.locator('tbody tr').nth(row).locator('td').allInnerTexts();

  it('an admin sees contact details, exports the list with its filters, and finds both in the audit log', async () => {
    const { context, page } = await newPage();
    await signIn(page, admin.email, admin.password);

    await page.goto(`${base}/members/${misaki.member.id}`);
    expect(await page.locator('main').innerText()).toContain('misaki.private@example.net');

    // The member list, filtered, with its export link.
    await page.goto(`${base}/admin/members?status=alumni`);
    const exportLink = page.getByRole('link', { name: 'CSVで出力' });
    expect(await exportLink.getAttribute('href')).toBe('/admin/members/export.csv?status=alumni');
    await screenshot(page, 'admin-members-export-ja');
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^members-\d{8}-\d{4}\.csv$/);
    const file = readFileSync((await download.path())!);
    expect(file.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = file.toString('utf8').slice(1).split('\r\n');
    expect(lines[0].startsWith('会員ID,姓,名,姓（カナ）,名（カナ）')).toBe(true);
    expect(lines.filter(Boolean)).toHaveLength(1 + 2); // header, the operator and 田中 美咲 (alumni)
    expect(lines.find((l) => l.includes('田中'))).toContain(",'=1+2,");

    // The audit log, from the console menu.
    await submitWith(page, page.locator('.admin-menu').getByRole('link', { name: '監査ログ' }));
    expect(await page.locator('h1').innerText()).toBe('監査ログ（個人情報の閲覧・出力）');
    expect((await cells(page, 0)).slice(1, 5)).toEqual(['人事 花子', '会員名簿のCSV出力', '複数の会員', 'ログイン用メールアドレス、現在の勤務先']);
    expect((await cells(page, 0))[5]).toContain('条件［ステータス：アルムナイ］');
    expect((await cells(page, 1)).slice(1, 5)).toEqual(['人事 花子', '制限付き項目の閲覧', '田中 美咲', '連絡先メールアドレス、連絡先電話番号、生年月日']);
    expect((await cells(page, 2)).slice(1, 5)).toEqual(['運営 太郎', '制限付き項目の閲覧', '田中 美咲', '連絡先メールアドレス、連絡先電話番号']);
    await screenshot(page, 'audit-log-ja');

    // Only the operator's views, by choosing the action and typing part of the name.
    await page.getByLabel('操作', { exact: true }).selectOption('profile.restricted-viewed');
    await page.getByLabel('操作した人').fill('運営');
    await submitWith(page, page.getByRole('button', { name: '検索' }));
    expect(await page.locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'audit-log-filtered-ja');

    // A range that ends before it starts: the message at the field, the values kept, no table.
    await page.getByLabel('期間（開始日）').fill('2026-11-02');
    await page.getByLabel('期間（終了日）').fill('2026-11-01');
    await submitWith(page, page.getByRole('button', { name: '検索' }));
    expect(await page.locator('#f-to-error').innerText()).toBe('開始より後の日付を入力してください。');
    expect(await page.getByLabel('操作した人').inputValue()).toBe('運営');
    expect(await page.locator('table').count()).toBe(0);
    await screenshot(page, 'audit-log-error-ja');

    // The same page in English, and on a phone.
    await submitWith(page, page.getByRole('button', { name: 'English' }));
    await page.goto(`${base}/admin/audit-log`);
    expect(await page.locator('h1').innerText()).toBe('Audit log (personal data viewed and exported)');
    expect((await cells(page, 0))[2]).toBe('Member list exported (CSV)');
    await screenshot(page, 'audit-log-en');
    await page.goto(`${base}/admin/members`);
    expect(await page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href')).toBe('/admin/members/export.csv');
    await screenshot(page, 'admin-members-export-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/admin/audit-log`);
    await screenshot(page, 'audit-log-phone-en');
    await context.close();
  });
});
