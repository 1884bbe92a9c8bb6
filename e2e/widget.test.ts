import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../server/src/test/smtp-sink.ts';
import { launchBrowser, screenshot } from './support/browser.ts';
import { demoPassword, type RunningServer, startServer } from './support/server.ts';

/**
 * The chat widget as a customer meets it: on somebody else's site (another origin) whose CSS is
 * hostile, loaded with one <script> from the OKPay server. The agent side is a plain Socket.IO client.
 */

let sink: SmtpSink;
let server: RunningServer;
let browser: Browser;
let host: { url: string; server: Server; tokenFor: { customer: (() => Promise<string>) | null } };
const sockets: Socket[] = [];
const contexts: BrowserContext[] = [];

// The partner's own stylesheet tries its worst on everything, the widget's host element included.
const hostileCss = `
  * { font-size: 40px !important; color: red !important; font-family: "Comic Sans MS", cursive !important; line-height: 3 !important; }
  div, section, button, okpay-chat { border: 6px dashed lime !important; background: yellow !important; }
  okpay-chat { display: none !important; position: static !important; }
  html { font-size: 5px !important; }
`;

function hostPage(okpayUrl: string, options: { identity: boolean; lang: string }): string {
  const identity = options.identity
    ? `<script>
        window.OKPayChat = window.OKPayChat || { q: [] };
        ['open', 'close', 'setIdentityProvider', 'setLocale'].forEach(function (method) {
          window.OKPayChat[method] = window.OKPayChat[method] || function () {
            window.OKPayChat.q.push([method, Array.prototype.slice.call(arguments)]);
          };
        });
        // The partner's backend asks OKPay for a short-lived customer token; the widget asks again on every reconnect.
        window.OKPayChat.setIdentityProvider(function () {
          return fetch('/okpay-token').then(function (r) { return r.ok ? r.json() : { token: null }; }).then(function (j) { return j.token; });
        });
      </script>`
    : '';
  return `<!doctype html>
<html lang="${options.lang}">
<head><meta charset="utf-8"><title>合作商户 · 积分商城</title><style>${hostileCss}</style>${identity}</head>
<body>
  <h1>积分商城</h1>
  <p>欢迎光临。这个页面的样式表故意很“凶”。</p>
  <a href="#deals">今日特惠</a>
  <script async src="${okpayUrl}/widget.js"></script>
</body>
</html>`;
}

async function startHost(okpayUrl: string): Promise<typeof host> {
  const tokenFor: (typeof host)['tokenFor'] = { customer: null };
  const httpServer = createServer((request, response) => {
    void (async () => {
      if (request.url === '/okpay-token') {
        const token = tokenFor.customer ? await tokenFor.customer() : null;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
        return;
      }
      const identity = request.url?.startsWith('/account') ?? false;
      const lang = request.url?.startsWith('/en') ? 'en' : 'zh-CN';
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(okpayUrl, { identity, lang }));
    })();
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  // Same machine, another port: a different origin from the OKPay server.
  return { url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, server: httpServer, tokenFor };
}

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startServer({ smtpUrl: sink.url });
  host = await startHost(server.url);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  if (host) await new Promise((resolve) => host.server.close(resolve));
  await server?.stop();
  await sink?.close();
});

async function openHostPage(name: string, path = '/'): Promise<Page> {
  // A browser far from the account: every time shown must still be the account's (China Standard Time).
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'America/New_York', viewport: { width: 1280, height: 860 } });
  contexts.push(context);
  const page = await context.newPage();
  onTestFailed(async () => {
    await screenshot(page, `${name}-failed`).catch(() => undefined);
    console.error(`server output:\n${server.output()}`);
  });
  await page.goto(`${host.url}${path}`);
  return page;
}

async function api<T>(path: string, init: { method?: string; body?: unknown; bearer?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function connectSocket(token: string): Promise<Socket> {
  const socket = io(server.url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function ask<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const answer = (await socket.timeout(10_000).emitWithAck(event, payload)) as T & { error?: { code: string } };
  if (answer.error) throw new Error(`${event} refused: ${JSON.stringify(answer.error)}`);
  return answer;
}

function nextEvent<T>(socket: Socket, event: string, match: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 15 s`)), 15_000);
    const listener = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

async function signInAgent(): Promise<{ bearer: string; socket: Socket }> {
  const login = await api<{ token: string }>('/api/agent/auth/login', { body: { email: 'agent@okpay.local', password: demoPassword } });
  expect(login.status).toBe(200);
  const realtime = await api<{ token: string }>('/api/agent/realtime-token', { body: {}, bearer: login.body.token });
  expect(realtime.status).toBe(200);
  return { bearer: login.body.token, socket: await connectSocket(realtime.body.token) };
}

/** Is this element, inside the widget's shadow root, the focused one? */
function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => (element.getRootNode() as ShadowRoot).activeElement === element);
}

/** A small solid PNG made here, so the test ships no binary file. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, index) => rgb[index % 3] ?? 0)]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('the chat widget on a partner site', () => {
  it('sits bottom-right untouched by the page’s CSS, opens from the keyboard, and takes a message while nobody is online', async () => {
    const script = await fetch(`${server.url}/widget.js`);
    expect(script.status).toBe(200);
    expect(
      Object.fromEntries(['content-type', 'cache-control', 'access-control-allow-origin'].map((name) => [name, script.headers.get(name)])),
    ).toEqual({
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
    });

    const page = await openHostPage('widget-01');
    const bubble = page.getByRole('button', { name: '在线客服' });
    await bubble.waitFor();

    const box = await bubble.boundingBox();
    expect(box).not.toBeNull();
    if (box) {
      expect(1280 - (box.x + box.width)).toBeGreaterThanOrEqual(8);
      expect(1280 - (box.x + box.width)).toBeLessThanOrEqual(40);
      expect(860 - (box.y + box.height)).toBeLessThanOrEqual(40);
      expect(box.width).toBeLessThan(80);
    }
    const bubbleStyle = await bubble.evaluate((element) => {
      const style = getComputedStyle(element);
      return { background: style.backgroundColor, border: style.borderTopStyle };
    });
    expect(bubbleStyle).toEqual({ background: 'rgb(9, 88, 217)', border: 'none' });
    await screenshot(page, 'widget-01-bubble-on-hostile-page');

    // Keyboard only: Tab through the page's link to the bubble, Enter opens the panel.
    for (let presses = 0; presses < 6 && !(await isFocused(bubble)); presses++) await page.keyboard.press('Tab');
    expect(await isFocused(bubble)).toBe(true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'OKPay 客服中心' });
    await dialog.waitFor();
    await dialog.getByRole('heading', { name: '客服暂时不在线' }).waitFor();
    const title = dialog.getByRole('heading', { name: 'OKPay 客服中心' });
    const titleStyle = await title.evaluate((element) => {
      const style = getComputedStyle(element);
      return { color: style.color, fontSize: style.fontSize };
    });
    expect(titleStyle).toEqual({ color: 'rgb(255, 255, 255)', fontSize: '16px' });
    // Focus went into the panel (the e-mail field is first).
    expect(await isFocused(dialog.getByLabel('您的邮箱'))).toBe(true);
    // Email support is offered beside the form.
    expect(await dialog.getByRole('link', { name: 'support@okpay.local' }).getAttribute('href')).toBe('mailto:support@okpay.local');
    await screenshot(page, 'widget-02-offline-leave-a-message');

    await page.keyboard.type('zhou.min@example.com');
    await dialog.getByLabel('称呼（可选）').fill('周敏');
    await dialog.getByLabel('问题类型').selectOption('freeze');
    await dialog.getByLabel('留言内容').fill('我的账户被冻结了，请问怎么解冻？');
    await dialog.getByRole('button', { name: '提交留言' }).click();
    await dialog.getByRole('heading', { name: '留言已提交' }).waitFor();
    const sent = (await dialog.getByRole('status').textContent()) ?? '';
    expect(sent).toContain('zhou.min@example.com');
    const reference = /#([A-Z2-9]{6})/.exec(sent)?.[1];
    expect(reference).toBeDefined();
    // The message is an email conversation: acknowledged by mail with its reference and the promise.
    const acknowledgement = await sink.waitFor((mail) => mail.to.includes('zhou.min@example.com'));
    expect(acknowledgement.subject).toBe(`[#${reference}] 我们已收到您的邮件：我的账户被冻结了，请问怎么解冻？`);
    await screenshot(page, 'widget-03-offline-message-sent');

    // Esc closes the panel and gives focus back to the bubble.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await isFocused(bubble)).toBe(true);

    // An English page gets the English widget; setLocale switches it back.
    const english = await openHostPage('widget-en', '/en');
    const englishBubble = english.getByRole('button', { name: 'Chat with OKPay support' });
    await englishBubble.click();
    await english.getByRole('heading', { name: 'No agent is online right now' }).waitFor();
    await screenshot(english, 'widget-03b-english-page');
    await english.evaluate(() => (window as unknown as { OKPayChat: { setLocale(locale: string): void } }).OKPayChat.setLocale('zh-CN'));
    await english.getByRole('heading', { name: '客服暂时不在线' }).waitFor();

    const agent = await signInAgent();
    const inbox = await api<{ conversations: Array<{ id: string; category: string }> }>('/api/agent/conversations?view=unassigned', {
      bearer: agent.bearer,
    });
    expect(inbox.body.conversations.some((conversation) => conversation.category === 'freeze')).toBe(true);
    agent.socket.disconnect();
  });

  it('queues a visitor honestly, names the agent, masks a card number, shows replies, receipts and images, and keeps it all after a reload', async () => {
    const agent = await signInAgent();
    await ask(agent.socket, 'presence:set', { status: 'online' });

    // The demo agent takes three chats at once: three other visitors fill those places.
    const fillers: string[] = [];
    for (let index = 0; index < 3; index++) {
      const visitor = await api<{ token: string }>('/api/support/visitor-token', { body: {} });
      const socket = await connectSocket(visitor.body.token);
      const started = await ask<{ conversation: { id: string; agent: { name: string } | null } }>(socket, 'conversation:start', {
        category: 'other',
        message: `排队占位 ${index + 1}`,
        clientMessageId: randomUUID(),
      });
      expect(started.conversation.agent?.name).toBe('李客服');
      fillers.push(started.conversation.id);
    }

    const page = await openHostPage('widget-04');
    const bubble = page.getByRole('button', { name: '在线客服' });
    await bubble.click();
    const dialog = page.getByRole('dialog', { name: 'OKPay 客服中心' });
    await dialog.getByRole('heading', { name: '您想咨询什么？' }).waitFor();
    // The agent is online but full: the status says who is online, and promises nothing it cannot know.
    await dialog.getByText('当前有 1 位客服在线').waitFor();
    await dialog.getByRole('radio', { name: '充值' }).check();
    await dialog.getByLabel('描述您的问题（可选）').fill('你好，我充值一直失败');
    await screenshot(page, 'widget-04-pick-a-topic');
    await dialog.getByRole('button', { name: '开始咨询' }).click();

    // In the queue, behind nobody, with the server's estimate in whole minutes.
    await dialog.getByText('排队中：下一位就是您').waitFor();
    await dialog.getByText('预计等待约 5 分钟').waitFor();
    await dialog.getByText('你好，我充值一直失败').waitFor();
    await screenshot(page, 'widget-05-in-the-queue');

    // The agent finishes one chat; the visitor is next and gets the agent, by name.
    const assigned = nextEvent<{ conversationId: string; agent?: { name: string } }>(
      agent.socket,
      'conversation:updated',
      (event) => !fillers.includes(event.conversationId) && event.agent !== undefined,
    );
    const resolved = await api(`/api/agent/conversations/${fillers[0]}`, {
      method: 'PATCH',
      body: { status: 'resolved' },
      bearer: agent.bearer,
    });
    expect(resolved.status).toBe(200);
    const conversationId = (await assigned).conversationId;
    await dialog.getByText('客服 李客服 为您服务').waitFor();
    await ask(agent.socket, 'conversation:open', { conversationId, afterSeq: 0 });

    // A card number typed into the chat comes back masked, with a word about why.
    const atAgent = nextEvent<{ body: string; authorType: string }>(agent.socket, 'message', (message) => message.authorType === 'visitor');
    const composer = dialog.getByRole('textbox', { name: '输入消息' });
    await composer.fill('我的卡号是 4242 4242 4242 4242，扣款了但余额没到账');
    await composer.press('Enter');
    await dialog.getByText('为了您的安全，卡号已自动隐藏').waitFor();
    expect((await atAgent).body).toContain('**** 4242');
    const log = dialog.getByRole('log');
    expect(await log.textContent()).not.toContain('4242 4242 4242 4242');
    expect(await log.textContent()).toContain('**** 4242');

    // Shift+Enter is a new line, not a send.
    await composer.press('Shift+Enter');
    expect(await composer.inputValue()).toBe('\n');
    await composer.fill('');

    // The agent types, reads, and replies.
    await ask(agent.socket, 'typing', { conversationId, isTyping: true });
    await dialog.getByText('客服正在输入…').waitFor();
    await screenshot(page, 'widget-06-masked-and-agent-typing');
    await ask(agent.socket, 'read', { conversationId, seq: 100 });
    await dialog.getByText('✓✓ 已读').first().waitFor();
    await ask(agent.socket, 'message:send', {
      conversationId,
      body: '您好，我是李客服，正在为您查询这笔充值。',
      clientMessageId: randomUUID(),
    });
    await dialog.getByText('您好，我是李客服，正在为您查询这笔充值。').waitFor();
    expect(await dialog.getByText('客服正在输入…').count()).toBe(0);

    // The network drops: the widget says so, keeps what the visitor writes as 发送中, and on reconnect
    // sends each exactly once, in the order written, and picks up the reply the agent sent meanwhile.
    const received: string[] = [];
    const collect = (message: { body: string; authorType: string }) => {
      if (message.authorType === 'visitor') received.push(message.body);
    };
    agent.socket.on('message', collect);
    await page.context().setOffline(true);
    await dialog.getByText('网络已断开，正在重新连接…').waitFor({ timeout: 60_000 });
    const writtenOffline = ['断网时写的第一条', '断网时写的第二条', '断网时写的第三条'];
    for (const body of writtenOffline) {
      await composer.fill(body);
      await composer.press('Enter');
    }
    await expect.poll(() => dialog.getByText('发送中…').count()).toBe(3);
    await ask(agent.socket, 'message:send', { conversationId, body: '断网期间客服发的消息', clientMessageId: randomUUID() });
    await screenshot(page, 'widget-06b-offline-sending');
    await page.context().setOffline(false);
    await dialog.getByText('断网期间客服发的消息').waitFor({ timeout: 30_000 });
    await expect.poll(() => dialog.getByText('发送中…').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => received.length).toBe(3);
    expect(received).toEqual(writtenOffline);
    for (const body of writtenOffline) expect(await dialog.getByText(body).count()).toBe(1);
    agent.socket.off('message', collect);

    // Images: a PDF is refused in the widget; a PNG goes up and shows as a thumbnail from the OKPay origin.
    const fileInput = dialog.locator('input[type=file]');
    await fileInput.setInputFiles({ name: 'statement.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
    await dialog.getByText('只能发送 JPG、PNG、GIF 或 WebP 图片。').waitFor();
    const imageAtAgent = nextEvent<{ attachment: { id: string } | null }>(
      agent.socket,
      'message',
      (message) => message.attachment !== null,
    );
    await fileInput.setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png(120, 80, [22, 119, 255]) });
    expect((await imageAtAgent).attachment?.id).toBeTruthy();
    const thumbnail = dialog.getByRole('img', { name: '图片: receipt.png' });
    await thumbnail.waitFor();
    await expect.poll(() => thumbnail.evaluate((image) => (image as HTMLImageElement).naturalWidth)).toBe(120);
    await screenshot(page, 'widget-07-reply-receipt-and-image');

    // Closed panel: a new reply shows as an unread count on the bubble.
    await page.keyboard.press('Escape');
    await ask(agent.socket, 'message:send', { conversationId, body: '已经查到了，银行退回了这笔扣款。', clientMessageId: randomUUID() });
    const unreadBubble = page.getByRole('button', { name: '在线客服，1 条未读消息' });
    await unreadBubble.waitFor();
    await screenshot(page, 'widget-08-unread-badge');

    // Reload: the same visitor, the same conversation, every message once and in order, the badge still right.
    await page.reload();
    await page.getByRole('button', { name: '在线客服，1 条未读消息' }).waitFor();
    await page.getByRole('button', { name: /在线客服/ }).click();
    const reloaded = page.getByRole('dialog', { name: 'OKPay 客服中心' });
    await reloaded.getByText('已经查到了，银行退回了这笔扣款。').waitFor();
    const texts = await reloaded.getByRole('log').locator('.text').allTextContents();
    expect(texts).toHaveLength(8);
    expect(texts[0]).toBe('你好，我充值一直失败');
    expect(texts[1]).toContain('**** 4242');
    expect(texts[1]).not.toContain('4242 4242 4242 4242');
    // In seq order: the agent's message went in while the visitor was offline, theirs on reconnect.
    expect(texts.slice(2)).toEqual([
      '您好，我是李客服，正在为您查询这笔充值。',
      '断网期间客服发的消息',
      ...writtenOffline,
      '已经查到了，银行退回了这笔扣款。',
    ]);
    await reloaded.getByText('客服 李客服 为您服务').waitFor();
    await reloaded.getByRole('img', { name: '图片: receipt.png' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: '在线客服' }).count()).toBe(1);
    await screenshot(page, 'widget-09-after-reload');

    // Email the transcript: a visitor types where to, and proves the address with the code mailed there first.
    await reloaded.getByRole('button', { name: '发送聊天记录到邮箱' }).click();
    await reloaded.getByLabel('接收聊天记录的邮箱').fill('visitor.transcript@example.com');
    await reloaded.getByRole('button', { name: '发送', exact: true }).last().click();
    await reloaded.getByText('验证码已发送到 visitor.transcript@example.com，请输入邮件中的 6 位验证码').waitFor();
    const codeMail = await sink.waitFor((mail) => mail.to.includes('visitor.transcript@example.com'));
    expect(codeMail.text).not.toContain('已经查到了');
    const code = /\b(\d{6})\b/.exec(codeMail.text)?.[1] ?? '';
    await reloaded.getByLabel('邮件中的 6 位验证码').fill(code);
    await screenshot(page, 'widget-10b-transcript-code');
    await reloaded.getByRole('button', { name: '确认', exact: true }).click();
    await reloaded.getByText('聊天记录已发送到 visitor.transcript@example.com').waitFor();
    const transcript = await sink.waitFor((mail) => mail.to.includes('visitor.transcript@example.com') && mail.text.includes('已经查到了'));
    expect(transcript.text).toContain('已经查到了');

    // On a phone the panel takes the whole screen.
    await page.setViewportSize({ width: 390, height: 760 });
    const phone = await reloaded.boundingBox();
    expect(phone).toMatchObject({ x: 0, y: 0, width: 390, height: 760 });
    await screenshot(page, 'widget-12-phone');

    await ask(agent.socket, 'presence:set', { status: 'offline' });
    agent.socket.disconnect();
  });

  it('shows a signed-in customer as verified and offers their failed top-up first, with its reason', async () => {
    const login = await api<{ token: string }>('/api/auth/login', { body: { email: 'demo@okpay.local', password: demoPassword } });
    expect(login.status).toBe(200);
    const bearer = login.body.token;
    // The demo customer already has the insufficient-funds card bound by the seed.
    const cards = await api<{ cards: Array<{ id: string; last4: string }> }>('/api/wallet/cards', { bearer });
    const empty = cards.body.cards.find((card) => card.last4 === '9995');
    expect(empty).toBeDefined();
    const topUp = await api<{ id: string; status: string; createdAt: string }>('/api/wallet/top-ups', {
      body: { cardId: empty?.id, amount: 32_100, currency: 'CNY' },
      bearer,
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(topUp.body.status).toBe('failed');
    host.tokenFor.customer = async () => (await api<{ token: string }>('/api/support/realtime-token', { body: {}, bearer })).body.token;

    // Nobody online yet: the leave-a-message form already holds the address the customer proved is theirs.
    const offline = await openHostPage('widget-09', '/account');
    await offline.getByRole('button', { name: '在线客服' }).click();
    const offlineDialog = offline.getByRole('dialog', { name: 'OKPay 客服中心' });
    await offlineDialog.getByRole('heading', { name: '客服暂时不在线' }).waitFor();
    await expect.poll(() => offlineDialog.getByLabel('您的邮箱').inputValue()).toBe('demo@okpay.local');
    await screenshot(offline, 'widget-09-customer-offline-form-prefilled');
    await offline.context().close();

    const agent = await signInAgent();
    await ask(agent.socket, 'presence:set', { status: 'online' });
    // Free the agent's places from the previous test.
    for (const conversation of (
      await api<{ conversations: Array<{ id: string }> }>('/api/agent/conversations?view=mine', { bearer: agent.bearer })
    ).body.conversations) {
      await api(`/api/agent/conversations/${conversation.id}`, { method: 'PATCH', body: { status: 'resolved' }, bearer: agent.bearer });
    }

    const page = await openHostPage('widget-10', '/account');
    await page.getByRole('button', { name: '在线客服' }).click();
    const dialog = page.getByRole('dialog', { name: 'OKPay 客服中心' });
    const failed = dialog.getByRole('radio', { name: /充值 321\.00 CNY 失败/ });
    await failed.waitFor();
    // The browser is in New York; the account's times are China Standard Time, as in the web app.
    const shanghaiTime = new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const pickTime = await dialog.locator('.pick-time').first().textContent();
    expect(pickTime).toContain(shanghaiTime.format(new Date(topUp.body.createdAt)));
    await dialog.getByText('银行卡余额不足').first().waitFor();
    await screenshot(page, 'widget-10-customer-picker');
    await failed.check();
    // Picking the failed top-up picked the topic too.
    expect(await dialog.getByRole('radio', { name: '充值', exact: true }).isChecked()).toBe(true);
    const linked = nextEvent<{ conversationId: string; agent?: { name: string } }>(
      agent.socket,
      'conversation:updated',
      (event) => event.agent !== undefined,
    );
    await dialog.getByRole('button', { name: '开始咨询' }).click();
    await dialog.getByText('✓ 已验证身份').waitFor();
    await dialog.getByText('客服 李客服 为您服务').waitFor();
    const detail = await api<{ links: Array<{ type: string; id: string }> }>(`/api/agent/conversations/${(await linked).conversationId}`, {
      bearer: agent.bearer,
    });
    expect(JSON.stringify(detail.body)).toContain(topUp.body.id);
    // The customer sees what the agent sees: the failed top-up is attached.
    await dialog.getByText('本次咨询已关联：').waitFor();
    await dialog.getByText(/充值 321\.00 CNY 失败/).waitFor();
    await screenshot(page, 'widget-11-customer-verified-chat');
    agent.socket.disconnect();
  });
});
