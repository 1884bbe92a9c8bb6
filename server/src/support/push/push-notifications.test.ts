import type { PushDevice, PushPayload } from '@okpay/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { goodPassword, type HttpClient, httpClient } from '../../test/http.js';
import { type BrowserSubscription, type PushService, pushTextWithoutIds, startPushService } from '../../test/push-service.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';
import { signedInCustomer } from '../../test/wallet.js';
import { startConversation } from '../conversations/start-conversation.js';
import { deliverPush } from './deliver-push.js';
import { queueWaitingNotices } from './waiting-notices.js';

/**
 * Web Push end to end at the protocol level: the customer's browser subscribes with the server's
 * VAPID key at a push service on loopback; support's answers travel through the outbox and the job
 * queue to that service, which verifies the VAPID signature and decrypts the payload with the
 * subscription's private key, as the phone would.
 */

// Monday 7 December 2026, 10:00 in Shanghai: chat is open.
const clock = fixedClock('2026-12-07T02:00:00Z');
let runtime: Runtime;
let pushService: PushService;
let agent: Awaited<ReturnType<typeof signedInStaff>>;

beforeAll(async () => {
  pushService = await startPushService();
  runtime = await startTestRuntime({ clock, env: { PUSH_SERVICE_ORIGINS: `https://fcm.googleapis.com,${pushService.origin}` } });
  agent = await signedInStaff(runtime, 'agent', { displayName: '李客服' });
});

afterAll(async () => {
  await runtime?.close();
  await pushService?.close();
});

type Customer = Awaited<ReturnType<typeof signedInCustomer>>;

/** What the app does when the customer allows notifications: subscribe with the server's key, then tell the server. */
async function turnOnNotifications(
  client: HttpClient,
  timeZone = 'Asia/Shanghai',
): Promise<{ browser: BrowserSubscription & { id: string }; device: PushDevice }> {
  const key = await client.get('/api/push/public-key');
  expect(key.status).toBe(200);
  const browser = pushService.subscribe((key.body as { publicKey: string }).publicKey);
  const answer = await client.post('/api/push/subscriptions', { ...browser, id: undefined, timeZone, locale: 'zh-CN' });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return { browser, device: answer.body as PushDevice };
}

async function startChat(customer: Customer, message: string) {
  const { conversation } = await startConversation(runtime.deps, {
    participant: { kind: 'customer', customerId: customer.id, name: '王小明' },
    category: 'top_up',
    links: [],
    message,
    locale: 'zh-CN',
  });
  return conversation;
}

const pushFor = (browser: { id: string }, kind: string) =>
  pushService.next((push) => push.subscriptionId === browser.id && (push.payload as PushPayload).kind === kind, 15_000);

async function deliveries(conversationId: string) {
  const rows = await runtime.deps.pool.query<{ kind: string; status: string; send_after: Date; outcome: string | null }>(
    'SELECT kind, status, send_after, outcome FROM push_deliveries WHERE conversation_id = $1 ORDER BY created_at',
    [conversationId],
  );
  return rows.rows;
}

describe('web push to the customer’s devices', () => {
  it('carries an agent’s chat answer to the phone, encrypted for it, naming the conversation and nothing else', async () => {
    const customer = await signedInCustomer(runtime);
    const { browser, device } = await turnOnNotifications(customer.client);
    expect(device).toMatchObject({ service: new URL(pushService.origin).host, timeZone: 'Asia/Shanghai', isCurrentSession: true });
    const conversation = await startChat(customer, '我用尾号 4242 的卡充值 500 元失败了');

    const reply = await agent.client.post(`/api/agent/conversations/${conversation.id}/messages`, {
      body: '您的 ¥500.00 已退回卡 4242 4242 4242 4242',
    });
    expect(reply.status).toBe(201);
    const push = await pushFor(browser, 'agent_reply');

    expect(push.payload).toEqual({
      v: 1,
      kind: 'agent_reply',
      conversationId: conversation.id,
      title: '客服回复了您',
      body: '「充值」咨询有新回复，点击查看',
      url: `/app/support/${conversation.id}`,
      tag: `conversation-${conversation.id}`,
      lang: 'zh-CN',
      sentAt: clock.now().toISOString(),
    });
    // No amount, card digits or message text ever leaves for the push service.
    expect(pushTextWithoutIds(push)).not.toMatch(/500|4242|退回/);
    expect(push).toMatchObject({ urgency: 'high', ttl: 86_400, topic: conversation.id.replaceAll('-', '') });
    expect(push.vapid).toMatchObject({ aud: pushService.origin, sub: 'mailto:support@okpay.local' });
    await expect.poll(async () => (await deliveries(conversation.id)).map((row) => row.status)).toEqual(['sent']);
    const devices = await customer.client.get('/api/push/devices');
    expect((devices.body as { devices: PushDevice[] }).devices[0]?.lastSentAt).toBe(clock.now().toISOString());
  });

  it('says an email answer arrived, then asks for a rating once the conversation is resolved', async () => {
    const customer = await signedInCustomer(runtime);
    const { browser } = await turnOnNotifications(customer.client);
    const left = await customer.client.post('/api/support/offline-messages', {
      email: customer.email,
      category: 'exchange',
      message: '换汇的手续费怎么算？',
      locale: 'zh-CN',
    });
    expect(left.status).toBe(201);
    const { conversationId, reference } = left.body as { conversationId: string; reference: string };

    await agent.client.post(`/api/agent/conversations/${conversationId}/messages`, { body: '手续费是 0.5%' });
    const answered = await pushFor(browser, 'email_reply');
    expect(answered.payload).toMatchObject({
      title: '我们回复了您的邮件',
      body: `工单 #${reference}的回复已发到您的邮箱，也可以在 OKPay 中查看`,
      url: `/app/support/${conversationId}`,
    });

    expect((await agent.client.patch(`/api/agent/conversations/${conversationId}`, { status: 'resolved' })).status).toBe(200);
    const resolved = await pushFor(browser, 'resolved');
    expect(resolved.payload).toMatchObject({ title: '您的问题已解决', body: `工单 #${reference}已解决。这次服务怎么样？点击评价` });
  });

  it('drops a device whose push service answers 410 Gone, and keeps the others', async () => {
    const customer = await signedInCustomer(runtime);
    const phone = await turnOnNotifications(customer.client);
    const laptop = await turnOnNotifications(customer.client);
    pushService.answer(phone.browser.id, 410);
    const conversation = await startChat(customer, '在吗');
    await agent.client.post(`/api/agent/conversations/${conversation.id}/messages`, { body: '在的' });

    await pushFor(laptop.browser, 'agent_reply');
    await expect
      .poll(
        async () => ((await customer.client.get('/api/push/devices')).body as { devices: PushDevice[] }).devices.map((item) => item.id),
        {
          timeout: 15_000,
        },
      )
      .toEqual([laptop.device.id]);
  });

  it('tries a busy push service again, and gives up after the last attempt with its answer kept', async () => {
    const customer = await signedInCustomer(runtime);
    const { browser, device } = await turnOnNotifications(customer.client);
    pushService.answer(browser.id, 503);
    const conversation = await startChat(customer, '你好');
    await agent.client.post(`/api/agent/conversations/${conversation.id}/messages`, { body: '您好' });
    const attempts = async () =>
      (
        await runtime.deps.pool.query<{ id: string; attempts: number; status: string }>(
          'SELECT id, attempts, status FROM push_deliveries WHERE subscription_id = $1',
          [device.id],
        )
      ).rows[0];
    await expect.poll(async () => (await attempts())?.attempts ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    expect((await attempts())?.status).toBe('queued');

    const delivery = await attempts();
    await runtime.deps.pool.query('UPDATE push_deliveries SET attempts = 4 WHERE id = $1', [delivery?.id]);
    await deliverPush(runtime.deps, delivery?.id ?? '');
    const final = await runtime.deps.pool.query('SELECT status, attempts, outcome FROM push_deliveries WHERE id = $1', [delivery?.id]);
    expect(final.rows[0]).toEqual({ status: 'failed', attempts: 5, outcome: '503' });
    // The device stays: a busy service says nothing about the subscription.
    expect(((await customer.client.get('/api/push/devices')).body as { devices: PushDevice[] }).devices).toHaveLength(1);
  });

  it('stops at sign-out, and never announces an internal note', async () => {
    const customer = await signedInCustomer(runtime);
    const { browser } = await turnOnNotifications(customer.client);
    const conversation = await startChat(customer, '你好');
    await agent.client.post(`/api/agent/conversations/${conversation.id}/messages`, { body: '内部备注：核实中', isInternal: true });
    await agent.client.post(`/api/agent/conversations/${conversation.id}/messages`, { body: '您好，请稍等' });
    await pushFor(browser, 'agent_reply');
    expect((await deliveries(conversation.id)).map((row) => row.kind)).toEqual(['agent_reply']);

    expect((await customer.client.post('/api/auth/logout')).status).toBe(204);
    const left = await runtime.deps.pool.query('SELECT 1 FROM push_subscriptions WHERE customer_id = $1', [customer.id]);
    expect(left.rowCount).toBe(0);
  });

  it('stops when the device is signed out from another device, and keeps a device whose session merely lapsed', async () => {
    const customer = await signedInCustomer(runtime);
    await turnOnNotifications(customer.client);
    const laptop = httpClient(runtime.app);
    expect((await laptop.post('/api/auth/login', { email: customer.email, password: goodPassword })).status).toBe(200);
    const sessions = (await laptop.get('/api/auth/sessions')).body as { sessions: Array<{ id: string; isCurrent: boolean }> };
    const phone = sessions.sessions.find((session) => !session.isCurrent);
    expect((await laptop.delete(`/api/auth/sessions/${phone?.id}`)).status).toBe(204);
    const left = await runtime.deps.pool.query('SELECT 1 FROM push_subscriptions WHERE customer_id = $1', [customer.id]);
    expect(left.rowCount).toBe(0);

    // A session that expires without anyone signing out keeps notifying its device.
    await turnOnNotifications(laptop);
    await runtime.deps.pool.query("UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE customer_id = $1", [customer.id]);
    const kept = await runtime.deps.pool.query('SELECT 1 FROM push_subscriptions WHERE customer_id = $1', [customer.id]);
    expect(kept.rowCount).toBe(1);
  });

  it('holds a notification during the customer’s quiet hours until they end on the device’s clock', async () => {
    const customer = await signedInCustomer(runtime);
    const saved = await customer.client.put('/api/push/preferences', {
      push: { agent_reply: true, email_reply: true, resolved: true, waiting: true },
      quietHours: { start: '09:30', end: '12:00' },
    });
    expect(saved.body).toMatchObject({ quietHours: { start: '09:30', end: '12:00' } });
    // 10:00 in Shanghai is quiet; in London it is 02:00, outside 09:30–12:00.
    const shanghai = await turnOnNotifications(customer.client, 'Asia/Shanghai');
    const london = await turnOnNotifications(customer.client, 'Europe/London');
    const conversation = await startChat(customer, '你好');
    await agent.client.post(`/api/agent/conversations/${conversation.id}/messages`, { body: '您好' });

    await pushFor(london.browser, 'agent_reply');
    const held = await runtime.deps.pool.query<{ status: string; send_after: Date }>(
      'SELECT status, send_after FROM push_deliveries WHERE subscription_id = $1',
      [shanghai.device.id],
    );
    expect(held.rows).toEqual([{ status: 'queued', send_after: new Date('2026-12-07T04:00:00Z') }]);
    expect(pushService.received.some((push) => push.subscriptionId === shanghai.browser.id)).toBe(false);
  });

  it('sends only the kinds the customer chose', async () => {
    const customer = await signedInCustomer(runtime);
    await customer.client.put('/api/push/preferences', {
      push: { agent_reply: false, email_reply: true, resolved: true, waiting: true },
      quietHours: null,
    });
    const { browser } = await turnOnNotifications(customer.client);
    const conversation = await startChat(customer, '你好');
    await agent.client.post(`/api/agent/conversations/${conversation.id}/messages`, { body: '您好' });
    await agent.client.patch(`/api/agent/conversations/${conversation.id}`, { status: 'resolved' });
    await pushFor(browser, 'resolved');
    expect((await deliveries(conversation.id)).map((row) => row.kind)).toEqual(['resolved']);
  });

  it('tells a customer who has waited long that we are on it, honestly and once per wait', async () => {
    const customer = await signedInCustomer(runtime);
    const { browser } = await turnOnNotifications(customer.client);
    const conversation = await startChat(customer, '充值一直不到账');
    expect(await queueWaitingNotices(runtime.deps)).toBe(0);

    clock.advance(11 * 60_000);
    expect(await queueWaitingNotices(runtime.deps)).toBe(1);
    expect(await queueWaitingNotices(runtime.deps)).toBe(0);
    const push = await pushFor(browser, 'waiting');
    // Nobody is online in this test: the notice says so rather than promising a wait.
    expect(push.payload).toMatchObject({
      conversationId: conversation.id,
      title: '我们正在处理',
      body: '「充值」咨询：客服暂时都在忙，没有人在线，我们会尽快回复您',
    });
    expect(push).toMatchObject({ urgency: 'low', ttl: 3600 });
    clock.advance(-11 * 60_000);
  });

  it('refuses push services it does not know, keys off the curve, and renewing a device that was turned off', async () => {
    const customer = await signedInCustomer(runtime);
    const key = (await customer.client.get('/api/push/public-key')).body as { publicKey: string };
    const browser = pushService.subscribe(key.publicKey);
    const body = { endpoint: browser.endpoint, keys: browser.keys };

    const metadata = await customer.client.post('/api/push/subscriptions', {
      ...body,
      endpoint: 'http://169.254.169.254/latest/meta-data',
    });
    expect(metadata.status).toBe(400);
    expect(metadata.body).toMatchObject({ error: { code: 'push_service_not_allowed' } });
    const offCurve = await customer.client.post('/api/push/subscriptions', {
      ...body,
      keys: { ...body.keys, p256dh: `B${'A'.repeat(86)}` },
    });
    expect(offCurve.body).toMatchObject({ error: { code: 'push_key_invalid' } });
    const renew = await customer.client.put('/api/push/subscriptions', body);
    expect(renew.status).toBe(404);
    expect(renew.body).toMatchObject({ error: { code: 'push_subscription_not_found', message: '此设备尚未开启通知' } });

    expect((await customer.client.post('/api/push/subscriptions', body)).status).toBe(201);
    expect((await customer.client.put('/api/push/subscriptions', { ...body, timeZone: 'Europe/Berlin' })).body).toMatchObject({
      timeZone: 'Europe/Berlin',
    });
    const devices = (await customer.client.get('/api/push/devices')).body as { devices: PushDevice[] };
    const stranger = await signedInCustomer(runtime);
    expect((await stranger.client.delete(`/api/push/devices/${devices.devices[0]?.id}`)).status).toBe(404);
    expect((await customer.client.delete(`/api/push/devices/${devices.devices[0]?.id}`)).status).toBe(204);
    expect((await customer.client.put('/api/push/subscriptions', body)).status).toBe(404);
    expect((await customer.client.get('/api/push/devices')).body).toEqual({ devices: [] });
  });
});

describe('the customer’s conversations in the app', () => {
  it('lists them with unread answers, shows one without internal notes, and marks it read', async () => {
    const customer = await signedInCustomer(runtime);
    const conversation = await startChat(customer, '你好');
    await agent.client.post(`/api/agent/conversations/${conversation.id}/messages`, { body: '内部备注', isInternal: true });
    await agent.client.post(`/api/agent/conversations/${conversation.id}/messages`, { body: '您好，有什么可以帮您？' });

    const list = await customer.client.get('/api/support/my-conversations');
    expect(list.body).toMatchObject({
      conversations: [{ id: conversation.id, channel: 'chat', category: 'top_up', hasUnreadReply: true }],
    });
    const detail = await customer.client.get(`/api/support/my-conversations/${conversation.id}`);
    expect((detail.body as { messages: Array<{ body: string }> }).messages.map((message) => message.body)).toEqual([
      '你好',
      '您好，有什么可以帮您？',
    ]);
    expect((await customer.client.post(`/api/support/my-conversations/${conversation.id}/read`)).status).toBe(204);
    expect((await customer.client.get('/api/support/my-conversations')).body).toMatchObject({ conversations: [{ hasUnreadReply: false }] });

    const stranger = await signedInCustomer(runtime);
    const refused = await stranger.client.get(`/api/support/my-conversations/${conversation.id}`);
    expect(refused.status).toBe(404);
  });
});
