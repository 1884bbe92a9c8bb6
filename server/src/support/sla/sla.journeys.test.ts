import type { Report, SlaAtRisk, SlaClock, SlaSettings } from '@okpay/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, replayFromStart } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { caughtUp, publishedEvents } from '../../test/events.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';
import { reportsSubscriber } from '../reports/build-reports.js';
import { slaClocksSubscription } from '../support.subscribers.js';
import { evaluateSla } from './evaluate-sla.js';

// A Friday evening in Shanghai: the email promise runs over the weekend, business time does not.
const clock = fixedClock('2026-12-04T19:00:00+08:00');
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ clock });
  // Nobody online: messages are left through the widget's offline form (email conversations).
  await runtime.deps.pool.query("UPDATE agent_presence SET status = 'offline'");
});
afterAll(() => runtime?.close());

// The test clock jumps days ahead, past any session's idle time: staff sign in at the time they act.
const signedIn = new Map<string, Promise<Awaited<ReturnType<typeof signedInStaff>>>>();
function staff(role: 'agent' | 'supervisor' | 'admin') {
  const key = `${role}@${clock.now().toISOString()}`;
  let found = signedIn.get(key);
  if (!found) {
    found = signedInStaff(runtime, role);
    signedIn.set(key, found);
  }
  return found.then((member) => member.client);
}

type InboxItem = { id: string; responseDueAt: string | null; sla: SlaClock | null };
type Detail = {
  conversation: { status: string; sla: SlaClock[]; responseDueAt: string | null };
  events: Array<{ type: string; data: Record<string, unknown> }>;
};

async function leaveMessage(email: string, message = '我的账户被冻结了，请帮我看看') {
  const left = await runtime.app.inject({
    method: 'POST',
    url: '/api/support/offline-messages',
    payload: { email, message, category: 'freeze' },
  });
  expect(left.statusCode).toBe(201);
  await runtime.events.drain();
  return left.json() as { conversationId: string; reference: string; message: string; expectedReplyAt: string | null };
}
const detail = async (id: string) => (await (await staff('agent')).get(`/api/agent/conversations/${id}`)).body as Detail;
const clockOf = (found: Detail, target: SlaClock['target']) => found.conversation.sla.find((item) => item.target === target) as SlaClock;
const slaEvents = async (conversationId: string) =>
  (await publishedEvents(runtime.deps.pool, { typePrefix: 'support.sla.', subjectId: conversationId })).map(({ type, payload }) => ({
    type,
    payload,
  }));
const slaEventCount = async () => (await publishedEvents(runtime.deps.pool, { typePrefix: 'support.sla.' })).length;

describe('SLA clocks end to end', () => {
  it('an offline message is due in 48 wall-clock hours: the customer is told that time, and the inbox counts it down', async () => {
    clock.set('2026-12-04T19:00:00+08:00');
    const left = await leaveMessage('sla.first@example.com');
    expect(left.expectedReplyAt).toBe('2026-12-06T11:00:00.000Z');
    expect(left.message).toContain('客服会在 48 小时内通过邮件回复您，预计在 2026年12月6日星期日 19:00（中国标准时间）前回复');
    const inbox = (await (await staff('agent')).get('/api/agent/conversations?view=all&sort=due')).body as { conversations: InboxItem[] };
    const item = inbox.conversations.find((entry) => entry.id === left.conversationId);
    expect(item?.responseDueAt).toBe('2026-12-06T11:00:00.000Z');
    expect(item?.sla).toMatchObject({
      target: 'first_reply',
      state: 'running',
      clock: 'wall',
      remainingMs: 48 * 3_600_000,
      isTicking: true,
    });
    // The acknowledgement mail promises the same instant.
    await expect
      .poll(async () => {
        const mail = await runtime.deps.pool.query<{ text: string }>(
          "SELECT text FROM dev_mailbox WHERE recipient = 'sla.first@example.com'",
        );
        return mail.rows[0]?.text ?? '';
      })
      .toContain('预计在 2026年12月6日星期日 19:00（中国标准时间）前回复');
    await (await staff('agent')).patch(`/api/agent/conversations/${left.conversationId}`, { status: 'resolved' });
  });

  it('resolution counts business days only: paused while pending, met when resolved, announced once', async () => {
    clock.set('2026-12-07T10:00:00+08:00'); // Monday
    const { conversationId } = await leaveMessage('sla.pending@example.com');
    expect(clockOf(await detail(conversationId), 'resolution')).toMatchObject({ state: 'running', dueAt: '2026-12-10T02:00:00.000Z' });
    await (await staff('agent')).post(`/api/agent/conversations/${conversationId}/messages`, { body: '请提供您的注册手机号。' });
    clock.set('2026-12-07T11:00:00+08:00');
    expect((await (await staff('agent')).patch(`/api/agent/conversations/${conversationId}`, { status: 'pending' })).status).toBe(200);
    await runtime.events.drain();
    let found = await detail(conversationId);
    expect(clockOf(found, 'first_reply')).toMatchObject({ state: 'met' });
    expect(clockOf(found, 'resolution')).toMatchObject({
      state: 'paused',
      pausedReason: 'pending',
      dueAt: null,
      remainingMs: 26 * 3_600_000,
    });
    // Two days later the case goes on: 26 business hours from Wednesday 10:00 are due Friday 18:00.
    clock.set('2026-12-09T10:00:00+08:00');
    await (await staff('agent')).patch(`/api/agent/conversations/${conversationId}`, { status: 'open' });
    await runtime.events.drain();
    expect(clockOf(await detail(conversationId), 'resolution').dueAt).toBe('2026-12-11T10:00:00.000Z');
    clock.set('2026-12-09T11:00:00+08:00');
    await (await staff('agent')).patch(`/api/agent/conversations/${conversationId}`, { status: 'resolved' });
    await runtime.events.drain();
    found = await detail(conversationId);
    expect(clockOf(found, 'resolution')).toMatchObject({ state: 'met' });
    const events = await slaEvents(conversationId);
    expect(events.map((event) => [event.type, event.payload.target])).toEqual([
      ['support.sla.met', 'first_reply'],
      ['support.sla.met', 'resolution'],
    ]);
    expect(events[1]?.payload).toMatchObject({
      conversationId,
      actorType: 'system',
      actorId: null,
      policy: 'email',
      due: '2026-12-11T10:00:00.000Z',
      at: '2026-12-09T03:00:00.000Z',
    });
  });

  it('the breach job warns at 80 %, then records the breach once: timeline, outbox, raised in the queue, at risk for supervisors', async () => {
    clock.set('2026-12-14T09:00:00+08:00');
    const { conversationId } = await leaveMessage('sla.late@example.com');
    clock.set('2026-12-15T23:30:00+08:00'); // 38.5 of 48 hours: past 80 %
    // The minute job may have got there first (it runs on this clock too), and may still be
    // committing what this run skipped as locked: either way, once.
    await evaluateSla(runtime.deps);
    const types = async () => (await slaEvents(conversationId)).map((event) => event.type);
    await expect.poll(types).toEqual(['support.sla.warning']);
    let risk = (await (await staff('supervisor')).get('/api/agent/sla/at-risk')).body as SlaAtRisk;
    expect(risk.items.find((item) => item.conversationId === conversationId)?.clock).toMatchObject({
      target: 'first_reply',
      risk: 'warning',
    });
    clock.set('2026-12-16T09:30:00+08:00');
    await evaluateSla(runtime.deps);
    await expect.poll(types).toEqual(['support.sla.warning', 'support.sla.breached']);
    expect(await evaluateSla(runtime.deps)).toMatchObject({ breached: 0, warned: 0 });
    const found = await detail(conversationId);
    expect(found.events.filter((event) => event.type.startsWith('sla_')).map((event) => [event.type, event.data.target])).toEqual([
      ['sla_warning', 'first_reply'],
      ['sla_breached', 'first_reply'],
    ]);
    expect((await slaEvents(conversationId)).map((event) => event.type)).toEqual(['support.sla.warning', 'support.sla.breached']);
    const row = await runtime.deps.pool.query('SELECT sla_risk FROM conversations WHERE id = $1', [conversationId]);
    expect(row.rows[0]?.sla_risk).toBe(2);
    risk = (await (await staff('supervisor')).get('/api/agent/sla/at-risk')).body as SlaAtRisk;
    expect(risk.breached).toBeGreaterThanOrEqual(1);
    expect(risk.items[0]).toMatchObject({ conversationId, clock: { risk: 'breached', remainingMs: -30 * 60_000 } });
    // Answering late stops the clock as breached without announcing the breach again.
    await (await staff('agent')).post(`/api/agent/conversations/${conversationId}/messages`, { body: '抱歉久等了。' });
    await runtime.events.drain();
    expect(clockOf(await detail(conversationId), 'first_reply').state).toBe('breached');
    expect((await slaEvents(conversationId)).map((event) => event.type)).toEqual(['support.sla.warning', 'support.sla.breached']);
  });

  it('a replay of the events from the first rebuilds the same clocks and announces nothing again', async () => {
    const snapshot = async () =>
      (
        await runtime.deps.pool.query(
          `SELECT conversation_id, target, policy_name, cycle, state, started_at, resumed_at, elapsed_ms, due_at, warn_at, stopped_at
           FROM sla_clocks ORDER BY conversation_id, target`,
        )
      ).rows;
    const before = await snapshot();
    const announced = await slaEventCount();
    expect(before.length).toBe(6);
    await runtime.deps.pool.query("UPDATE sla_clocks SET state = 'cancelled', elapsed_ms = 0, due_at = NULL, warn_at = NULL, cycle = 0");
    clock.set('2027-03-01T12:00:00+08:00'); // the replay runs later; the clocks follow the events' time
    expect(await replayFromStart(runtime.deps.db, slaClocksSubscription)).toBe(true);
    // The node's own dispatch loop may hold the subscriber's batch while drain looks: wait for the rebuilt clocks.
    await runtime.events.drain();
    await expect.poll(snapshot).toEqual(before);
    expect(await slaEventCount()).toBe(announced);
  });

  it('an email an agent starts and a message left in the widget are announced once, with what clocks and reports need', async () => {
    clock.set('2026-12-22T10:00:00+08:00'); // Tuesday
    const left = await leaveMessage('sla.once@example.com');
    const started = await (await staff('agent')).post('/api/agent/email/conversations', {
      to: 'sla.written@example.com',
      subject: '关于您的退款',
      body: '您好，您的退款已经处理。',
    });
    expect(started.status).toBe(201);
    const { conversationId: written } = started.body as { conversationId: string };
    await caughtUp(runtime, slaClocksSubscription);
    await caughtUp(runtime, reportsSubscriber);

    for (const conversationId of [left.conversationId, written]) {
      const created = await runtime.deps.pool.query<{ payload: Record<string, unknown> }>(
        "SELECT payload FROM domain_events WHERE subject_id = $1 AND type = 'support.conversation.created'",
        [conversationId],
      );
      expect(created.rows).toHaveLength(1);
    }
    // The clocks started from that one event: the message waits for its first reply, both for resolution.
    expect(clockOf(await detail(left.conversationId), 'first_reply')).toMatchObject({ state: 'running', policy: 'email' });
    expect(clockOf(await detail(written), 'resolution')).toMatchObject({ state: 'running', policy: 'email' });
    // The volume report counts each once, on the email channel.
    const volume = await (await staff('supervisor')).get('/api/agent/reports/volume?from=2026-12-22&to=2026-12-22');
    expect(volume.body).toMatchObject({ summary: { created: 2 } });
    const email = (volume.body as Report).tables.find((table) => table.id === 'channels')?.rows.find((row) => row.cells.name === '邮件');
    expect(email?.cells).toMatchObject({ created: 2 });
  });
});

describe('SLA policies in the console', () => {
  it('ships the seed’s promises: chat 2 minutes in chat hours, email 48 wall-clock hours, resolution 3 business days', async () => {
    const settings = (await (await staff('agent')).get('/api/agent/sla/policies')).status;
    expect(settings).toBe(403);
    const answer = (await (await staff('admin')).get('/api/agent/sla/policies')).body as SlaSettings;
    expect(answer.policies.map((policy) => [policy.name, policy.firstReply?.minutes ?? null, policy.firstReply?.clock ?? null])).toEqual([
      ['chat', 2, 'business'],
      ['email', 2880, 'wall'],
      ['phone', null, null],
    ]);
    expect(answer.policies[0]?.resolution).toEqual({ minutes: 1620, clock: 'business', calendar: 'default' });
    expect(answer.warningPercent).toBe(80);
  });

  it('lets an admin add a policy for urgent chats, audited, and refuses one that names no calendar or overlaps', async () => {
    const body = {
      channel: 'chat',
      priority: 'urgent',
      firstReply: { minutes: 1, clock: 'business', calendar: null },
      nextReply: null,
      resolution: null,
    };
    const saved = await (await staff('admin')).put('/api/agent/sla/policies/chat-urgent', body);
    expect(saved.status).toBe(200);
    expect((saved.body as SlaSettings).policies.find((policy) => policy.name === 'chat-urgent')).toMatchObject({
      priority: 'urgent',
      isShipped: false,
    });
    const audit = await runtime.deps.pool.query(
      "SELECT action FROM audit_events WHERE target_type = 'sla_policy' AND target_id = 'chat-urgent'",
    );
    expect(audit.rows.map((row) => row.action)).toEqual(['sla.policy_saved']);
    const overlap = await (await staff('admin')).put('/api/agent/sla/policies/chat-urgent-2', body, { 'accept-language': 'en' });
    expect(overlap.status).toBe(409);
    expect(overlap.body).toMatchObject({
      error: { code: 'sla_policy_overlaps', message: 'SLA policy chat-urgent already applies to the same channel, priority and category' },
    });
    const unknown = await (await staff('admin')).put('/api/agent/sla/policies/chat-vip', {
      ...body,
      priority: 'high',
      firstReply: { minutes: 1, clock: 'business', calendar: 'nowhere' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { code: 'sla_calendar_unknown' } });
    const wallWithCalendar = await (await staff('admin')).put('/api/agent/sla/policies/chat-vip', {
      ...body,
      priority: 'high',
      firstReply: { minutes: 1, clock: 'wall', calendar: 'default' },
    });
    expect(wallWithCalendar.status).toBe(400);
    const removed = await (await staff('admin')).delete('/api/agent/sla/policies/chat-urgent');
    expect(removed.status).toBe(200);
    expect((await (await staff('admin')).delete('/api/agent/sla/policies/chat-urgent')).status).toBe(404);
  });

  it('a changed target reaches running clocks at the next evaluation, keeping the time they counted', async () => {
    clock.set('2026-12-21T10:00:00+08:00');
    const { conversationId } = await leaveMessage('sla.changed@example.com');
    expect(clockOf(await detail(conversationId), 'first_reply').dueAt).toBe('2026-12-23T02:00:00.000Z');
    const saved = await (await staff('admin')).put('/api/agent/sla/policies/email', {
      channel: 'email',
      firstReply: { minutes: 24 * 60, clock: 'wall', calendar: null },
      nextReply: { minutes: 48 * 60, clock: 'wall', calendar: null },
      resolution: { minutes: 1620, clock: 'business', calendar: 'default' },
    });
    expect(saved.status).toBe(200);
    expect((await evaluateSla(runtime.deps)).rescheduled).toBeGreaterThanOrEqual(1);
    expect(clockOf(await detail(conversationId), 'first_reply')).toMatchObject({ dueAt: '2026-12-22T02:00:00.000Z', policy: 'email' });
    // The promise customers read is the same setting: the widget's status and the next offline answer say 24 hours.
    const promised = async () => (await runtime.app.inject({ method: 'GET', url: '/api/support/status' })).json().email.replyWithinHours;
    expect(await promised()).toBe(24);
    expect((await leaveMessage('sla.changed.promise@example.com')).message).toContain('客服会在 24 小时内通过邮件回复您');
    expect((await (await staff('admin')).delete('/api/agent/sla/policies/email')).status).toBe(200);
    expect(await promised()).toBe(48);
  });
});
