import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const screenshotDir = path.join(repoRoot, 'test-results/screenshots');

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Debian's Chromium, headless, with everything that would reach the network on its own turned off (plus any `extraArgs`). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...chromiumArgs, ...extraArgs] });
}

/**
 * For voice calls between pages of one machine: a fake microphone (a tone) granted without a
 * prompt, and WebRTC kept on loopback with plain host addresses instead of mDNS names.
 */
export const mediaArgs = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * A phone-sized Chromium with a profile on disk, as an installed app has: Chrome treats a
 * throw-away context as incognito, where nothing can be installed and Push is off. `close` also
 * deletes the profile.
 */
export async function launchPhoneProfile(baseURL: string): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'okpay-phone-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
    baseURL,
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A fresh browser profile (no cookies, no storage) for one visitor. */
export function newVisitor(browser: Browser, baseURL: string, locale = 'zh-CN'): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale, viewport: { width: 1280, height: 860 } });
}

/**
 * The app itself, without the chat widget that customer pages carry: the widget's own live regions
 * (role=status) sit in its shadow root, which Playwright's role queries pierce.
 */
export function appRoot(page: Page): Locator {
  return page.locator('#root');
}

/**
 * Saves a full-page PNG as test-results/screenshots/<name>.png and returns its path. It waits for
 * the page's requests to settle and stops CSS transitions, so the picture shows the settled page.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}
