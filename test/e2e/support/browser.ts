// A real browser for the e2e suites: Debian's chromium driven by playwright-core, headless, with
// no network beyond this machine and a fresh profile per launch. Screenshots land in
// test-artifacts/ (gitignored) for people to look at.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS = resolve('test-artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (cookies, storage); `javaScript: false` for the no-script runs. */
  context(options?: { javaScript?: boolean; locale?: string; width?: number; height?: number }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  // playwright-core gives each launch a fresh temporary profile (its own --user-data-dir, which
  // it refuses as an argument here) and removes it on close.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    context: ({ javaScript = true, locale = 'en-GB', width = 1280, height = 900 } = {}) =>
      browser.newContext({ javaScriptEnabled: javaScript, locale, viewport: { width, height }, extraHTTPHeaders: { 'Accept-Language': locale } }),
    async close() {
      await browser.close();
    },
  };
}

/** Saves a full-page screenshot as test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
