import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { screenshot, signInAs, startBrowserApp, submitWith, textOf } from '../support/browser';
import { buildMember } from '../factories/member.factory';

/** What a person does in a real browser: apply, confirm the address, get approved, fill in the profile. */
jest.setTimeout(60_000);

describe('in the browser (Chromium)', () => {
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

  async function newPage(locale = 'ja-JP'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    return { context, page: await context.newPage() };
  }



  const signIn = (page: Page, email: string, password: string) => signInAs(page, base, email, password);

  it('takes an applicant from the application form to an approved member with a profile', async () => {
    const operator = await buildMember(em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '一郎' });
    const colleague = await buildMember(em.fork(), { status: 'alumni', familyName: '同僚', givenName: '二郎' });
    const { context, page } = await newPage();

    await page.goto(base);
    await screenshot(page, 'home-guest-ja');
    expect(await page.textContent('h1')).toContain('ようこそ');
    await submitWith(page, page.getByRole('link', { name: '入会申請' }).first());

    await page.getByLabel(/^姓\s*必須$/).fill('佐藤');
    await page.getByLabel(/^名\s*必須$/).fill('花子');
    await page.getByLabel('姓（カナ）').fill('佐藤');
    await page.getByLabel('名（カナ）').fill('はなこ');
    await page.getByLabel(/^メールアドレス/).fill('hanako@example.jp');
    await page.getByLabel(/^パスワード/).fill('sakura-garden-2026');
    await page.getByLabel('最終所属部署').fill('人事部');
    await submitWith(page, page.getByRole('button', { name: '申請する' }));

    // The kana field written in kanji comes back with its message, the typed values kept.
    expect(await textOf(page.locator('#f-familyNameKana-error'))).toBe('カタカナまたはひらがなで入力してください。');
    expect(await page.inputValue('#f-familyName')).toBe('佐藤');
    await screenshot(page, 'apply-error-ja');

    await page.getByLabel('姓（カナ）').fill('サトウ');
    await page.getByLabel(/^パスワード/).fill('sakura-garden-2026');
    await submitWith(page, page.getByRole('button', { name: '申請する' }));
    expect(await textOf(page.locator('h1'))).toBe('申請を受け付けました');

    const mail = await em.fork().findOneOrFail(MailMessage, { to: 'hanako@example.jp' });
    const link = /http:\/\/kizuna\.test(\/verify-email\/[\w-]+)/.exec(mail.text)?.[1];
    await page.goto(`${base}${link}`);
    expect(await textOf(page.locator('.flash-success'))).toBe('メールアドレスを確認しました。');
    expect(await textOf(page.locator('h1'))).toBe('入会申請の状況');
    await screenshot(page, 'application-status-ja');

    const op = await newPage('en-US');
    await signIn(op.page, operator.email, operator.password);
    await op.page.goto(`${base}/admin/applications`);
    await screenshot(op.page, 'admin-applications-en');
    await submitWith(op.page, op.page.getByRole('link', { name: /佐藤 花子/ }));
    await submitWith(op.page, op.page.getByRole('button', { name: /Approve/ }));
    await op.page.locator('.flash-success').waitFor();
    await op.context.close();

    await page.goto(`${base}/profile/edit`);
    await page.getByLabel('スキル').fill('採用、人事制度設計, TypeScript');
    await page.getByLabel('自己紹介').fill('人事部で採用を担当していました。');
    await submitWith(page, page.locator('#skills').getByRole('button', { name: '保存する' }));
    expect(await textOf(page.locator('.flash-success'))).toBe('保存しました。');
    await screenshot(page, 'profile-edit-ja');

    await page.goto(`${base}/profile`);
    expect(await textOf(page.locator('h1'))).toBe('佐藤 花子');
    const profileUrl = page.url();

    const other = await newPage();
    await signIn(other.page, colleague.email, colleague.password);
    await other.page.goto(profileUrl);
    expect(await textOf(other.page.locator('h1'))).toBe('佐藤 花子');
    expect(await other.page.locator('body').textContent()).toContain('人事部で採用を担当していました。');
    await screenshot(other.page, 'profile-seen-by-member-ja');
    await other.context.close();

    expect(await textOf(page.locator('#skills .tags'))).toContain('人事制度設計');
    await screenshot(page, 'profile-ja');
    await context.close();
  });

  it('shows every main page in English when the member switches language', async () => {
    const admin = await buildMember(em.fork(), { status: 'employee', role: 'admin', familyName: '人事', givenName: '花子' });
    const { context, page } = await newPage();
    await signIn(page, admin.email, admin.password);
    await submitWith(page, page.getByRole('button', { name: 'English' }));
    expect(await textOf(page.locator('h1'))).toContain('Hello');
    for (const [path, name] of [['/admin', 'admin-dashboard-en'], ['/admin/members', 'admin-members-en'], ['/account', 'account-en'], ['/profile/edit', 'profile-edit-en']] as const) {
      await page.goto(`${base}${path}`);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await screenshot(page, name);
    }
    await page.goto(`${base}/members?q=${encodeURIComponent('人事')}`);
    expect(await textOf(page.locator('.directory-entry mark'))).toBe('人事');
    await screenshot(page, 'directory-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/admin/members`);
    await screenshot(page, 'admin-members-phone-en');
    await context.close();
  });
});
