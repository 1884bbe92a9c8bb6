import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

describe('the web app manifest', () => {
  it.each([
    ['?lang=en', {}, 'en', 'OKPay Wallet & Support'],
    ['', { 'accept-language': 'en-GB,en;q=0.9' }, 'en', 'OKPay Wallet & Support'],
    ['', {}, 'zh-CN', 'OKPay 钱包与客服'],
    ['?lang=fr', { 'accept-language': 'fr' }, 'zh-CN', 'OKPay 钱包与客服'],
  ])('answers %s %j in %s, installable as the same app in both languages', async (query, headers, lang, name) => {
    const response = await runtime.app.inject({ url: `/manifest.webmanifest${query}`, headers });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
    expect(response.json()).toMatchObject({
      id: '/app',
      lang,
      name,
      short_name: 'OKPay',
      start_url: '/app?source=installed',
      display: 'standalone',
      theme_color: '#1677ff',
      icons: [
        { src: '/icons/icon-192.png', sizes: '192x192', purpose: 'any' },
        { src: '/icons/icon-512.png', sizes: '512x512', purpose: 'any' },
        { src: '/icons/icon-maskable-512.png', sizes: '512x512', purpose: 'maskable' },
      ],
    });
  });

  it('is linked from the server-rendered help pages, which run under the service worker too', async () => {
    const page = await runtime.app.inject({ url: '/help?lang=en' });
    expect(page.body).toContain('<link rel="manifest" href="/manifest.webmanifest?lang=en">');
    expect(page.body).toContain('<link rel="apple-touch-icon" href="/icons/apple-touch-icon.png">');
    expect(page.body).toContain('<meta name="theme-color" content="#1677ff">');
    expect(page.body).toContain('<script src="/register-sw.js" defer></script>');
  });
});
