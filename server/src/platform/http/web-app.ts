import { type Locale, localeSchema, pickLocale } from '@okpay/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from './types.js';

/** The web app's language choice, shared with the server-rendered pages; set whenever a page is asked for with `?lang=`. */
export const localeCookie = 'okpay_locale';

/** A page's language: `?lang=`, then the language cookie, then Accept-Language, then the default. */
export function pageLocale(request: FastifyRequest, fallback: Locale): Locale {
  const asked = localeSchema.safeParse((request.query as { lang?: unknown } | undefined)?.lang);
  if (asked.success) return asked.data;
  const remembered = localeSchema.safeParse(request.cookies[localeCookie]);
  if (remembered.success) return remembered.data;
  return pickLocale(request.headers['accept-language'], fallback);
}

export const themeColor = '#1677ff';

const names: Record<Locale, { name: string; description: string; history: string; support: string; help: string }> = {
  'zh-CN': {
    name: 'OKPay 钱包与客服',
    description: '充值、兑换、转账和交易记录，客服回复时通知您',
    history: '交易记录',
    support: '客服消息',
    help: '帮助中心',
  },
  en: {
    name: 'OKPay Wallet & Support',
    description: 'Top up, exchange, send money and read your history; hear when support answers',
    history: 'History',
    support: 'Support messages',
    help: 'Help centre',
  },
};

/**
 * The web app manifest in the reader's language. `id` and `start_url` stay the same in both, so
 * switching language never makes a second app. Manifests are fetched without cookies, so pages
 * name the language in the link (`?lang=`).
 */
export function webAppManifest(locale: Locale) {
  const text = names[locale];
  return {
    id: '/app',
    name: text.name,
    short_name: 'OKPay',
    description: text.description,
    lang: locale,
    dir: 'ltr',
    start_url: '/app?source=installed',
    scope: '/',
    display: 'standalone',
    theme_color: themeColor,
    background_color: '#ffffff',
    categories: ['finance'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    shortcuts: [
      { name: text.history, url: '/app/history', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
      { name: text.support, url: '/app/support', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
      { name: text.help, url: `/help?lang=${locale}`, icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
    ],
  };
}

/**
 * What every HTML page of the site carries in its <head> to be installable and to run under the
 * service worker: the manifest, theme colour, iOS's icon and title, and the registration script
 * (the single-page app registers through its own bundle instead).
 */
export function webAppHeadTags(locale: Locale, options: { registerServiceWorker: boolean }): string {
  return [
    `<link rel="manifest" href="/manifest.webmanifest?lang=${locale}">`,
    `<meta name="theme-color" content="${themeColor}">`,
    '<link rel="icon" type="image/svg+xml" href="/favicon.svg">',
    '<link rel="apple-touch-icon" href="/icons/apple-touch-icon.png">',
    '<meta name="apple-mobile-web-app-title" content="OKPay">',
    '<meta name="mobile-web-app-capable" content="yes">',
    ...(options.registerServiceWorker ? ['<script src="/register-sw.js" defer></script>'] : []),
  ].join('\n');
}

const manifestQuery = z.object({ lang: z.string().max(10).optional() });

export function installWebAppManifest(app: App, defaultLocale: Locale): void {
  app.get('/manifest.webmanifest', { schema: { hide: true, querystring: manifestQuery } }, async (request, reply) => {
    const locale = pageLocale(request, defaultLocale);
    return reply
      .header('content-type', 'application/manifest+json; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .header('vary', 'Accept-Language')
      .send(JSON.stringify(webAppManifest(locale)));
  });
}
