/// <reference lib="webworker" />
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute, setCatchHandler } from 'workbox-routing';
import { NetworkFirst, StaleWhileRevalidate } from 'workbox-strategies';

// OKPay's service worker: the app shell from a versioned precache, help articles for reading
// offline, and Web Push. API answers are never cached here: balances and history must not be
// served stale by a cache the app cannot label, and nothing that moves money is ever queued.

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

/** Where read help articles are kept (the offline page lists them from here). */
const helpPages = 'okpay-help-pages';
const helpAssets = 'okpay-help-assets';

// The shell (HTML, JS, CSS, icons), versioned by content: a new build is a new service worker.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// The single-page app's routes open from the precached shell, online or not. Workbox matches these
// against path and query together (the installed app starts at /app?source=installed).
const appPaths = [/^\/(?:\?|$)/, /^\/(?:app|agent|login|register|forgot-password|reset-password|verify-email)(?:[/?]|$)/];
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { allowlist: appPaths }));

// Help articles come from the network when it answers within a few seconds, else from the copy
// read last time; unread ones offline fall back to the offline page.
const isHelpPage = (url: URL) =>
  url.pathname === '/help' || (url.pathname.startsWith('/help/') && !url.pathname.startsWith('/help/assets/'));
registerRoute(
  ({ request, url }) => request.mode === 'navigate' && url.origin === self.location.origin && isHelpPage(url),
  new NetworkFirst({
    cacheName: helpPages,
    networkTimeoutSeconds: 4,
    matchOptions: { ignoreVary: true },
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 30 * 24 * 3600 })],
  }),
);
registerRoute(
  ({ url }) =>
    url.origin === self.location.origin && (url.pathname.startsWith('/help/assets/') || url.pathname.startsWith('/help/images/')),
  new StaleWhileRevalidate({
    cacheName: helpAssets,
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 120, maxAgeSeconds: 30 * 24 * 3600 })],
  }),
);

// Offline and not read at this very address: the same article read under another address (with or
// without ?lang=) is better than nothing; otherwise the offline page, which lists what was read.
setCatchHandler(async ({ request, url }) => {
  if (request.mode !== 'navigate') return Response.error();
  if (isHelpPage(url)) {
    const kept = await (await caches.open(helpPages)).match(url.pathname, { ignoreSearch: true, ignoreVary: true });
    if (kept) return kept;
  }
  return (await matchPrecache('/offline.html')) ?? Response.error();
});

// The page asks the waiting worker to take over once the customer chose to refresh.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
// The first worker controls the open pages at once, so even the first visit works offline afterwards.
clientsClaim();

// ── Web Push ────────────────────────────────────────────────────────────────────────────────────

type Notice = { kind: string; conversationId: string; title: string; body: string; url: string; tag: string; lang: string };

function noticeOf(data: PushMessageData | null): Notice | undefined {
  try {
    const value = data?.json() as Partial<Notice> | undefined;
    if (!value || typeof value.title !== 'string' || typeof value.body !== 'string') return undefined;
    // Only our own pages open from a notification.
    const url = typeof value.url === 'string' && value.url.startsWith('/') && !value.url.startsWith('//') ? value.url : '/app/support';
    return {
      kind: String(value.kind ?? ''),
      conversationId: String(value.conversationId ?? ''),
      title: value.title,
      body: value.body,
      url,
      tag: typeof value.tag === 'string' ? value.tag : 'okpay',
      lang: typeof value.lang === 'string' ? value.lang : 'zh-CN',
    };
  } catch {
    return undefined;
  }
}

self.addEventListener('push', (event) => {
  const notice = noticeOf(event.data);
  if (!notice) return;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      // Someone looking at OKPay right now sees the answer in the page; tell the page instead of buzzing.
      const watching = windows.filter((client) => client.visibilityState === 'visible' && client.focused);
      for (const client of watching) client.postMessage({ type: 'okpay-push', notice });
      if (watching.length > 0) return;
      await self.registration.showNotification(notice.title, {
        body: notice.body,
        tag: notice.tag,
        lang: notice.lang,
        icon: '/icons/icon-192.png',
        badge: '/icons/icon-192.png',
        data: { url: notice.url, kind: notice.kind, conversationId: notice.conversationId },
      });
    })(),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(String((event.notification.data as { url?: string } | null)?.url ?? '/app/support'), self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      // Reuse an open OKPay window (the installed app's) rather than opening another one.
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        const focused = await open.focus();
        await (focused ?? open).navigate(url).catch(() => self.clients.openWindow(url));
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});
