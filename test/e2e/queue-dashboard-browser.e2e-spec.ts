import type { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser } from 'playwright-core';
import { buildMember } from '../factories/member.factory';
import { screenshot, signInAs, startBrowserApp } from '../support/browser';

jest.setTimeout(90_000);

/**
 * The queue dashboard in Chromium: its page script cannot send our CSRF token, so its writes pass because the
 * browser marks them as coming from this site (a request without that mark or the token gets 403: see
 * security-defaults.e2e-spec.ts).
 */
describe('queue dashboard in the browser (Chromium)', () => {
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

  it('an admin on the dashboard pauses and resumes a queue the way its script does', async () => {
    const admin = await buildMember(em.fork(), { status: 'employee', role: 'admin' });
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInAs(page, base, admin.email, admin.password);
    await page.goto(`${base}/admin/queues`);
    await page.getByText('mail').first().waitFor();
    await screenshot(page, 'queue-dashboard');
    const statuses = await page.evaluate(async () => {
      const pause = await fetch('/admin/queues/api/queues/mail/pause', { method: 'PUT' });
      const resume = await fetch('/admin/queues/api/queues/mail/resume', { method: 'PUT' });
      return [pause.status, resume.status];
    });
    expect(statuses).toEqual([200, 200]);
    await context.close();
  });
});
