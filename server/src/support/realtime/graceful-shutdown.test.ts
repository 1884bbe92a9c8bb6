import type { ChatMessage } from '@okpay/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { type LoadBalancer, startLoadBalancer } from '../../test/load-balancer.js';
import { clientMessageId, connect, createAgent, createChatCustomer, listen, nextEvent, request } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';

let nodeA: Runtime;
let nodeB: Runtime;
let urlB: string;
let balancer: LoadBalancer;
const sockets: Socket[] = [];

beforeAll(async () => {
  nodeA = await startTestRuntime();
  nodeB = await startTestRuntime({ databaseUrl: nodeA.databaseUrl });
  const urlA = await listen(nodeA);
  urlB = await listen(nodeB);
  balancer = await startLoadBalancer([urlA, urlB]);
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await balancer?.close();
  await nodeB?.close();
  await nodeA?.close().catch(() => undefined);
});

const isOn = (node: Runtime, socket: Socket) => socket.id !== undefined && node.realtime.io.of('/').sockets.has(socket.id);

/** Counts how often a socket lost its connection. */
function disconnects(socket: Socket) {
  const reasons: string[] = [];
  socket.on('disconnect', (reason) => reasons.push(reason));
  return reasons;
}

describe('stopping one node', () => {
  it('disconnects only its own clients, who reconnect to another node and pick up what they missed', async () => {
    const agent = await createAgent(nodeB, { name: '留守客服', capacity: 5 });
    const agentSocket = await connect(urlB, agent.token);
    sockets.push(agentSocket);
    await request(agentSocket, 'presence:set', { status: 'online' });

    // Through the balancer: the first connection lands on node A, the second on node B.
    const leaving = await createChatCustomer(nodeA, '甲节点顾客');
    const leavingSocket = await connect(balancer.url, leaving.token, { reconnection: true, reconnectionDelay: 100 });
    const staying = await createChatCustomer(nodeA, '乙节点顾客');
    const stayingSocket = await connect(balancer.url, staying.token, { reconnection: true, reconnectionDelay: 100 });
    sockets.push(leavingSocket, stayingSocket);
    expect(isOn(nodeA, leavingSocket)).toBe(true);
    expect(isOn(nodeB, stayingSocket)).toBe(true);

    type Started = { conversation: { id: string } };
    const leavingChat = (await request<Started>(leavingSocket, 'conversation:start', { category: 'account' })).conversation.id;
    const stayingChat = (await request<Started>(stayingSocket, 'conversation:start', { category: 'account' })).conversation.id;
    for (const id of [leavingChat, stayingChat]) await request(agentSocket, 'conversation:open', { conversationId: id, afterSeq: 0 });
    const agentLost = disconnects(agentSocket);
    const stayingLost = disconnects(stayingSocket);
    const leavingLost = disconnects(leavingSocket);
    const backOnB = new Promise<void>((resolve) => leavingSocket.once('connect', () => resolve()));

    await nodeA.close();

    // Said while the customer of node A was between nodes: they must still read it.
    const missed = await request<{ message: ChatMessage }>(agentSocket, 'message:send', {
      conversationId: leavingChat,
      body: '您重连期间的回复',
      clientMessageId: clientMessageId(),
    });
    await backOnB;
    expect(isOn(nodeB, leavingSocket)).toBe(true);
    expect(leavingLost).toEqual(['transport close']);
    const resumed = await request<{ messages: ChatMessage[] }>(leavingSocket, 'conversation:resume', {
      conversationId: leavingChat,
      afterSeq: 0,
    });
    expect(resumed.messages.map((message) => message.id)).toContain(missed.message.id);

    // Both customers go on talking to the agent on node B, over the connections they have now.
    for (const [socket, conversationId] of [
      [leavingSocket, leavingChat],
      [stayingSocket, stayingChat],
    ] as const) {
      const heard = nextEvent<ChatMessage>(agentSocket, 'message', (message) => message.conversationId === conversationId);
      await request(socket, 'message:send', { conversationId, body: '还在吗？', clientMessageId: clientMessageId() });
      expect((await heard).body).toBe('还在吗？');
    }
    expect(agentLost).toEqual([]);
    expect(stayingLost).toEqual([]);
    expect(agentSocket.connected && stayingSocket.connected).toBe(true);
  });
});
