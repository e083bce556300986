import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, Page } from 'playwright-core';
import { phonePhoto } from '@libs/testing/images';
import { buildMember } from '../factories/member.factory';
import { screenshot, signInAs, startBrowserApp, submitWith, textOf } from '../support/browser';

jest.setTimeout(90_000);

/** What the test reads of an <img> element (the suite compiles without the DOM library). */
interface ImageElement {
  complete: boolean;
  currentSrc: string;
  src: string;
  naturalWidth: number;
  naturalHeight: number;
}

/** Images of the page matching `selector` once the browser has loaded them, with the size it decoded. */
async function loadedImages(page: Page, selector: string): Promise<{ src: string; width: number; height: number }[]> {
  const read = () =>
    page.locator(selector).evaluateAll((els) =>
      (els as unknown as ImageElement[]).map((img) => ({ complete: img.complete, src: img.currentSrc || img.src, width: img.naturalWidth, height: img.naturalHeight })),
    );
  const deadline = Date.now() + 10_000;
  let images = await read();
  while ((images.length === 0 || images.some((i) => !i.complete)) && Date.now() < deadline) {
    await page.waitForTimeout(50);
    images = await read();
  }
  return images.map(({ src, width, height }) => ({ src, width, height }));
}

/** A member puts a phone photo on their profile in a real browser, at phone width, and sees it everywhere it appears. */
describe('profile photo in the browser (Chromium)', () => {
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

  it('uploads a phone photo and shows it upright in the editor, the header, the profile and the directory (phone width, 2×)', async () => {
    const m = await buildMember(em.fork(), { status: 'alumni', familyName: '写真', givenName: '葵', familyNameKana: 'シャシン', givenNameKana: 'アオイ' });
    const dir = join(tmpdir(), `kizuna-photo-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'IMG_0042.jpg');
    writeFileSync(file, await phonePhoto(1200, 800, 6));

    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 375, height: 800 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await signInAs(page, base, m.email, m.password);
    await page.goto(`${base}/profile/edit#photo`);
    await page.getByLabel('写真を選ぶ').setInputFiles(file);
    await submitWith(page, page.locator('#photo').getByRole('button', { name: 'アップロード' }));
    expect(await textOf(page.locator('.flash-success'))).toBe('保存しました。');

    // The editor: the 160 px square at 1×, the 480 px size (320 × 480, upright) at 2× — this screen — decoded by the
    // browser, which reports a 2× image's size in CSS pixels.
    const [editor] = await loadedImages(page, '#photo img.avatar');
    expect(editor.src).toMatch(/\/members\/[0-9a-f-]{36}\/photo\/[0-9a-f]{32}\/480$/);
    expect([editor.width, editor.height]).toEqual([160, 240]);
    await screenshot(page, 'profile-photo-edit-phone-ja');

    const [header] = await loadedImages(page, 'img.header-avatar');
    expect(header.src).toMatch(/\/64$/);
    expect([header.width, header.height]).toEqual([64, 64]);

    await page.goto(`${base}/members/${m.member.id}`);
    const [profile] = await loadedImages(page, '.profile-head img.avatar');
    expect(profile.src).toMatch(/\/480$/);
    expect([profile.width, profile.height]).toEqual([160, 240]);
    await screenshot(page, 'profile-photo-profile-phone-ja');

    await page.goto(`${base}/members?q=${encodeURIComponent('写真')}`);
    const [listed] = await loadedImages(page, '.directory-entry img.avatar');
    expect(listed.src).toMatch(/\/160$/);
    expect([listed.width, listed.height]).toEqual([160, 160]);
    await screenshot(page, 'profile-photo-directory-phone-ja');
    await context.close();
  });
});
