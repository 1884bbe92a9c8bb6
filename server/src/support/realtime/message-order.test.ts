import type { ChatMessage } from '@okpay/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { clientMessageId, connect, createAgent, createChatCustomer, listen, request } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';

let nodeA: Runtime;
let nodeB: Runtime;
let urlA: string;
let urlB: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  nodeA = await startTestRuntime();
  nodeB = await startTestRuntime({ databaseUrl: nodeA.databaseUrl });
  urlA = await listen(nodeA);
  urlB = await listen(nodeB);
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await nodeB?.close();
  await nodeA?.close();
});

const rounds = 30;
const burst = 6;

describe('messages one sender sends back to back', () => {
  it('are stored and shown on the other node in the order they were sent, round after round', async () => {
    const agent = await createAgent(nodeB, { name: '顺序客服' });
    const agentSocket = await connect(urlB, agent.token);
    await request(agentSocket, 'presence:set', { status: 'online' });
    const customer = await createChatCustomer(nodeA, '连发顾客');
    const customerSocket = await connect(urlA, customer.token);
    sockets.push(agentSocket, customerSocket);
    const started = await request<{ conversation: { id: string } }>(customerSocket, 'conversation:start', { category: 'account' });
    const conversationId = started.conversation.id;
    await request(agentSocket, 'conversation:open', { conversationId, afterSeq: 0 });
    const shownToAgent: ChatMessage[] = [];
    agentSocket.on('message', (message: ChatMessage) => shownToAgent.push(message));

    const sent: string[] = [];
    for (let round = 0; round < rounds; round++) {
      // Like the widget flushing its outbox after a reconnect: every emit at once, acks awaited after.
      const bodies = Array.from({ length: burst }, (_, index) => `第 ${round} 轮第 ${index} 条`);
      sent.push(...bodies);
      const acks = await Promise.all(
        bodies.map((body) =>
          request<{ message: ChatMessage }>(customerSocket, 'message:send', { conversationId, body, clientMessageId: clientMessageId() }),
        ),
      );
      const seqs = acks.map((ack) => ack.message.seq);
      expect(seqs, `round ${round}`).toEqual([...seqs].sort((left, right) => left - right));
    }

    const stored = await nodeA.deps.pool.query<{ body: string }>(
      "SELECT body FROM messages WHERE conversation_id = $1 AND author_type = 'customer' ORDER BY seq",
      [conversationId],
    );
    expect(stored.rows.map((row) => row.body)).toEqual(sent);
    await expect.poll(() => shownToAgent.length).toBe(sent.length);
    expect(shownToAgent.map((message) => message.body)).toEqual(sent);
  });
});
