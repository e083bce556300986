import { readFileSync } from 'node:fs';
import type { Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { INTEGRATION_EVENT_HANDLER, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { runOnce } from '@libs/outbox/run-once';
import { WithdrawConsentOnMemberDeletedHandler } from '@modules/privacy/application/consent/withdraw-consent-on-member-deleted.handler';
import { EraseDataExportsOnMemberDeletedHandler } from '@modules/privacy/application/data-export/erase-data-export.handlers';
import { PrepareDataExportOnRequestedHandler } from '@modules/privacy/application/data-export/prepare-data-export-on-requested.handler';
import { screenshot, signInAs, startBrowserApp, submitWith, textOf } from '../support/browser';
import { buildMember } from '../factories/member.factory';

const WORKER_HANDLERS: Type<IntegrationEventHandler>[] = [PrepareDataExportOnRequestedHandler, EraseDataExportsOnMemberDeletedHandler, WithdrawConsentOnMemberDeletedHandler];

/** A member's personal-data rights in a real browser: consent, download, deletion — in Japanese and English. */
jest.setTimeout(90_000);

describe('personal data in the browser (Chromium)', () => {
  let app: NestExpressApplication;
  let browser: Browser;
  let base: string;
  let em: EntityManager;
  const ran = new Set<string>();

  beforeAll(async () => {
    ({ app, browser, base, em } = await startBrowserApp());
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** What the worker process does with the outbox: each waiting event handled once by the privacy handlers. */
  async function runWorker(): Promise<void> {
    const rows = await em.fork().find(OutboxMessage, { relayedAt: null }, { orderBy: { createdAt: 'asc' } });
    for (const row of rows) {
      if (ran.has(row.id)) continue;
      ran.add(row.id);
      for (const type of WORKER_HANDLERS) {
        if (Reflect.getMetadata(INTEGRATION_EVENT_HANDLER, type) !== row.name) continue;
        const handler = app.get(type, { strict: false });
        const event = row.payload as unknown as IntegrationEvent;
        await RequestContext.create(em.fork(), () => runOnce(em, `${type.name}:${event.eventId}`, (tx) => handler.handle(event, tx)));
      }
    }
  }

  async function newPage(locale = 'ja-JP'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    return { context, page: await context.newPage() };
  }



  const signIn = (page: Page, email: string, password: string) => signInAs(page, base, email, password);

  it('gives and withdraws consent, downloads the data, and deletes the account', async () => {
    const m = await buildMember(em.fork(), { status: 'alumni', email: 'aoi@example.jp', familyName: '北村', givenName: '葵', familyNameKana: 'キタムラ', givenNameKana: 'アオイ' });
    const { context, page } = await newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, m.email, m.password);

    // /account leads to the privacy pages.
    await page.goto(`${base}/account`);
    await screenshot(page, 'account-personal-data-ja');
    await submitWith(page, page.getByRole('link', { name: /同意の管理/ }).first());
    expect(await textOf(page.locator('h1'))).toBe('同意の管理');
    expect(await page.locator('.card .badge').allTextContents()).toEqual(['未回答', '未回答', '未回答']);
    await screenshot(page, 'consent-ja');

    const talentPool = page.locator('#purpose-talent_pool');
    await submitWith(page, talentPool.getByRole('button', { name: '同意する' }));
    expect(await textOf(page.locator('.flash-success'))).toBe('同意を記録しました。');
    expect(await textOf(page.locator('#purpose-talent_pool .badge'))).toBe('同意しています');
    await submitWith(page, page.locator('#purpose-community').getByRole('button', { name: '同意する' }));
    await submitWith(page, page.locator('#purpose-community').getByRole('button', { name: '同意を撤回する' }));
    expect(await textOf(page.locator('#purpose-community .badge'))).toBe('撤回しました');
    expect(await page.locator('#history tbody tr').count()).toBe(3);
    await screenshot(page, 'consent-history-ja');

    // Data download: prepared by a job, then downloaded.
    await page.goto(`${base}/account/data`);
    await screenshot(page, 'data-ja');
    await submitWith(page, page.getByRole('button', { name: 'データを準備する' }));
    expect(await textOf(page.locator('.flash-success'))).toContain('データの準備を始めました');
    await screenshot(page, 'data-preparing-ja');
    await runWorker();
    await page.reload();
    expect(await textOf(page.locator('tbody .badge'))).toBe('ダウンロードできます');
    await screenshot(page, 'data-ready-ja');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'ダウンロード', exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/^kizuna-data-\d{4}-\d{2}-\d{2}\.json$/);
    const file = JSON.parse(readFileSync((await download.path()) as string, 'utf8')) as { membership: { profile: { familyName: string } }; privacy: { consent: { history: unknown[] } } };
    expect(file.membership.profile.familyName).toBe('北村');
    expect(file.privacy.consent.history).toHaveLength(3);

    // The same pages in English.
    await submitWith(page, page.getByRole('button', { name: 'English' }));
    await page.goto(`${base}/account/privacy`);
    expect(await textOf(page.locator('h1'))).toBe('Consent');
    await screenshot(page, 'consent-en');
    await page.goto(`${base}/account/data`);
    expect(await textOf(page.locator('h1'))).toBe('Download your data');
    await screenshot(page, 'data-ready-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/account/privacy`);
    await screenshot(page, 'consent-phone-en');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Deletion: the explanation, a refused submission, then the real one.
    await page.goto(`${base}/account/delete`);
    expect(await textOf(page.locator('h1'))).toBe('Delete your account');
    await screenshot(page, 'delete-en');
    await page.getByLabel(/^Current password/).fill(m.password);
    await submitWith(page, page.getByRole('button', { name: 'Delete my account' }));
    expect(await textOf(page.locator('#f-confirm-error'))).toBe('Tick the box to confirm that your account may be deleted.');
    await screenshot(page, 'delete-error-en');
    await page.getByLabel(/^Current password/).fill(m.password);
    await page.getByLabel('I understand the above and want my account deleted.').check();
    await submitWith(page, page.getByRole('button', { name: 'Delete my account' }));
    expect(new URL(page.url()).pathname).toBe('/account/deleted');
    expect(await textOf(page.locator('h1'))).toBe('Your account has been deleted');
    expect(await page.locator('.nav-account').textContent()).not.toContain('北村');
    await screenshot(page, 'deleted-en');
    await page.goto(`${base}/account`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('shows the deletion and goodbye pages, and an expired link, in Japanese', async () => {
    const m = await buildMember(em.fork(), { status: 'employee', email: 'ren@example.jp', familyName: '中島', givenName: '蓮' });
    const { context, page } = await newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, m.email, m.password);

    await page.goto(`${base}/account/data`);
    await submitWith(page, page.getByRole('button', { name: 'データを準備する' }));
    await runWorker();
    const [{ id }] = await em.fork().execute<{ id: string }[]>('select id from privacy.data_export where member_id = ?', [m.member.id]);
    await em.fork().execute(`update privacy.data_export set expires_at = now() - interval '1 minute' where id = ?`, [id]);
    const expired = await page.goto(`${base}/account/data-exports/${id}/download`);
    expect(expired?.status()).toBe(410);
    expect(await textOf(page.locator('h1'))).toBe('このデータはダウンロードできません');
    await screenshot(page, 'data-export-expired-ja');

    await page.goto(`${base}/account/delete`);
    expect(await textOf(page.locator('h1'))).toBe('退会（アカウントの削除）');
    await screenshot(page, 'delete-ja');
    await page.getByLabel(/^現在のパスワード/).fill('wrong-password-1');
    await page.getByLabel('上記の内容を理解し、アカウントを削除します。').check();
    await submitWith(page, page.getByRole('button', { name: 'アカウントを削除する' }));
    expect(await textOf(page.locator('#f-password-error'))).toBe('現在のパスワードが正しくありません。');
    await screenshot(page, 'delete-wrong-password-ja');

    await page.getByLabel(/^現在のパスワード/).fill(m.password);
    await page.getByLabel('上記の内容を理解し、アカウントを削除します。').check();
    await submitWith(page, page.getByRole('button', { name: 'アカウントを削除する' }));
    expect(await textOf(page.locator('h1'))).toBe('アカウントを削除しました');
    await screenshot(page, 'deleted-ja');
    await context.close();

    // An admin now sees 退会したメンバー in the member list.
    const admin = await buildMember(em.fork(), { status: 'employee', role: 'admin', familyName: '人事', givenName: '花子' });
    const adminPage = await newPage();
    await signIn(adminPage.page, admin.email, admin.password);
    await adminPage.page.goto(`${base}/admin/members?status=deleted`);
    expect(await textOf(adminPage.page.locator('tbody td a'))).toBe('退会したメンバー');
    await screenshot(adminPage.page, 'admin-members-deleted-ja');
    await adminPage.context.close();
  });
});
