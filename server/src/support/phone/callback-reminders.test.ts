import type { Locale, PushDevice, PushPayload } from '@okpay/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRealtimeToken } from '../../identity/index.js';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import type { HttpClient } from '../../test/http.js';
import { type PushService, pushTextWithoutIds, startPushService } from '../../test/push-service.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';
import { signedInCustomer } from '../../test/wallet.js';
import { deliverPush } from '../push/deliver-push.js';
import { releaseDueCallbacks } from './release-due-callbacks.js';
import { remindUpcomingCallbacks } from './remind-upcoming-callbacks.js';

/**
 * "We will call you shortly" at the protocol level: the customer's browser subscribes at a push
 * service on loopback, books a callback, and a few minutes before each attempt the sweep's notice
 * travels through the job queue to that service, which checks the VAPID signature and decrypts
 * the payload (RFC 8291) with the subscription's keys, as the phone would.
 */

// Wednesday 8 April 2026, 10:00 in Shanghai: the phone line is open 09:00–21:00.
const clock = fixedClock('2026-04-08T10:00:00+08:00');
let runtime: Runtime;
let pushService: PushService;
const env = () => ({
  PUSH_SERVICE_ORIGINS: pushService.origin,
  PUSH_CALLBACK_LEAD_MINUTES: '10',
  CALLBACK_RETRY_MINUTES: '30',
  // The clock jumps by the hour here: keep the customer signed in across them.
  SESSION_IDLE_MINUTES: '600',
});

beforeAll(async () => {
  pushService = await startPushService();
  runtime = await startTestRuntime({ clock, env: env() });
});

afterAll(async () => {
  await runtime?.close();
  await pushService?.close();
});

type Customer = Awaited<ReturnType<typeof signedInCustomer>>;

async function turnOnNotifications(client: HttpClient, timeZone = 'Asia/Shanghai', locale: Locale = 'zh-CN') {
  const key = (await client.get('/api/push/public-key')).body as { publicKey: string };
  const browser = pushService.subscribe(key.publicKey);
  const answer = await client.post('/api/push/subscriptions', { ...browser, id: undefined, timeZone, locale });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return { browser, device: answer.body as PushDevice };
}

/** Books a callback as the widget does (the customer's chat token), in the top-up topic. */
async function bookCallback(customer: Customer, slot: string): Promise<{ id: string; conversationId: string }> {
  const { token } = signRealtimeToken(runtime.deps.config.sessionSecret, { kind: 'customer', customerId: customer.id }, clock.now());
  const answer = await runtime.app.inject({
    method: 'POST',
    url: '/api/support/callbacks',
    headers: { 'x-chat-token': token, 'accept-language': 'zh-CN' },
    payload: { number: '+86 138-0013-8000', slot, category: 'top_up', timeZone: 'Asia/Shanghai' },
  });
  expect(answer.statusCode, answer.body).toBe(201);
  return answer.json();
}

const noticesTo = (browser: { id: string }) =>
  pushService.received.filter((push) => push.subscriptionId === browser.id && (push.payload as PushPayload).kind === 'callback_soon');

const noticeFor = (browser: { id: string }, body: string) =>
  pushService.next((push) => push.subscriptionId === browser.id && (push.payload as PushPayload).body === body, 15_000);

async function deliveries(conversationId: string) {
  const rows = await runtime.deps.pool.query<{
    id: string;
    subscription_id: string;
    dedupe_key: string;
    status: string;
    send_after: Date;
    outcome: string | null;
  }>(
    `SELECT id, subscription_id, dedupe_key, status, send_after, outcome FROM push_deliveries
      WHERE conversation_id = $1 AND kind = 'callback_soon' ORDER BY created_at, subscription_id`,
    [conversationId],
  );
  return rows.rows;
}

describe('the notice that a booked callback is about to happen', () => {
  it('comes a few minutes before each attempt, naming the callback only, and a tap opens the conversation', async () => {
    clock.set('2026-04-08T10:00:00+08:00');
    const customer = await signedInCustomer(runtime);
    const { browser } = await turnOnNotifications(customer.client);
    const callback = await bookCallback(customer, '2026-04-08T11:00:00+08:00');

    // 11 minutes ahead is not yet "a few minutes before".
    clock.set('2026-04-08T10:49:00+08:00');
    await remindUpcomingCallbacks(runtime.deps);
    expect(await deliveries(callback.conversationId)).toEqual([]);

    clock.set('2026-04-08T10:50:00+08:00');
    await remindUpcomingCallbacks(runtime.deps);
    const first = await noticeFor(browser, '您预约的「充值」回电：客服将在 今天 11:00 致电您留下的号码，请留意接听');
    expect(first.payload).toEqual({
      v: 1,
      kind: 'callback_soon',
      conversationId: callback.conversationId,
      title: '客服即将给您回电',
      body: '您预约的「充值」回电：客服将在 今天 11:00 致电您留下的号码，请留意接听',
      url: `/app/support/${callback.conversationId}`,
      tag: `conversation-${callback.conversationId}`,
      lang: 'zh-CN',
      sentAt: clock.now().toISOString(),
    });
    // The number the agent will dial never leaves for the push service; the notice is gone once the call is due.
    expect(pushTextWithoutIds(first)).not.toMatch(/138|8000/);
    expect(first).toMatchObject({ urgency: 'high', ttl: 600 });
    // Sweeping again (this minute or the next) announces nothing more.
    expect(await remindUpcomingCallbacks(runtime.deps)).toBe(0);
    clock.set('2026-04-08T10:51:00+08:00');
    expect(await remindUpcomingCallbacks(runtime.deps)).toBe(0);
    await expect.poll(async () => (await deliveries(callback.conversationId)).map((row) => row.status)).toEqual(['sent']);

    // Nobody answers; the retry half an hour later is announced again, ten minutes before it.
    clock.set('2026-04-08T11:00:00+08:00');
    await releaseDueCallbacks(runtime.deps);
    const agent = await signedInStaff(runtime, 'agent');
    const missed = await agent.client.post(`/api/agent/callbacks/${callback.id}/attempts`, { outcome: 'no-answer' });
    expect(missed.body).toMatchObject({ state: 'scheduled', attempts: 1, dueAt: '2026-04-08T03:30:00.000Z' });
    clock.set('2026-04-08T11:20:00+08:00');
    await remindUpcomingCallbacks(runtime.deps);
    await noticeFor(browser, '您预约的「充值」回电：客服将在 今天 11:30 致电您留下的号码，请留意接听');
    await expect
      .poll(async () => (await deliveries(callback.conversationId)).map((row) => `${row.dedupe_key}:${row.status}`))
      .toEqual([`callback:${callback.id}:1:sent`, `callback:${callback.id}:2:sent`]);
    expect(noticesTo(browser)).toHaveLength(2);
  });

  it('is not sent to a customer who turned it off, while their other notifications stay on', async () => {
    clock.set('2026-04-08T10:00:00+08:00');
    const customer = await signedInCustomer(runtime);
    const { browser } = await turnOnNotifications(customer.client);
    // Only the kind the page changed: a release that did not know it leaves it as it was.
    const older = await customer.client.put('/api/push/preferences', {
      push: { agent_reply: true, email_reply: true, resolved: true, waiting: false },
      quietHours: null,
    });
    expect(older.body).toMatchObject({ push: { waiting: false, callback_soon: true } });
    const off = await customer.client.put('/api/push/preferences', { push: { callback_soon: false }, quietHours: null });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({
      push: { agent_reply: true, email_reply: true, resolved: true, waiting: false, callback_soon: false },
      quietHours: null,
    });
    const callback = await bookCallback(customer, '2026-04-08T11:00:00+08:00');

    clock.set('2026-04-08T10:50:00+08:00');
    await remindUpcomingCallbacks(runtime.deps);
    expect(await deliveries(callback.conversationId)).toEqual([]);

    // Turned off while a notice waits out quiet hours, it is not sent either.
    await customer.client.put('/api/push/preferences', { push: { callback_soon: true }, quietHours: { start: '11:00', end: '11:25' } });
    const later = await bookCallbackAfterMiss(customer, callback);
    expect(later.status).toBe('queued');
    await customer.client.put('/api/push/preferences', { push: { callback_soon: false }, quietHours: null });
    await deliverPush(runtime.deps, later.id);
    expect((await deliveries(callback.conversationId)).map((row) => `${row.status}:${row.outcome}`)).toEqual(['skipped:turned_off']);
    expect(noticesTo(browser)).toEqual([]);
  });

  it('is sent once per attempt to each device with two nodes sweeping at the same moment', async () => {
    clock.set('2026-04-08T10:00:00+08:00');
    const second = await startTestRuntime({ clock, env: env(), databaseUrl: runtime.databaseUrl });
    try {
      const customer = await signedInCustomer(runtime);
      const phone = await turnOnNotifications(customer.client);
      const tablet = await turnOnNotifications(customer.client);
      const callback = await bookCallback(customer, '2026-04-08T11:00:00+08:00');

      clock.set('2026-04-08T10:52:00+08:00');
      const claimed = await Promise.all([
        remindUpcomingCallbacks(runtime.deps),
        remindUpcomingCallbacks(second.deps),
        remindUpcomingCallbacks(runtime.deps),
        remindUpcomingCallbacks(second.deps),
      ]);
      expect(claimed.reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(1);
      expect([await remindUpcomingCallbacks(runtime.deps), await remindUpcomingCallbacks(second.deps)]).toEqual([0, 0]);
      const body = '您预约的「充值」回电：客服将在 今天 11:00 致电您留下的号码，请留意接听';
      await Promise.all([noticeFor(phone.browser, body), noticeFor(tablet.browser, body)]);
      await expect.poll(async () => (await deliveries(callback.conversationId)).map((row) => row.status)).toEqual(['sent', 'sent']);
      // Both nodes' workers are listening: give a duplicate every chance to arrive.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(noticesTo(phone.browser)).toHaveLength(1);
      expect(noticesTo(tablet.browser)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('keeps to quiet hours: held until they end when that is before the call, not sent when it is after', async () => {
    clock.set('2026-04-08T10:00:00+08:00');
    const customer = await signedInCustomer(runtime);
    const shanghai = await turnOnNotifications(customer.client, 'Asia/Shanghai');
    const london = await turnOnNotifications(customer.client, 'Europe/London', 'en');
    // 10:30–11:30 on each device's clock: all of Shanghai's wait, none of London's night (03:50 there).
    await customer.client.put('/api/push/preferences', { push: {}, quietHours: { start: '10:30', end: '11:30' } });
    const callback = await bookCallback(customer, '2026-04-08T11:00:00+08:00');

    clock.set('2026-04-08T10:50:00+08:00');
    await remindUpcomingCallbacks(runtime.deps);
    const abroad = await noticeFor(london.browser, 'Your top-up callback: an agent will call the number you gave today 04:00.');
    expect(abroad.payload).toMatchObject({ title: 'We will call you shortly', lang: 'en' });
    const rows = await deliveries(callback.conversationId);
    expect(rows.find((row) => row.subscription_id === shanghai.device.id)).toMatchObject({
      status: 'skipped',
      outcome: 'quiet_hours',
    });
    expect(noticesTo(shanghai.browser)).toEqual([]);

    // Quiet hours that end before the retry's call hold its notice until then, and no later than the call.
    await customer.client.put('/api/push/preferences', { push: {}, quietHours: { start: '11:00', end: '11:25' } });
    const retry = await bookCallbackAfterMiss(customer, callback);
    expect(retry.send_after).toEqual(new Date('2026-04-08T03:25:00Z'));
    expect(retry.status).toBe('queued');
    // Sent after its call was due (a node was down), it is dropped instead.
    clock.set('2026-04-08T11:31:00+08:00');
    await deliverPush(runtime.deps, retry.id);
    const dropped = await runtime.deps.pool.query('SELECT status, outcome FROM push_deliveries WHERE id = $1', [retry.id]);
    expect(dropped.rows).toEqual([{ status: 'skipped', outcome: 'callback_due' }]);
    expect(noticesTo(shanghai.browser)).toEqual([]);
  });
});

/**
 * The 11:00 call is missed and retried at 11:30; the sweep at 11:20 queues its notice. Answers the
 * Shanghai-zone device's delivery for that second attempt (held or not).
 */
async function bookCallbackAfterMiss(customer: Customer, callback: { id: string; conversationId: string }) {
  clock.set('2026-04-08T11:00:00+08:00');
  await releaseDueCallbacks(runtime.deps);
  const agent = await signedInStaff(runtime, 'agent');
  const missed = await agent.client.post(`/api/agent/callbacks/${callback.id}/attempts`, { outcome: 'no-answer' });
  expect(missed.body).toMatchObject({ state: 'scheduled', attempts: 1 });
  clock.set('2026-04-08T11:20:00+08:00');
  await remindUpcomingCallbacks(runtime.deps);
  const devices = ((await customer.client.get('/api/push/devices')).body as { devices: PushDevice[] }).devices;
  const shanghai = devices.find((device) => device.timeZone === 'Asia/Shanghai');
  const rows = await deliveries(callback.conversationId);
  const row = rows.find((item) => item.dedupe_key === `callback:${callback.id}:2` && item.subscription_id === shanghai?.id);
  if (!row) throw new Error(`no notice queued for the retry: ${JSON.stringify(rows)}`);
  return row;
}
