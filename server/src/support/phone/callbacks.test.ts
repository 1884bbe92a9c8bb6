import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRealtimeToken } from '../../identity/index.js';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { createChatCustomer } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';
import { findConversation } from '../conversations/conversations.repository.js';
import { listCallsOfConversation } from './list-conversation-calls.js';
import { releaseDueCallbacks } from './release-due-callbacks.js';

const clock = fixedClock('2026-04-08T10:00:00+08:00'); // Wednesday; the phone line is open 09:00–21:00
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ clock });
});
afterAll(() => runtime?.close());

async function ask(token: string, payload: Record<string, unknown>, locale = 'zh-CN') {
  const response = await runtime.app.inject({
    method: 'POST',
    url: '/api/support/callbacks',
    headers: { 'x-chat-token': token, 'accept-language': locale },
    payload,
  });
  return { status: response.statusCode, body: response.json() };
}

describe('callbacks', () => {
  it.each([
    ['13800138000', 'callback_number_invalid'],
    ['+86 12800138000', 'callback_mobile_invalid'],
    ['+861380013800', 'callback_mobile_invalid'],
    ['+8601012345678', 'callback_number_invalid'],
    ['+0123456789', 'callback_number_invalid'],
  ])('refuses the number %s with %s', async (number, code) => {
    const customer = await createChatCustomer(runtime);
    const answer = await ask(customer.token, { number, slot: '2026-04-08T15:00:00+08:00' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe(code);
  });

  it.each([
    ['2026-04-08T10:05:00+08:00', 'callback_slot_past'],
    ['2026-04-07T15:00:00+08:00', 'callback_slot_past'],
    ['2026-04-08T22:00:00+08:00', 'callback_slot_closed'],
    ['2026-05-08T15:00:00+08:00', 'callback_slot_too_far'],
  ])('refuses the slot %s with %s', async (slot, code) => {
    const customer = await createChatCustomer(runtime);
    const answer = await ask(customer.token, { number: '+8613800138000', slot });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe(code);
  });

  it('says the phone hours when the slot is outside them, and refuses visitors', async () => {
    const customer = await createChatCustomer(runtime);
    const closed = await ask(customer.token, { number: '+8613800138000', slot: '2026-04-08T22:00:00+08:00' }, 'en');
    expect(closed.body.error.message).toBe(
      'That time is outside our phone hours (Daily 09:00–21:00, public holidays included (China Standard Time))',
    );
    const visitor = await runtime.app.inject({ method: 'POST', url: '/api/support/visitor-token', payload: {} });
    const asVisitor = await ask(visitor.json().token, { number: '+8613800138000', slot: '2026-04-08T15:00:00+08:00' });
    expect(asVisitor.status).toBe(403);
    expect(asVisitor.body.error.code).toBe('callback_sign_in_required');
  });

  it('books a callback, queues it at its time for an agent, retries a missed call per the policy and tells the customer', async () => {
    clock.set('2026-04-08T10:00:00+08:00');
    const customer = await createChatCustomer(runtime, '回电客户');
    const booked = await ask(customer.token, { number: '+86 138-0013-8000', slot: '2026-04-08T20:50:00+08:00', category: 'top_up' });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ state: 'scheduled', number: '+86 138****8000', attempts: 0, dueAt: '2026-04-08T12:50:00.000Z' });
    expect(booked.body.message).toBe('已预约回电：客服将在 今天 20:50 致电 +86 138****8000，请留意接听。');
    const again = await ask(customer.token, { number: '+8613800138000', slot: '2026-04-08T16:00:00+08:00' });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'callback_already_requested' } } });
    const conversationId = booked.body.conversationId as string;
    expect(await findConversation(runtime.deps.db, conversationId)).toMatchObject({
      channel: 'phone',
      category: 'top_up',
      waitingSince: null,
    });

    // Not yet due: nothing joins the queue.
    expect(await releaseDueCallbacks(runtime.deps)).toBe(0);
    clock.set('2026-04-08T20:50:00+08:00');
    // Sessions expire with the jumps of this clock: each step signs an agent in at its time.
    const agent = await signedInStaff(runtime, 'agent');
    await agent.client.put('/api/agent/presence', { status: 'online' });
    expect(await releaseDueCallbacks(runtime.deps)).toBe(1);
    expect(await findConversation(runtime.deps.db, conversationId)).toMatchObject({ assigneeId: agent.id, waitingSince: null });

    // Nobody answers: the next try is 30 minutes later, moved into the phone hours (tomorrow 09:00).
    const missed = await agent.client.post(`/api/agent/callbacks/${booked.body.id}/attempts`, { outcome: 'no-answer' });
    expect(missed.status).toBe(200);
    expect(missed.body).toMatchObject({ state: 'scheduled', attempts: 1, dueAt: '2026-04-09T01:00:00.000Z' });
    const early = await agent.client.post(`/api/agent/callbacks/${booked.body.id}/attempts`, { outcome: 'reached' });
    expect(early.body).toMatchObject({ error: { code: 'callback_not_due' } });
    const { rows: thread } = await runtime.deps.pool.query<{ author_type: string; body: string }>(
      'select author_type, body from messages where conversation_id = $1 order by seq',
      [conversationId],
    );
    expect(thread).toContainEqual({
      author_type: 'agent',
      body: '我们刚才致电 +86 138****8000 未能接通，将在 明天 09:00 再次致电。',
    });

    clock.set('2026-04-09T09:00:00+08:00');
    expect(await releaseDueCallbacks(runtime.deps)).toBe(1);
    const morning = await signedInStaff(runtime, 'agent');
    const busy = await morning.client.post(`/api/agent/callbacks/${booked.body.id}/attempts`, { outcome: 'busy' });
    expect(busy.body).toMatchObject({ state: 'scheduled', attempts: 2, dueAt: '2026-04-09T01:30:00.000Z' });
    clock.set('2026-04-09T09:30:00+08:00');
    await releaseDueCallbacks(runtime.deps);
    const later = await signedInStaff(runtime, 'agent');
    const last = await later.client.post(`/api/agent/callbacks/${booked.body.id}/attempts`, { outcome: 'no-answer' });
    expect(last.body).toMatchObject({ state: 'failed', attempts: 3 });
    expect(last.body.message).toBe('我们已尝试致电 3 次，均未能接通。如仍需帮助，请重新预约回电或联系在线客服。');

    // Every attempt is an outbound call on the conversation, its final state the disposition.
    const calls = await listCallsOfConversation(runtime.deps.db, conversationId);
    expect(calls.map((call) => `${call.direction}:${call.to}:${call.disposition}`)).toEqual([
      'outbound:+86 138****8000:no-answer',
      'outbound:+86 138****8000:busy',
      'outbound:+86 138****8000:no-answer',
    ]);
    // A failed callback no longer blocks a new one.
    clock.set('2026-04-09T10:00:00+08:00');
    const { token } = signRealtimeToken(runtime.deps.config.sessionSecret, { kind: 'customer', customerId: customer.id }, clock.now());
    expect((await ask(token, { number: '+8613800138000', slot: '2026-04-09T11:00:00+08:00' })).status).toBe(201);
  });

  it('offers half-hour slots inside the phone hours, labelled in the reader’s zone', async () => {
    clock.set('2026-04-08T20:00:00+08:00');
    const answer = await runtime.app.inject({
      url: '/api/support/callbacks/slots?timeZone=Europe/London',
      headers: { 'accept-language': 'en' },
    });
    const { slots } = answer.json();
    expect(slots.slice(0, 3)).toEqual([
      { at: '2026-04-08T12:30:00.000Z', label: 'today 13:30' },
      { at: '2026-04-09T01:00:00.000Z', label: 'tomorrow 02:00' },
      { at: '2026-04-09T01:30:00.000Z', label: 'tomorrow 02:30' },
    ]);
    expect(slots).toHaveLength(48);
  });

  it('completes a callback when the agent reaches the customer', async () => {
    clock.set('2026-04-08T10:00:00+08:00');
    const customer = await createChatCustomer(runtime);
    const booked = await ask(customer.token, { number: '+442079460000', slot: '2026-04-08T11:00:00+08:00' }, 'en');
    expect(booked.body.message).toBe('Callback booked: an agent will call +442******000 today 11:00.');
    clock.set('2026-04-08T11:00:00+08:00');
    await releaseDueCallbacks(runtime.deps);
    const agent = await signedInStaff(runtime, 'agent');
    const reached = await agent.client.post(`/api/agent/callbacks/${booked.body.id}/attempts`, { outcome: 'reached' });
    expect(reached.body).toMatchObject({ state: 'completed', attempts: 1 });
    const [call] = await listCallsOfConversation(runtime.deps.db, booked.body.conversationId);
    expect(call?.log.map((entry) => `${entry.event}:${entry.to}`)).toEqual(['dial:ringing', 'answer:answered', 'hang-up:completed']);
  });
});
