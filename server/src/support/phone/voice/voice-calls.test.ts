import { createHmac, randomUUID } from 'node:crypto';
import type { CallView, VoiceCall } from '@okpay/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signRealtimeToken } from '../../../identity/index.js';
import { fixedClock } from '../../../platform/index.js';
import type { Runtime } from '../../../runtime.js';
import { connect, createAgent, createChatCustomer, listen, nextEvent, request } from '../../../test/realtime.js';
import { startTestRuntime } from '../../../test/runtime.js';
import { signedInStaff } from '../../../test/staff.js';
import { declinedTopUp } from '../../../test/wallet.js';
import { findConversation } from '../../conversations/conversations.repository.js';
import { touchLocalCallSides } from '../../realtime/voice-upkeep.js';
import { listCallsOfConversation } from '../list-conversation-calls.js';
import { loadVoiceCall } from './load-voice-calls.js';
import { sweepVoiceCalls } from './sweep-voice-calls.js';

const clock = fixedClock('2026-04-08T10:00:00+08:00'); // Wednesday; the phone line is open 09:00–21:00
const graceSeconds = 60;
const turnSecret = 'coturn-static-auth-secret-for-tests';
let runtime: Runtime;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  runtime = await startTestRuntime({
    clock,
    env: {
      VOICE_RING_SECONDS: '10',
      VOICE_QUEUE_TIMEOUT_SECONDS: '120',
      VOICE_RECONNECT_GRACE_SECONDS: String(graceSeconds),
      STUN_URLS: 'stun:stun.okpay.test:3478',
      TURN_URLS: 'turn:turn.okpay.test:3478?transport=udp,turns:turn.okpay.test:5349',
      TURN_SECRET: turnSecret,
      TURN_CREDENTIAL_TTL_SECONDS: '3600',
    },
  });
  url = await listen(runtime);
});

// Every test starts with nobody online and no call live: agents and calls of earlier tests must not take part.
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await runtime.deps.pool.query("UPDATE agent_presence SET status = 'offline'");
  await runtime.deps.pool.query('DELETE FROM voice_agent_lines');
  await runtime.deps.pool.query('UPDATE voice_calls SET ended_at = now() WHERE ended_at IS NULL');
  clock.set('2026-04-08T10:00:00+08:00');
});
afterAll(() => runtime?.close());

type Ack<T> = T & { error?: { code: string; message: string } };

async function tracked(token: string, locale = 'zh-CN'): Promise<Socket> {
  const socket = await connect(url, token, { locale });
  sockets.push(socket);
  return socket;
}

async function onlineAgent(name: string) {
  const agent = await createAgent(runtime, { name });
  const socket = await tracked(agent.token);
  expect(await request(socket, 'presence:set', { status: 'online' })).toEqual({ status: 'online' });
  return { ...agent, socket };
}

async function caller(name: string) {
  const customer = await createChatCustomer(runtime, name);
  return { ...customer, socket: await tracked(customer.token) };
}

async function startCall(socket: Socket, payload: Record<string, unknown> = {}): Promise<VoiceCall> {
  const answer = await request<Ack<{ call: VoiceCall }>>(socket, 'voice:start', { category: 'account', ...payload });
  expect(answer.error).toBeUndefined();
  return answer.call;
}

/** Moves time on in steps shorter than the grace period, the node marking the sides it holds after each, as its heartbeat would. */
async function passTime(seconds: number): Promise<void> {
  let left = seconds;
  while (left > 0) {
    const step = Math.min(left, graceSeconds / 2);
    clock.advance(step * 1000);
    left -= step;
    await touchLocalCallSides(runtime.realtime.voice, runtime.realtime.io);
  }
  await sweepVoiceCalls(runtime.realtime.voice);
}

/** The client goes away, and the node has noticed. */
async function hangUpSocket(socket: Socket): Promise<void> {
  const id = socket.id;
  socket.disconnect();
  await expect.poll(() => (id ? runtime.realtime.io.of('/').sockets.has(id) : false)).toBe(false);
}

async function callLog(conversationId: string): Promise<CallView> {
  const [view] = await listCallsOfConversation(runtime.deps.db, conversationId);
  if (!view) throw new Error('no call on the conversation');
  return view;
}

const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const answerSdp = { type: 'answer', sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };

/** A call rung to `agent` and answered by them, with the caller told. */
async function connectedCall(agent: Awaited<ReturnType<typeof onlineAgent>>, customer: Awaited<ReturnType<typeof caller>>) {
  const ringing = nextEvent<{ call: VoiceCall }>(agent.socket, 'voice:ringing');
  const started = await startCall(customer.socket);
  await ringing;
  const told = nextEvent<VoiceCall>(customer.socket, 'voice:call', (call) => call.phase === 'connected');
  const answered = await request<Ack<{ call: VoiceCall }>>(agent.socket, 'voice:answer', { callId: started.id });
  expect(answered.error).toBeUndefined();
  await told;
  return answered.call;
}

describe('in-app voice calls', () => {
  it("puts a signed-in customer's call in the queue as a phone conversation with the picked top-up, and rings a free agent with the caller's name", async () => {
    const customer = await caller('语音顾客');
    const topUpId = await declinedTopUp(customer.client);
    const agent = await onlineAgent('接听客服');
    const ringing = nextEvent<{ call: VoiceCall }>(agent.socket, 'voice:ringing');

    const call = await startCall(customer.socket, { category: 'top_up', links: [{ type: 'top_up', id: topUpId }] });

    // Rung by this node at once, or by a sweep that got to it first a moment later.
    expect(call).toMatchObject({ state: 'queued', queue: { position: 1, agentsOnline: 1 } });
    const rung = (await ringing).call;
    expect(rung).toMatchObject({
      phase: 'ringing',
      ringingAgentId: agent.id,
      id: call.id,
      caller: { name: '语音顾客', customerId: customer.id, isVerified: true },
      category: 'top_up',
      links: [{ type: 'top_up', id: topUpId }],
    });
    const conversation = await findConversation(runtime.deps.db, call.conversationId);
    expect(conversation).toMatchObject({ channel: 'phone', customerId: customer.id, category: 'top_up', isVerified: true });
    const log = await callLog(call.conversationId);
    expect(log).toMatchObject({ direction: 'inbound', provider: 'app', state: 'queued' });
    expect(log.log.map((entry) => entry.event)).toEqual(['ring', 'enqueue', 'ring-agent']);
    expect(log.log[2]).toMatchObject({ staffId: agent.id });
  });

  it('refuses a second call while one is live, a visitor linking a wallet object, and a call while the phone line is closed', async () => {
    const customer = await caller('重复来电');
    await startCall(customer.socket);
    const again = await request<Ack<object>>(customer.socket, 'voice:start', { category: 'account' });
    expect(again.error?.code).toBe('voice_call_in_progress');

    const visitorToken = signRealtimeToken(
      runtime.deps.config.sessionSecret,
      { kind: 'visitor', visitorId: randomUUID() },
      clock.now(),
    ).token;
    const visitor = await tracked(visitorToken);
    const linked = await request<Ack<object>>(visitor, 'voice:start', { links: [{ type: 'transaction', id: randomUUID() }] });
    expect(linked.error?.code).toBe('link_not_found');
    const plain = await startCall(visitor);
    expect(plain.caller).toMatchObject({ customerId: null, isVerified: false });

    clock.set('2026-04-08T22:30:00+08:00');
    const late = await caller('深夜来电');
    const closed = await request<Ack<object>>(late.socket, 'voice:start', {});
    expect(closed.error?.code).toBe('voice_line_closed');
    expect(closed.error?.message).toContain('09:00–21:00');
  });

  it('connects the answering agent, gives them the conversation and relays offer, answer and candidates between the two sockets only', async () => {
    const agent = await onlineAgent('接通客服');
    const customer = await caller('接通顾客');
    const call = await connectedCall(agent, customer);
    expect(call).toMatchObject({ state: 'answered', phase: 'connected', agent: { id: agent.id, name: '接通客服' }, queue: null });
    expect(await findConversation(runtime.deps.db, call.conversationId)).toMatchObject({ assigneeId: agent.id });

    const atAgent = nextEvent<Record<string, unknown>>(agent.socket, 'voice:signal');
    expect(await request(customer.socket, 'voice:signal', { callId: call.id, description: offer })).toEqual({ ok: true });
    expect(await atAgent).toEqual({ callId: call.id, description: offer, from: 'customer' });

    const atCustomer = nextEvent<Record<string, unknown>>(customer.socket, 'voice:signal', (signal) => 'description' in signal);
    const candidateAtCustomer = nextEvent<Record<string, unknown>>(customer.socket, 'voice:signal', (signal) => 'candidate' in signal);
    await request(agent.socket, 'voice:signal', { callId: call.id, description: answerSdp });
    await request(agent.socket, 'voice:signal', { callId: call.id, candidate });
    expect(await atCustomer).toMatchObject({ description: answerSdp, from: 'agent' });
    expect(await candidateAtCustomer).toMatchObject({ candidate, from: 'agent' });
  });

  it("never lets a stranger join, relay on, answer, hold, transfer or end someone else's call", async () => {
    const agent = await onlineAgent('被保护的客服');
    const customer = await caller('被保护的顾客');
    const call = await connectedCall(agent, customer);
    const heard: unknown[] = [];
    agent.socket.on('voice:signal', (signal: unknown) => heard.push(signal));
    customer.socket.on('voice:signal', (signal: unknown) => heard.push(signal));

    const stranger = await caller('陌生顾客');
    for (const [event, payload] of [
      ['voice:rejoin', { callId: call.id }],
      ['voice:signal', { callId: call.id, description: offer }],
      ['voice:signal', { callId: call.id, candidate }],
      ['voice:mute', { callId: call.id, isMuted: true }],
      ['voice:end', { callId: call.id }],
    ] as const) {
      const refused = await request<Ack<object>>(stranger.socket, event, payload);
      expect(refused.error?.code, event).toBe('voice_call_not_found');
    }
    for (const event of ['voice:answer', 'voice:hold', 'voice:transfer', 'voice:decline']) {
      const refused = await request<Ack<object>>(stranger.socket, event, { callId: call.id });
      expect(refused.error?.code, event).toBe('not_found');
    }

    const otherAgent = await createAgent(runtime, { name: '旁观客服' });
    const other = await tracked(otherAgent.token);
    expect((await request<Ack<object>>(other, 'voice:answer', { callId: call.id })).error?.code).toBe('voice_not_ringing');
    expect((await request<Ack<object>>(other, 'voice:decline', { callId: call.id })).error?.code).toBe('voice_not_ringing');
    expect((await request<Ack<object>>(other, 'voice:signal', { callId: call.id, candidate })).error?.code).toBe('voice_call_not_found');
    for (const [event, payload] of [
      ['voice:rejoin', { callId: call.id }],
      ['voice:end', { callId: call.id }],
      ['voice:hold', { callId: call.id, isOnHold: true }],
      ['voice:transfer', { callId: call.id, agentId: null }],
      ['voice:mute', { callId: call.id, isMuted: true }],
    ] as const) {
      expect((await request<Ack<object>>(other, event, payload)).error?.code, event).toBe('voice_not_connected');
    }
    // An unknown call is not found, whoever asks; malformed signals are refused before anything is read.
    expect((await request<Ack<object>>(agent.socket, 'voice:answer', { callId: randomUUID() })).error?.code).toBe('voice_call_not_found');
    const both = await request<Ack<object>>(customer.socket, 'voice:signal', { callId: call.id, description: offer, candidate });
    expect(both.error?.code).toBe('validation_failed');
    const huge = await request<Ack<object>>(customer.socket, 'voice:signal', {
      callId: call.id,
      description: { type: 'offer', sdp: 'x'.repeat(33_000) },
    });
    expect(huge.error?.code).toBe('validation_failed');
    const wrongType = await request<Ack<object>>(customer.socket, 'voice:signal', {
      callId: call.id,
      description: { type: 'pranswer', sdp: 'v=0' },
    });
    expect(wrongType.error?.code).toBe('validation_failed');

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toEqual([]);
    expect((await callLog(call.conversationId)).state).toBe('answered');
  });

  it('tells each waiting caller their place and expected wait, live, as the queue moves', async () => {
    const first = await caller('排队一号');
    const second = await caller('排队二号');
    const firstCall = await startCall(first.socket);
    expect(firstCall).toMatchObject({ phase: 'queued', queue: { position: 1, agentsOnline: 0, estimatedWaitSeconds: 0 } });
    clock.advance(1_000);
    const secondCall = await startCall(second.socket);
    expect(secondCall.queue).toMatchObject({ position: 2, agentsOnline: 0 });

    // An agent comes online: the sweep rings them for the first caller.
    const agent = await onlineAgent('排队客服');
    const ringing = nextEvent<{ call: VoiceCall }>(agent.socket, 'voice:ringing');
    await sweepVoiceCalls(runtime.realtime.voice);
    expect((await ringing).call.id).toBe(firstCall.id);

    const moved = nextEvent<{ callId: string; queue: { position: number; estimatedWaitSeconds: number; agentsOnline: number } }>(
      second.socket,
      'voice:queue',
      (event) => event.queue.position === 1,
    );
    await request(agent.socket, 'voice:answer', { callId: firstCall.id });
    expect(await moved).toEqual({ callId: secondCall.id, queue: { position: 1, agentsOnline: 1, estimatedWaitSeconds: 0 } });
  });

  it('rings the next agent when one declines, passes over one who lets it ring out, and ends in no-answer at the queue timeout', async () => {
    const agents = [await onlineAgent('拒接客服甲'), await onlineAgent('拒接客服乙')];
    const customer = await caller('没人接的顾客');
    const started = await startCall(customer.socket);
    await expect.poll(async () => (await loadVoiceCall(runtime.deps, started.id)).ringingAgentId).not.toBeNull();
    const call = await loadVoiceCall(runtime.deps, started.id);
    const first = agents.find((agent) => agent.id === call.ringingAgentId);
    const second = agents.find((agent) => agent.id !== call.ringingAgentId);
    if (!first || !second) throw new Error('the call rang nobody');

    const stopped = nextEvent<{ callId: string; reason: string }>(first.socket, 'voice:ring-stopped');
    const next = nextEvent<{ call: VoiceCall }>(second.socket, 'voice:ringing');
    expect(await request(first.socket, 'voice:decline', { callId: call.id })).toEqual({ ok: true });
    expect(await stopped).toEqual({ callId: call.id, reason: 'declined' });
    expect((await next).call.ringingAgentId).toBe(second.id);

    const rangOut = nextEvent<{ reason: string }>(second.socket, 'voice:ring-stopped');
    await passTime(11);
    expect((await rangOut).reason).toBe('ring_timeout');
    // Both passed over: nobody rings, the caller waits.
    expect(await loadVoiceCall(runtime.deps, call.id)).toMatchObject({
      phase: 'queued',
      ringingAgentId: null,
    });

    const over = nextEvent<VoiceCall>(customer.socket, 'voice:call', (view) => view.phase === 'ended');
    await passTime(110);
    expect(await over).toMatchObject({ state: 'no-answer', endReason: 'queue_timeout' });
    const log = await callLog(call.conversationId);
    expect(log.disposition).toBe('no-answer');
    expect(log.log.map((entry) => [entry.event, entry.reason ?? null, entry.staffId ?? null])).toEqual([
      ['ring', null, null],
      ['enqueue', null, null],
      ['ring-agent', null, first.id],
      ['decline', 'declined', first.id],
      ['ring-agent', null, second.id],
      ['ring-timeout', 'ring_timeout', second.id],
      ['no-answer', 'queue_timeout', null],
    ]);
  });

  it('shows mute to the other side, puts both on hold and back, and logs hold and resume', async () => {
    const agent = await onlineAgent('保持客服');
    const customer = await caller('保持顾客');
    const call = await connectedCall(agent, customer);

    const agentSees = nextEvent<VoiceCall>(agent.socket, 'voice:call', (view) => view.isCustomerMuted);
    await request(customer.socket, 'voice:mute', { callId: call.id, isMuted: true });
    await agentSees;
    const customerSees = nextEvent<VoiceCall>(customer.socket, 'voice:call', (view) => view.isOnHold);
    const held = await request<{ call: VoiceCall }>(agent.socket, 'voice:hold', { callId: call.id, isOnHold: true });
    expect(held.call).toMatchObject({ isOnHold: true, isCustomerMuted: true, isAgentMuted: false });
    await customerSees;
    const customerRefused = await request<Ack<object>>(customer.socket, 'voice:hold', { callId: call.id, isOnHold: false });
    expect(customerRefused.error?.code).toBe('not_found');
    const resumed = await request<{ call: VoiceCall }>(agent.socket, 'voice:hold', { callId: call.id, isOnHold: false });
    expect(resumed.call.isOnHold).toBe(false);
    expect((await callLog(call.conversationId)).log.map((entry) => entry.event).slice(-3)).toEqual(['mute', 'hold', 'resume']);
  });

  it('transfers to a free colleague who answers: the caller is told, signals reach the new agent and not the old one', async () => {
    const first = await onlineAgent('转出客服');
    const customer = await caller('转接顾客');
    const call = await connectedCall(first, customer);
    const busy = await onlineAgent('正忙客服');
    const busyCaller = await caller('占线顾客');
    await connectedCall(busy, busyCaller);
    const refused = await request<Ack<object>>(first.socket, 'voice:transfer', { callId: call.id, agentId: busy.id });
    expect(refused.error?.code).toBe('voice_agent_unavailable');

    const second = await onlineAgent('转入客服');
    const ringing = nextEvent<{ call: VoiceCall }>(second.socket, 'voice:ringing');
    const customerTold = nextEvent<VoiceCall>(customer.socket, 'voice:call', (view) => view.phase === 'transferring');
    const moved = await request<{ call: VoiceCall }>(first.socket, 'voice:transfer', { callId: call.id, agentId: second.id });
    expect(moved.call).toMatchObject({ state: 'answered', phase: 'transferring', agent: null, ringingAgentId: second.id });
    await customerTold;
    expect((await ringing).call.caller.name).toBe('转接顾客');

    const connected = nextEvent<VoiceCall>(customer.socket, 'voice:call', (view) => view.phase === 'connected');
    await request(second.socket, 'voice:answer', { callId: call.id });
    expect((await connected).agent).toEqual({ id: second.id, name: '转入客服' });
    expect(await findConversation(runtime.deps.db, call.conversationId)).toMatchObject({ assigneeId: second.id });

    const heardByFirst: unknown[] = [];
    first.socket.on('voice:signal', (signal: unknown) => heardByFirst.push(signal));
    const atSecond = nextEvent<Record<string, unknown>>(second.socket, 'voice:signal');
    await request(customer.socket, 'voice:signal', { callId: call.id, description: offer, isNewSession: true });
    expect(await atSecond).toMatchObject({ isNewSession: true, from: 'customer' });
    expect((await request<Ack<object>>(first.socket, 'voice:signal', { callId: call.id, candidate })).error?.code).toBe(
      'voice_call_not_found',
    );
    expect(heardByFirst).toEqual([]);
    expect((await callLog(call.conversationId)).log.filter((entry) => entry.event === 'transfer')).toMatchObject([
      { reason: 'to_agent', staffId: second.id },
    ]);
  });

  it('puts a call whose transfer was not answered back in the queue, and logs a console without a microphone letting a call go', async () => {
    const first = await onlineAgent('转接未接甲');
    const customer = await caller('转接未接顾客');
    const call = await connectedCall(first, customer);
    const second = await onlineAgent('转接未接乙');
    await request(first.socket, 'voice:transfer', { callId: call.id, agentId: second.id });
    // The colleague's console cannot answer without a microphone: it lets the call go, saying why.
    expect(await request(second.socket, 'voice:decline', { callId: call.id, reason: 'microphone_denied' })).toEqual({ ok: true });
    const waiting = await loadVoiceCall(runtime.deps, call.id);
    expect(waiting).toMatchObject({ state: 'answered', phase: 'transferring', ringingAgentId: null, queue: { position: 1 } });

    const third = await onlineAgent('转接未接丙');
    const ringing = nextEvent<{ call: VoiceCall }>(third.socket, 'voice:ringing');
    await sweepVoiceCalls(runtime.realtime.voice);
    expect((await ringing).call.id).toBe(call.id);
    expect((await callLog(call.conversationId)).log.filter((entry) => entry.event === 'decline')).toMatchObject([
      { reason: 'microphone_denied', staffId: second.id },
    ]);
  });

  it('transfers back to the queue: the next free agent rings, not the one who let go', async () => {
    const first = await onlineAgent('退回客服');
    const customer = await caller('退回顾客');
    const call = await connectedCall(first, customer);
    const heardByFirst: string[] = [];
    first.socket.on('voice:ringing', (event: { call: VoiceCall }) => heardByFirst.push(event.call.id));
    const next = await onlineAgent('队列客服');
    const ringing = nextEvent<{ call: VoiceCall }>(next.socket, 'voice:ringing');
    const moved = await request<{ call: VoiceCall }>(first.socket, 'voice:transfer', { callId: call.id, agentId: null });
    expect(moved.call.phase).toBe('transferring');
    expect((await ringing).call.id).toBe(call.id);
    expect(await findConversation(runtime.deps.db, call.conversationId)).toMatchObject({ assigneeId: null });
    expect(heardByFirst).toEqual([]);
  });

  it.each([
    ['the customer hangs up', 'customer', 'hang_up', 'completed', 'customer_hung_up'],
    ['the agent hangs up', 'agent', 'hang_up', 'completed', 'agent_hung_up'],
    ["the agent's connection fails", 'agent', 'ice_failed', 'failed', 'ice_failed'],
    ["the customer's media fails", 'customer', 'media_failed', 'failed', 'media_failed'],
  ] as const)('ends an answered call when %s, telling both sides and logging the disposition', async (_case, by, reason, state, logged) => {
    const agent = await onlineAgent(`挂断客服${reason}${by}`);
    const customer = await caller('挂断顾客');
    const call = await connectedCall(agent, customer);
    const sides = { customer: customer.socket, agent: agent.socket };
    const other = by === 'customer' ? agent.socket : customer.socket;
    const otherTold = nextEvent<VoiceCall>(other, 'voice:call', (view) => view.phase === 'ended');
    clock.advance(95_000);
    const ended = await request<{ call: VoiceCall }>(sides[by], 'voice:end', { callId: call.id, reason });
    expect(ended.call).toMatchObject({ state, phase: 'ended', endReason: logged });
    expect((await otherTold).endReason).toBe(logged);
    const log = await callLog(call.conversationId);
    expect(log).toMatchObject({ disposition: state, talkSeconds: 95 });
    expect(log.log.at(-1)).toMatchObject({ event: state === 'completed' ? 'hang-up' : 'fail', reason: logged });
    // Ending it again answers the call as it ended; the agent's line is free for the next caller.
    expect((await request<{ call: VoiceCall }>(sides[by], 'voice:end', { callId: call.id })).call.endReason).toBe(logged);
    const nextCaller = await caller('下一位');
    const ringing = nextEvent<{ call: VoiceCall }>(agent.socket, 'voice:ringing');
    await startCall(nextCaller.socket);
    expect((await ringing).call.caller.name).toBe('下一位');
  });

  it.each([
    ['microphone_denied', 'failed'],
    ['no_microphone', 'failed'],
    ['hang_up', 'abandoned'],
    ['callback_requested', 'abandoned'],
  ] as const)('ends a waiting call the caller leaves for %s as %s, and the ringing console stops', async (reason, state) => {
    const agent = await onlineAgent(`等待中客服${reason}`);
    const customer = await caller('等待中挂断');
    const ringing = nextEvent(agent.socket, 'voice:ringing');
    const call = await startCall(customer.socket);
    await ringing;
    const stopped = nextEvent<{ reason: string }>(agent.socket, 'voice:ring-stopped');
    const ended = await request<{ call: VoiceCall }>(customer.socket, 'voice:end', { callId: call.id, reason });
    expect(ended.call).toMatchObject({ state, endReason: reason === 'hang_up' ? 'customer_hung_up' : reason });
    expect((await stopped).reason).toBe('ended');
  });

  it('lets a caller who gave up waiting book a callback instead', async () => {
    const customer = await caller('改约回电');
    const call = await startCall(customer.socket);
    await request(customer.socket, 'voice:end', { callId: call.id, reason: 'callback_requested' });
    const booked = await runtime.app.inject({
      method: 'POST',
      url: '/api/support/callbacks',
      headers: { 'x-chat-token': customer.token },
      payload: { number: '+8613800138000', slot: '2026-04-08T11:00:00+08:00' },
    });
    expect(booked.statusCode).toBe(201);
    expect((await callLog(call.conversationId)).log.at(-1)).toMatchObject({
      event: 'hang-up',
      reason: 'callback_requested',
      to: 'abandoned',
    });
  });

  it("ends a call whose caller's socket stays away past the grace period: abandoned while waiting, failed once answered", async () => {
    const waiting = await caller('断线排队');
    const waitingCall = await startCall(waiting.socket);
    const agent = await onlineAgent('断线客服');
    const customer = await caller('断线通话');
    await expect.poll(async () => (await loadVoiceCall(runtime.deps, waitingCall.id)).ringingAgentId).toBe(agent.id);
    const ringing = nextEvent<{ call: VoiceCall }>(agent.socket, 'voice:ringing', (event) => event.call.caller.name === '断线通话');
    // The first caller rings the agent first; let it go so the second call connects.
    await request(agent.socket, 'voice:decline', { callId: waitingCall.id });
    const answered = await (async () => {
      const call = await startCall(customer.socket);
      await ringing;
      return (await request<{ call: VoiceCall }>(agent.socket, 'voice:answer', { callId: call.id })).call;
    })();
    await hangUpSocket(waiting.socket);
    await hangUpSocket(customer.socket);
    const agentTold = nextEvent<VoiceCall>(agent.socket, 'voice:call', (view) => view.id === answered.id && view.phase === 'ended');

    await passTime(graceSeconds - 5);
    expect((await callLog(answered.conversationId)).state).toBe('answered');
    await passTime(10);
    expect(await agentTold).toMatchObject({ state: 'failed', endReason: 'customer_disconnected' });
    expect(await callLog(waitingCall.conversationId)).toMatchObject({ state: 'abandoned' });
    expect((await callLog(waitingCall.conversationId)).log.at(-1)).toMatchObject({ reason: 'customer_disconnected' });
  });

  it('ends a call whose agent closed the console and never came back as failed, and lets a side that reconnects in time carry on', async () => {
    const agent = await onlineAgent('关页客服');
    const customer = await caller('关页顾客');
    const call = await connectedCall(agent, customer);

    // The customer's connection drops and comes back within the grace period: it takes the call up again.
    await hangUpSocket(customer.socket);
    await passTime(graceSeconds / 2);
    const again = await tracked(customer.token);
    const rejoined = await request<{ call: VoiceCall }>(again, 'voice:rejoin', { callId: call.id, hasMedia: true });
    expect(rejoined.call).toMatchObject({ phase: 'connected', agent: { id: agent.id } });
    const atAgent = nextEvent<Record<string, unknown>>(agent.socket, 'voice:signal');
    await request(again, 'voice:signal', { callId: call.id, candidate });
    await atAgent;

    // A reloaded console finds its call and rejoins; the caller is asked for a new media session.
    const reloaded = await tracked(agent.token);
    const current = await request<{ calls: VoiceCall[] }>(reloaded, 'voice:current', {});
    expect(current.calls.map((item) => item.id)).toEqual([call.id]);
    const renegotiate = nextEvent<{ callId: string; isNewSession: boolean }>(again, 'voice:renegotiate');
    await request(reloaded, 'voice:rejoin', { callId: call.id, hasMedia: false });
    expect(await renegotiate).toEqual({ callId: call.id, isNewSession: true });

    // Then the console is closed for good.
    await hangUpSocket(agent.socket);
    await hangUpSocket(reloaded);
    const customerTold = nextEvent<VoiceCall>(again, 'voice:call', (view) => view.phase === 'ended');
    await passTime(graceSeconds + 5);
    expect(await customerTold).toMatchObject({ state: 'failed', endReason: 'agent_disconnected' });
    const log = await callLog(call.conversationId);
    expect(log.log.map((entry) => entry.event)).toEqual(['ring', 'enqueue', 'ring-agent', 'answer', 'rejoin', 'rejoin', 'fail']);
    expect(log.log.at(-1)).toMatchObject({ reason: 'agent_disconnected', to: 'failed' });
  });

  it('serves STUN and short-lived coturn TURN credentials to callers and agents only', async () => {
    expect((await runtime.app.inject({ method: 'GET', url: '/api/support/voice/ice-servers' })).statusCode).toBe(401);
    expect((await runtime.app.inject({ method: 'GET', url: '/api/agent/voice/ice-servers' })).statusCode).toBe(401);
    const customer = await createChatCustomer(runtime, '取中继');
    const answer = await runtime.app.inject({
      method: 'GET',
      url: '/api/support/voice/ice-servers',
      headers: { 'x-chat-token': customer.token },
    });
    expect(answer.statusCode).toBe(200);
    const body = answer.json() as { iceServers: Array<{ urls: string[]; username?: string; credential?: string }>; expiresAt: string };
    const expiry = Math.floor(clock.now().getTime() / 1000) + 3600;
    expect(body.expiresAt).toBe(new Date(expiry * 1000).toISOString());
    expect(body.iceServers[0]).toEqual({ urls: ['stun:stun.okpay.test:3478'] });
    const turn = body.iceServers[1];
    expect(turn?.urls).toEqual(['turn:turn.okpay.test:3478?transport=udp', 'turns:turn.okpay.test:5349']);
    expect(turn?.username).toMatch(new RegExp(`^${expiry}:[0-9a-f]{16}$`));
    expect(turn?.username).not.toContain(customer.id);
    // What coturn computes from its static-auth-secret for that user name.
    expect(turn?.credential).toBe(
      createHmac('sha1', turnSecret)
        .update(turn?.username ?? '')
        .digest('base64'),
    );

    const staff = await signedInStaff(runtime, 'agent');
    const forAgent = await staff.client.get('/api/agent/voice/ice-servers');
    expect(forAgent.status).toBe(200);
    expect((forAgent.body as { iceServers: unknown[] }).iceServers).toHaveLength(2);
  });
});
