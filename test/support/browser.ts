import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { findChromium } from './chromium';
import { japaneseFontConfig } from './japanese-font';
import { track } from './resources';
import { bootWebApp, resetDatabase } from './test-app';

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

/** Chromium (see findChromium), headless, with no network but loopback, and a Japanese font (see japaneseFontConfig). */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: findChromium(),
    env: { ...process.env, FONTCONFIG_FILE: japaneseFontConfig() },
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return track(browser, 'Chromium');
}

/** The fonts Chromium drew one element's text with (DevTools' "Rendered fonts"): family and glyph count. */
export async function renderedFonts(page: Page, selector: string): Promise<{ familyName: string; glyphCount: number }[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => ({ familyName: f.familyName, glyphCount: f.glyphCount }));
  } finally {
    await cdp.detach();
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export interface BrowserApp {
  app: NestExpressApplication;
  browser: Browser;
  /** The app's address, e.g. http://127.0.0.1:41234 */
  base: string;
  em: EntityManager;
}

/** The whole web app listening on a free port over an emptied database, and Chromium to drive it. */
export async function startBrowserApp(): Promise<BrowserApp> {
  const app = await bootWebApp();
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const em = app.get(EntityManager);
  await resetDatabase(em);
  return { app, browser: await launchBrowser(), base, em };
}

/** Signs in through the login page (Japanese or English) and waits until it has moved on. */
export async function signInAs(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel(/メールアドレス|E-mail address/).fill(email);
  await page.getByLabel(/^パスワード|^Password/).fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: /ログインする|Sign in/ }).click()]);
}

/** Clicks a submit button and waits for the page the server answers with. */
export async function submitWith(page: Page, button: Locator): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), button.click()]);
}

/** The text of the first matching element once it is on the page. */
export async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor();
  return ((await locator.first().textContent()) ?? '').trim();
}
