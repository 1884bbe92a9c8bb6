import type { CallView, VoiceCall } from '@okpay/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../platform/index.js';
import type { Runtime } from '../../../runtime.js';
import { connect, createAgent, createChatCustomer, listen, nextEvent, request } from '../../../test/realtime.js';
import { startTestRuntime } from '../../../test/runtime.js';
import { touchLocalCallSides } from '../../realtime/voice-upkeep.js';
import { listCallsOfConversation } from '../list-conversation-calls.js';
import { ringWaitingCalls } from './ring-waiting-calls.js';
import { sweepVoiceCalls } from './sweep-voice-calls.js';

// Several app nodes on one database, as behind a load balancer: each rings agents, relays
// signalling through the shared rooms, and one of them stops in the middle of calls.
const clock = fixedClock('2026-04-08T10:00:00+08:00'); // Wednesday; the phone line is open 09:00–21:00
const graceSeconds = 60;
const env = { VOICE_RING_SECONDS: '30', VOICE_QUEUE_TIMEOUT_SECONDS: '600', VOICE_RECONNECT_GRACE_SECONDS: String(graceSeconds) };
let nodeA: Runtime;
let nodeB: Runtime;
let urlA: string;
let urlB: string;
const sockets: Socket[] = [];
/** Nodes started by a test, stopped after it if it did not. */
const extraNodes: Runtime[] = [];

beforeAll(async () => {
  nodeA = await startTestRuntime({ clock, env });
  nodeB = await startTestRuntime({ clock, env, databaseUrl: nodeA.databaseUrl });
  urlA = await listen(nodeA);
  urlB = await listen(nodeB);
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const node of extraNodes.splice(0)) await node.close().catch(() => undefined);
  await nodeA.deps.pool.query("UPDATE agent_presence SET status = 'offline'");
  await nodeA.deps.pool.query('DELETE FROM voice_agent_lines');
  await nodeA.deps.pool.query('UPDATE voice_calls SET ended_at = now() WHERE ended_at IS NULL');
});
afterAll(async () => {
  await nodeB?.close();
  await nodeA?.close();
});

async function tracked(url: string, token: string): Promise<Socket> {
  const socket = await connect(url, token);
  sockets.push(socket);
  return socket;
}

async function onlineAgent(url: string, name: string) {
  const agent = await createAgent(nodeA, { name });
  const socket = await tracked(url, agent.token);
  await request(socket, 'presence:set', { status: 'online' });
  const rung: string[] = [];
  socket.on('voice:ringing', (event: { call: VoiceCall }) => rung.push(event.call.id));
  return { ...agent, socket, rung };
}

async function caller(url: string, name: string) {
  const customer = await createChatCustomer(nodeA, name);
  return { ...customer, socket: await tracked(url, customer.token) };
}

async function callLog(conversationId: string): Promise<CallView> {
  const [view] = await listCallsOfConversation(nodeA.deps.db, conversationId);
  if (!view) throw new Error('no call');
  return view;
}

/** Live calls and whom they ring, straight from the database. */
async function ringingNow(): Promise<Array<{ callId: string; agentId: string }>> {
  const result = await nodeA.deps.pool.query<{ call_id: string; ringing_agent_id: string }>(
    'SELECT call_id, ringing_agent_id FROM voice_calls WHERE ended_at IS NULL AND ringing_agent_id IS NOT NULL',
  );
  return result.rows.map((row) => ({ callId: row.call_id, agentId: row.ringing_agent_id }));
}

describe('in-app voice calls on several nodes', () => {
  it('never rings one agent for two calls, nor one call on two agents, while two nodes route at once', async () => {
    const agents = await Promise.all(
      ['甲', '乙', '丙', '丁', '戊'].map((name, index) => onlineAgent(index % 2 ? urlB : urlA, `抢线客服${name}`)),
    );
    const callers = await Promise.all(Array.from({ length: 12 }, (_, index) => caller(index % 2 ? urlB : urlA, `抢线顾客${index}`)));

    // Every caller at once, half through each node, while both nodes also run their routing over and over.
    const started = await Promise.all([
      ...callers.map((customer) => request<{ call: VoiceCall }>(customer.socket, 'voice:start', { category: 'account' })),
      ...Array.from({ length: 8 }, () => ringWaitingCalls(nodeA.realtime.voice)),
      ...Array.from({ length: 8 }, () => ringWaitingCalls(nodeB.realtime.voice)),
    ]);
    expect(started.slice(0, 12).every((answer) => 'call' in (answer as object))).toBe(true);

    // A sweep running meanwhile may still be committing a ring it took over.
    await expect.poll(async () => (await ringingNow()).length).toBe(5);
    const ringing = await ringingNow();
    expect(new Set(ringing.map((ring) => ring.agentId)).size).toBe(5);
    const lines = await nodeA.deps.pool.query<{ staff_id: string; call_id: string }>('SELECT staff_id, call_id FROM voice_agent_lines');
    expect(lines.rows).toHaveLength(5);
    expect(new Set(lines.rows.map((line) => line.call_id)).size).toBe(5);
    // Each console heard of exactly the one call it rings for, once.
    await expect.poll(() => agents.map((agent) => agent.rung.length)).toEqual([1, 1, 1, 1, 1]);
    for (const agent of agents) expect(agent.rung).toEqual([ringing.find((ring) => ring.agentId === agent.id)?.callId]);

    // All five decline at once, through both nodes: each rings for one other call, still one each.
    await Promise.all(agents.map((agent, index) => request(agent.socket, 'voice:decline', { callId: agent.rung[0] }).then(() => index)));
    await Promise.all([ringWaitingCalls(nodeA.realtime.voice), ringWaitingCalls(nodeB.realtime.voice)]);
    await expect.poll(() => agents.map((agent) => agent.rung.length)).toEqual([2, 2, 2, 2, 2]);
    await expect.poll(async () => (await ringingNow()).length).toBe(5);
    const again = await ringingNow();
    expect(new Set(again.map((ring) => ring.agentId)).size).toBe(again.length);
    for (const agent of agents) {
      expect(agent.rung[1]).not.toBe(agent.rung[0]);
      expect(again.find((ring) => ring.agentId === agent.id)?.callId).toBe(agent.rung[1]);
    }
  });

  it('gives one free agent to exactly one of two calls started on two nodes at the same moment, round after round', async () => {
    const agent = await onlineAgent(urlA, '唯一客服');
    for (let round = 0; round < 8; round++) {
      const [first, second] = await Promise.all([caller(urlA, `同时甲${round}`), caller(urlB, `同时乙${round}`)]);
      const calls = await Promise.all([
        request<{ call: VoiceCall }>(first.socket, 'voice:start', {}),
        request<{ call: VoiceCall }>(second.socket, 'voice:start', {}),
      ]);
      await expect.poll(async () => (await ringingNow()).length, `round ${round}`).toBe(1);
      const ringing = await ringingNow();
      expect(ringing, `round ${round}`).toEqual([{ callId: expect.any(String), agentId: agent.id }]);
      expect(calls.map((answer) => answer.call.id)).toContain(ringing[0]?.callId);
      await expect.poll(() => agent.rung.length).toBe(round + 1);
      // The caller left waiting hangs up first, so the agent freed by the other is not rung for it.
      const [rung, waiting] = calls[0].call.id === ringing[0]?.callId ? [first, second] : [second, first];
      const [rungCall, waitingCall] = calls[0].call.id === ringing[0]?.callId ? calls : [calls[1], calls[0]];
      await request(waiting.socket, 'voice:end', { callId: waitingCall.call.id });
      await request(rung.socket, 'voice:end', { callId: rungCall.call.id });
    }
  });

  it('relays signalling and call changes between a caller on one node and an agent on the other', async () => {
    const agent = await onlineAgent(urlB, '乙节点接听');
    const customer = await caller(urlA, '甲节点来电');
    const ringing = nextEvent<{ call: VoiceCall }>(agent.socket, 'voice:ringing');
    const { call } = await request<{ call: VoiceCall }>(customer.socket, 'voice:start', {});
    await ringing;
    const connected = nextEvent<VoiceCall>(customer.socket, 'voice:call', (view) => view.phase === 'connected');
    await request(agent.socket, 'voice:answer', { callId: call.id });
    await connected;

    const offerOnB = nextEvent<Record<string, unknown>>(agent.socket, 'voice:signal');
    await request(customer.socket, 'voice:signal', { callId: call.id, description: { type: 'offer', sdp: 'v=0\r\n' } });
    expect(await offerOnB).toMatchObject({ from: 'customer', description: { type: 'offer' } });
    const candidateOnA = nextEvent<Record<string, unknown>>(customer.socket, 'voice:signal');
    await request(agent.socket, 'voice:signal', {
      callId: call.id,
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' },
    });
    expect(await candidateOnA).toMatchObject({ from: 'agent' });
    const heldOnA = nextEvent<VoiceCall>(customer.socket, 'voice:call', (view) => view.isOnHold);
    await request(agent.socket, 'voice:hold', { callId: call.id, isOnHold: true });
    await heldOnA;
  });

  it('survives a node restart mid-call: sides that come back renegotiate, a call whose agent never does ends failed, logged', async () => {
    const nodeC = await startTestRuntime({ clock, env, databaseUrl: nodeA.databaseUrl });
    extraNodes.push(nodeC);
    const urlC = await listen(nodeC);
    const kept = { agent: await onlineAgent(urlC, '重启留下客服'), customer: await caller(urlC, '重启留下顾客') };
    const lost = { agent: kept.agent, customer: await caller(urlC, '重启离开顾客') };
    const calls: VoiceCall[] = [];
    for (const pair of [kept, lost]) {
      // One agent at a time is online and free, so each call rings the agent meant for it.
      if (pair === lost) lost.agent = await onlineAgent(urlC, '重启离开客服');
      const ringing = nextEvent<{ call: VoiceCall }>(pair.agent.socket, 'voice:ringing');
      const { call } = await request<{ call: VoiceCall }>(pair.customer.socket, 'voice:start', {});
      await ringing;
      await request(pair.agent.socket, 'voice:answer', { callId: call.id });
      calls.push(call);
    }
    const [keptCall, lostCall] = calls as [VoiceCall, VoiceCall];

    // Node C stops with all four sockets on it. Nothing is lost: the calls are in PostgreSQL.
    await nodeC.close();
    extraNodes.splice(0);
    const restarted = await startTestRuntime({ clock, env, databaseUrl: nodeA.databaseUrl });
    extraNodes.push(restarted);
    const urlRestarted = await listen(restarted);

    // The kept call's sides reconnect (one to the restarted node, one to B) with their media still up: an ICE restart.
    const customerBack = await tracked(urlRestarted, kept.customer.token);
    const customerView = await request<{ call: VoiceCall }>(customerBack, 'voice:rejoin', { callId: keptCall.id, hasMedia: true });
    expect(customerView.call).toMatchObject({ state: 'answered', phase: 'connected', agent: { id: kept.agent.id } });
    const renegotiate = nextEvent<{ isNewSession: boolean }>(customerBack, 'voice:renegotiate');
    const agentBack = await tracked(urlB, kept.agent.token);
    expect((await request<{ calls: VoiceCall[] }>(agentBack, 'voice:current', {})).calls.map((call) => call.id)).toEqual([keptCall.id]);
    await request(agentBack, 'voice:rejoin', { callId: keptCall.id, hasMedia: true });
    expect(await renegotiate).toEqual({ callId: keptCall.id, isNewSession: false });
    const restartOffer = nextEvent<Record<string, unknown>>(agentBack, 'voice:signal');
    await request(customerBack, 'voice:signal', {
      callId: keptCall.id,
      description: { type: 'offer', sdp: 'v=0\r\na=ice-options:trickle\r\n' },
    });
    expect(await restartOffer).toMatchObject({ from: 'customer' });

    // The lost call's caller comes back; its agent never does.
    const lostCustomerBack = await tracked(urlB, lost.customer.token);
    await request(lostCustomerBack, 'voice:rejoin', { callId: lostCall.id, hasMedia: true });
    const over = nextEvent<VoiceCall>(lostCustomerBack, 'voice:call', (view) => view.phase === 'ended');
    for (const step of [graceSeconds / 2, graceSeconds / 2, 5]) {
      clock.advance(step * 1000);
      for (const node of [nodeA, nodeB, restarted]) await touchLocalCallSides(node.realtime.voice, node.realtime.io);
    }
    await sweepVoiceCalls(nodeB.realtime.voice);
    expect(await over).toMatchObject({ state: 'failed', endReason: 'agent_disconnected' });
    expect((await callLog(lostCall.conversationId)).log.map((entry) => `${entry.event}:${entry.reason ?? ''}`)).toEqual([
      'ring:',
      'enqueue:',
      'ring-agent:',
      'answer:',
      'rejoin:customer',
      'fail:agent_disconnected',
    ]);
    const keptLog = await callLog(keptCall.conversationId);
    expect(keptLog.state).toBe('answered');
    expect(keptLog.log.map((entry) => `${entry.event}:${entry.reason ?? ''}`).slice(-2)).toEqual(['rejoin:customer', 'rejoin:agent']);
  });
});
