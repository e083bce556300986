import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser, Page } from 'playwright-core';
import { ApplyRosterImportCommand } from '@modules/membership/application/roster-import';
import { screenshot, startBrowserApp } from '../support/browser';
import { buildMember, type BuiltMember } from '../factories/member.factory';

const FIXTURES = join(__dirname, '..', '..', 'src', 'modules', 'membership', 'roster', 'fixtures');

/** An HR admin imports the roster in Chromium: upload, preview, confirm, watch the progress, read the result. */
jest.setTimeout(90_000);

describe('HR roster import in the browser (Chromium)', () => {
  let app: NestExpressApplication;
  let browser: Browser;
  let base: string;
  let em: EntityManager;
  let admin: BuiltMember;

  beforeAll(async () => {
    ({ app, browser, base, em } = await startBrowserApp());
    admin = await buildMember(em.fork(), { status: 'employee', role: 'admin', familyName: '人事', givenName: '花子', familyNameKana: 'ジンジ', givenNameKana: 'ハナコ' });
    await buildMember(em.fork(), { status: 'employee', email: 'ichiro.sato@example.co.jp', familyName: '佐藤', givenName: '一郎' });
    await buildMember(em.fork(), { status: 'alumni', email: 'misaki.tanaka@example.co.jp', familyName: '田中', givenName: '美咲' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signedIn(locale: 'ja-JP' | 'en-GB'): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${base}/login`);
    await page.getByLabel(/メールアドレス|E-mail address/).fill(admin.email);
    await page.getByLabel(/^パスワード|^Password/).fill(admin.password);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: /ログインする|Sign in/ }).click()]);
    return page;
  }

  const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  it('imports a roster with a preview, live progress and a result (Japanese)', async () => {
    const page = await signedIn('ja-JP');
    await page.goto(`${base}/admin`);
    await Promise.all([page.waitForURL(/\/admin\/roster-imports$/), page.getByRole('link', { name: '人事データ取込' }).click()]);
    await screenshot(page, 'roster-import-upload-ja');

    // Choosing nothing brings the form back with its message.
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.getByRole('button', { name: 'プレビューする' }).click()]);
    await page.waitForURL(/\/admin\/roster-imports$/);
    expect(await text(page, '#f-file-error')).toBe('取り込むCSVファイルを選んでください。');

    await page.getByLabel(/社員名簿（CSVファイル）/).setInputFiles(join(FIXTURES, 'roster-utf8-lf.csv'));
    await Promise.all([page.waitForURL(/\/admin\/roster-imports\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'プレビューする' }).click()]);
    const importId = page.url().split('/').pop() as string;
    expect(await text(page, '#roster-state')).toBe('確認待ち');
    expect(await text(page, '[data-kind="invite"] .num')).toBe('1');
    expect(await text(page, '[data-kind="leave"] .num')).toBe('1');
    expect(await page.locator('#roster-changes tbody tr').count()).toBe(4);
    await screenshot(page, 'roster-import-preview-ja');

    await Promise.all([page.waitForLoadState('domcontentloaded'), page.getByRole('button', { name: '取込を確定する' }).click()]);
    await page.waitForSelector('#roster-progress');
    expect(await text(page, '#roster-state')).toBe('開始待ち');
    await screenshot(page, 'roster-import-queued-ja');

    // The worker's job, paused half-way so that the page can be seen while it runs.
    let shot = false;
    await RequestContext.create(em.fork(), () =>
      app.get(CommandBus).execute(
        new ApplyRosterImportCommand(importId, {
          batchSize: 2,
          onProgress: async (done) => {
            if (done !== 2 || shot) return;
            shot = true;
            // The page refreshes itself (meta refresh) and shows the rows done so far.
            await page.locator('#roster-progress[value="2"]').waitFor({ timeout: 10_000 });
            expect(await text(page, '#roster-progress-text')).toBe('4行のうち2行を処理しました（50%）。');
            expect(await text(page, '#roster-state')).toBe('取込中');
            await screenshot(page, 'roster-import-running-ja');
          },
        }),
      ),
    );
    expect(shot).toBe(true);

    // It refreshes on its own until the result is there.
    await page.waitForSelector('#roster-result', { timeout: 10_000 });
    expect(await text(page, '#roster-result')).toBe('取込が完了しました。');
    expect(await page.locator('#roster-progress').count()).toBe(0);
    await screenshot(page, 'roster-import-result-ja');

    await page.goto(`${base}/admin/roster-imports`);
    expect(await text(page, '#roster-imports tbody tr td:nth-child(3)')).toBe('完了');
    await screenshot(page, 'roster-import-list-ja');
    await page.context().close();
  });

  it('shows the problems of a bad file (English)', async () => {
    const page = await signedIn('en-GB');
    await page.goto(`${base}/admin/roster-imports`);
    expect(await text(page, 'h1')).toBe('HR roster import');
    await page.getByText('File format').click();
    await screenshot(page, 'roster-import-upload-en');

    await page.getByLabel(/Staff roster \(CSV file\)/).setInputFiles(join(FIXTURES, 'roster-cp932-crlf.csv'));
    await Promise.all([page.waitForURL(/\/admin\/roster-imports\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Preview' }).click()]);
    expect(await text(page, '#roster-issues tbody tr')).toBe('6 Leaving date "2024-02-30" is not a valid date. Please enter a real date such as 2024-04-01 or 2024/4/1.');
    expect(await page.getByRole('button', { name: 'Confirm the import' }).count()).toBe(0);
    await screenshot(page, 'roster-import-issues-en');

    await Promise.all([page.waitForURL(/\/admin\/roster-imports$/), page.getByRole('button', { name: 'Discard this preview' }).click()]);
    expect(await text(page, '.flash')).toBe('The preview has been discarded.');
    await screenshot(page, 'roster-import-list-en');
    await page.context().close();
  });
});
