import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type PushService, startPushService } from '../server/src/test/push-service.ts';
import { launchPhoneProfile, screenshot } from './support/browser.ts';
import { registerCustomer } from './support/customer.ts';
import { signIn, useJourney } from './support/journey.ts';
import { demoPassword, freePort } from './support/server.ts';

/**
 * OKPay as an app on a phone, in Chromium with a profile on disk (as an installed app has): the
 * manifest and the service worker on every page, Chrome's installability check, opening offline,
 * the offer to notify, a push delivered to the service worker, and the update prompt. The server
 * serves a copy of the web build so a new version can be published mid-journey.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webRoot = mkdtempSync(path.join(os.tmpdir(), 'okpay-web-'));
cpSync(path.join(repoRoot, 'web/dist'), webRoot, { recursive: true });
const pushPort = await freePort();

const journey = useJourney({
  env: { WEB_ROOT: webRoot, PUSH_SERVICE_ORIGINS: `https://fcm.googleapis.com,http://127.0.0.1:${pushPort}` },
});

let pushService: PushService;
let phone: Awaited<ReturnType<typeof launchPhoneProfile>>;
let context: BrowserContext;

beforeAll(async () => {
  pushService = await startPushService(pushPort);
  phone = await launchPhoneProfile(journey.server.url);
  context = phone.context;
});

afterAll(async () => {
  await phone?.close();
  await pushService?.close();
});

/** A tab of the phone's browser; if the test fails, its last state is saved as a screenshot. */
async function newPage(name: string): Promise<Page> {
  const page = await context.newPage();
  onTestFailed(async () => {
    if (!page.isClosed()) await screenshot(page, `${name}-failed`).catch(() => undefined);
  });
  return page;
}

const isControlled = (page: Page) => page.evaluate(() => navigator.serviceWorker.controller !== null);

async function untilControlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

describe('the phone app', () => {
  it('is installable from every page: a manifest in both languages, icons, its own window, a service worker in control', async () => {
    const page = await newPage('pwa-install');
    await page.goto('/');
    await untilControlled(page);
    const cdp = await context.newCDPSession(page);
    // Chrome's own verdict (what decides whether it offers to install): nothing missing.
    expect(await cdp.send('Page.getInstallabilityErrors')).toEqual({ installabilityErrors: [] });
    const found = await cdp.send('Page.getAppManifest');
    expect(found.errors).toEqual([]);
    expect(new URL(found.url).pathname + new URL(found.url).search).toBe('/manifest.webmanifest?lang=zh-CN');

    const manifest = JSON.parse(found.data ?? '{}');
    expect(manifest).toMatchObject({
      id: '/app',
      name: 'OKPay 钱包与客服',
      short_name: 'OKPay',
      lang: 'zh-CN',
      display: 'standalone',
      start_url: '/app?source=installed',
      scope: '/',
      theme_color: '#1677ff',
    });
    const sizes = await page.evaluate(async (icons: Array<{ src: string; purpose: string }>) => {
      const measured: string[] = [];
      for (const icon of [...icons, { src: '/icons/apple-touch-icon.png', purpose: 'apple-touch-icon' }]) {
        const bitmap = await createImageBitmap(await (await fetch(icon.src)).blob());
        measured.push(`${icon.purpose} ${bitmap.width}x${bitmap.height}`);
      }
      return measured;
    }, manifest.icons);
    expect(sizes).toEqual(['any 192x192', 'any 512x512', 'maskable 512x512', 'apple-touch-icon 180x180']);
    expect(await page.locator('link[rel="apple-touch-icon"]').getAttribute('href')).toBe('/icons/apple-touch-icon.png');
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe('#1677ff');
    await screenshot(page, 'pwa-01-home-phone');

    // The server-rendered help pages run under the same worker and name the manifest in their language.
    await page.goto('/help?lang=en');
    expect(await isControlled(page)).toBe(true);
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/manifest.webmanifest?lang=en');
    const english = await (await context.newCDPSession(page)).send('Page.getAppManifest');
    expect(JSON.parse(english.data ?? '{}')).toMatchObject({ id: '/app', name: 'OKPay Wallet & Support', lang: 'en' });
    await page.close();
  });

  it('opens offline with the last known history and its time, the help it has read, and moves no money', async () => {
    const page = await newPage('pwa-offline');
    await page.goto('/login');
    await signIn(page, 'demo@okpay.local', demoPassword);
    await page.waitForURL('**/app');
    // The balances on the home page, fetched and dated.
    await page.getByText(/^更新于 /).waitFor();
    // The first visit installs the worker and precaches the shell; from then on the app opens offline.
    await untilControlled(page);
    await page.goto('/app/history');
    const rows = page.locator('.history-item');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(2);
    const onlineRows = await rows.count();
    await page.getByText(/^更新于 /).waitFor();
    // Read one help article while online.
    await page.goto('/help/top-up-failed?lang=zh-CN');
    await page.getByRole('heading', { level: 1, name: '充值失败怎么办？' }).waitFor();

    await context.setOffline(true);
    onTestFailed(() => context.setOffline(false));
    // The installed app's start page opens offline, with the balances it last saw, dated.
    await page.goto('/app?source=installed');
    await page.getByRole('heading', { name: '王小明，您好' }).waitFor();
    await page.getByText(/^离线：这是 .* 的记录/).waitFor();
    await page.goto('/app/history');
    await page.getByText('您已离线。显示的是上次联网时的内容；充值、转账和换汇要联网后才能进行。').waitFor();
    await page.getByText(/^离线：这是 .* 的记录，之后可能有变化。联网后会自动刷新。$/).waitFor();
    expect(await rows.count()).toBe(onlineRows);
    await screenshot(page, 'pwa-02-offline-history');

    // Nothing that moves money can be started, and nothing is queued for later.
    await page.goto('/app/top-up');
    await page.getByText('您已离线。为了资金安全，离线时不能充值，也不会替您排队提交；联网后再试。').waitFor();
    await page.goto('/app/transfer');
    await page.getByText(/离线时不能转账/).waitFor();
    expect(await page.getByRole('button', { name: '下一步' }).isDisabled()).toBe(true);
    await screenshot(page, 'pwa-03-offline-transfer');

    // The article read before opens; one never read shows the offline page with the saved ones.
    await page.goto('/help/top-up-failed');
    await page.getByRole('heading', { level: 1, name: '充值失败怎么办？' }).waitFor();
    await page.goto('/help/forgot-password');
    await page.getByRole('heading', { name: '您已离线' }).waitFor();
    await page.getByRole('link', { name: '充值失败怎么办？' }).waitFor();
    await screenshot(page, 'pwa-04-offline-page');

    // Back online, the history is fetched again and labelled with its new time.
    await context.setOffline(false);
    await page.goto('/app/history');
    await page.getByText(/^更新于 /).waitFor();
    expect(await page.getByText(/^离线：/).count()).toBe(0);
    await page.close();
  });

  it('offers notifications once the customer has written to support and closes the chat, never before', async () => {
    const page = await newPage('pwa-offer');
    // A fresh customer in the same browser: sign the demo customer out first.
    await page.goto('/app');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL('**/login');
    await registerCustomer(page, 'li.na.pwa@example.com', '李娜');
    await agentGoesOnline(page);

    const offer = page.getByRole('dialog', { name: '客服回复时通知您？' });
    expect(await offer.count()).toBe(0);
    await page.getByRole('button', { name: '在线客服' }).click();
    const chat = page.getByRole('dialog', { name: 'OKPay 客服中心' });
    await chat.getByRole('radio', { name: '充值' }).check();
    await chat.getByLabel('描述您的问题（可选）').fill('我的充值一直没到账');
    await chat.getByRole('button', { name: '开始咨询' }).click();
    await chat.getByText('我的充值一直没到账').waitFor();
    await chat.getByRole('button', { name: '关闭客服窗口' }).click();

    await offer.waitFor();
    await offer.getByText('通知里只有会话名称，不含金额和卡号').waitFor();
    await screenshot(page, 'pwa-05-notification-offer');
    await offer.getByRole('button', { name: '以后再说' }).click();
    expect(await offer.count()).toBe(0);
    // "Not now" holds: closing the chat again asks nothing.
    await page.getByRole('button', { name: /在线客服/ }).click();
    await chat.getByRole('button', { name: '关闭客服窗口' }).click();
    expect(await offer.count()).toBe(0);
    await page.close();
  });

  it('brings the agent’s answer to the phone as a notification that opens the conversation', async () => {
    const page = await newPage('pwa-push');
    // The customer allowed notifications when turning them on.
    await context.grantPermissions(['notifications']);
    await page.goto('/app');
    await untilControlled(page);
    // What the app sends once the browser's push service gives it a subscription (Chrome's own
    // service is out of reach here): a subscription at the local push service, with this session.
    const { publicKey } = await (await page.request.get('/api/push/public-key')).json();
    const browserSubscription = pushService.subscribe(publicKey);
    const subscribed = await page.evaluate(
      async (body) => {
        const me = await (await fetch('/api/me')).json();
        const answer = await fetch('/api/push/subscriptions', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: JSON.stringify({ ...body, timeZone: 'Asia/Shanghai', locale: 'zh-CN' }),
        });
        return answer.status;
      },
      { endpoint: browserSubscription.endpoint, keys: browserSubscription.keys },
    );
    expect(subscribed).toBe(201);

    const conversations = await (await page.request.get('/api/support/my-conversations')).json();
    const conversationId = conversations.conversations[0].id as string;
    await agentReplies(page, conversationId, '您好，这笔充值已到账，请刷新余额查看。');
    const push = await pushService.next((item) => (item.payload as { kind?: string }).kind === 'agent_reply', 20_000);
    expect(push.payload).toMatchObject({
      title: '客服回复了您',
      body: '「充值」咨询有新回复，点击查看',
      url: `/app/support/${conversationId}`,
    });
    expect(push.text).not.toContain('到账');

    // The push service hands the message to the phone's service worker; nobody is looking at the app.
    const cdp = await context.newCDPSession(page);
    const registrations: Array<{ registrationId: string; scopeURL: string }> = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => registrations.push(...event.registrations));
    await cdp.send('ServiceWorker.enable');
    await expect.poll(() => registrations.some((item) => item.scopeURL === `${journey.server.url}/`)).toBe(true);
    const registrationId = registrations.find((item) => item.scopeURL === `${journey.server.url}/`)?.registrationId ?? '';
    await page.goto('about:blank');
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: journey.server.url, registrationId, data: push.text });

    const reader = await newPage('pwa-push-reader');
    await reader.goto('/app/support');
    const notifications = () =>
      reader.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((item) => ({
          title: item.title,
          body: item.body,
          data: item.data as { url: string; kind: string; conversationId: string },
        })),
      );
    await expect.poll(async () => (await notifications()).length).toBe(1);
    const shown = await notifications();
    expect(shown).toEqual([
      {
        title: '客服回复了您',
        body: '「充值」咨询有新回复，点击查看',
        data: { url: `/app/support/${conversationId}`, kind: 'agent_reply', conversationId },
      },
    ]);
    await reader.getByRole('link', { name: '「充值」咨询' }).waitFor();
    await reader.getByText('有新回复').waitFor();
    await screenshot(reader, 'pwa-06-support-messages');

    // A tap opens the notification's page: the conversation, with the answer the notification left out.
    await reader.goto(shown[0]?.data.url ?? '/');
    await reader.getByText('您好，这笔充值已到账，请刷新余额查看。').waitFor();
    await reader.getByText('我的充值一直没到账').waitFor();
    await screenshot(reader, 'pwa-07-conversation-from-notification');

    // The devices page lists the device, and removing it stops the notifications.
    await reader.goto('/app/security');
    const devices = reader.locator('#notifications');
    await devices.getByText('时区：Asia/Shanghai').waitFor();
    await devices.scrollIntoViewIfNeeded();
    await screenshot(reader, 'pwa-08-notification-devices');
    await devices.getByRole('button', { name: '移除' }).click();
    await reader.getByText('还没有设备开启通知').waitFor();
    await reader.close();
  });

  it('says when a new version is ready and refreshes into it only when asked', async () => {
    const page = await newPage('pwa-update');
    await page.goto('/app/support');
    await untilControlled(page);
    // A release: a new shell, and a service worker that precaches it under a new revision.
    const index = path.join(webRoot, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('<head>', '<head>\n    <meta name="okpay-build" content="next" />'));
    const worker = path.join(webRoot, 'sw.js');
    const released = readFileSync(worker, 'utf8').replace(
      /"revision":"[0-9a-f]+","url":"index.html"/,
      '"revision":"next-release","url":"index.html"',
    );
    expect(released).toContain('"revision":"next-release","url":"index.html"');
    writeFileSync(worker, released);

    // The app checks on its own every hour and on coming back to the tab; ask now.
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const bar = page.getByRole('status').filter({ hasText: 'OKPay 有新版本。' });
    await bar.waitFor({ timeout: 30_000 });
    // Waiting, not taking over: the page still runs the old shell.
    expect(await page.locator('meta[name="okpay-build"]').count()).toBe(0);
    await screenshot(page, 'pwa-09-update-ready');
    await bar.getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => page.locator('meta[name="okpay-build"]').count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('heading', { name: '客服消息' }).waitFor();
    await page.close();
  });
});

/** The demo agent, online through the console's API, so a chat started now is answered. */
async function agentGoesOnline(page: Page): Promise<void> {
  const login = await page.request.post('/api/agent/auth/login', { data: { email: 'agent@okpay.local', password: demoPassword } });
  const { csrfToken } = await login.json();
  const presence = await page.request.put('/api/agent/presence', { data: { status: 'online' }, headers: { 'x-csrf-token': csrfToken } });
  expect(presence.status()).toBe(200);
}

async function agentReplies(page: Page, conversationId: string, body: string): Promise<void> {
  const login = await page.request.post('/api/agent/auth/login', { data: { email: 'agent@okpay.local', password: demoPassword } });
  const { csrfToken } = await login.json();
  const reply = await page.request.post(`/api/agent/conversations/${conversationId}/messages`, {
    data: { body },
    headers: { 'x-csrf-token': csrfToken },
  });
  expect(reply.status()).toBe(201);
}
