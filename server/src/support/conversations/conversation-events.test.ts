import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedEvent } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { clientMessageId, connect, createChatCustomer, listen, request } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';
import { conversationEvents } from '../support.events.js';

let runtime: Runtime;
let baseUrl: string;
const sockets: Socket[] = [];
const recorded: PublishedEvent[] = [];

beforeAll(async () => {
  runtime = await startTestRuntime();
  baseUrl = await listen(runtime);
  // A subscriber like the SLA clock or a report will be: it hears every conversation event.
  runtime.events.subscribe('test.conversation-lifecycle', Object.values(conversationEvents), async (event) => {
    recorded.push(event);
  });
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await runtime?.close();
});

describe('the conversation lifecycle in the outbox', () => {
  it('reaches a subscriber in the order it happened: created, messages, assigned, status changes, resolved, reopened, unassigned', async () => {
    const agent = await signedInStaff(runtime, 'agent', { displayName: '事件客服' });
    await agent.client.put('/api/agent/presence', { status: 'online' });
    const customer = await createChatCustomer(runtime, '事件顾客');
    const socket = await connect(baseUrl, customer.token);
    sockets.push(socket);

    const started = await request<{ conversation: { id: string } }>(socket, 'conversation:start', {
      category: 'top_up',
      message: '充值没到账',
      clientMessageId: clientMessageId(),
    });
    const id = started.conversation.id;
    const expectStatus = async (status: string) =>
      expect((await agent.client.patch(`/api/agent/conversations/${id}`, { status })).status).toBe(200);
    expect((await agent.client.post(`/api/agent/conversations/${id}/messages`, { body: '我来查一下' })).status).toBe(201);
    await expectStatus('pending');
    await expectStatus('resolved');
    await request(socket, 'message:send', { conversationId: id, body: '还是没到', clientMessageId: clientMessageId() });
    expect((await agent.client.post(`/api/agent/conversations/${id}/assign`, { agentId: null })).status).toBe(200);

    const ofThisChat = () => recorded.filter((event) => event.subject?.id === id);
    await expect.poll(() => ofThisChat().length, { timeout: 10_000 }).toBe(9);
    const events = ofThisChat();
    expect(events.map((event) => event.type)).toEqual([
      conversationEvents.created,
      conversationEvents.messagePosted,
      conversationEvents.assigned,
      conversationEvents.messagePosted,
      conversationEvents.statusChanged,
      conversationEvents.resolved,
      conversationEvents.reopened,
      conversationEvents.messagePosted,
      conversationEvents.unassigned,
    ]);
    expect(events.map((event) => event.payload)).toEqual([
      expect.objectContaining({ conversationId: id, actorType: 'customer', actorId: customer.id, channel: 'chat', category: 'top_up' }),
      expect.objectContaining({ authorType: 'customer', seq: 1, isInternal: false }),
      expect.objectContaining({ actorType: 'system', assigneeId: agent.id, via: 'auto' }),
      expect.objectContaining({ authorType: 'agent', authorId: agent.id, seq: 2 }),
      expect.objectContaining({ actorType: 'staff', actorId: agent.id, from: 'open', to: 'pending' }),
      expect.objectContaining({ from: 'pending', to: 'resolved' }),
      expect.objectContaining({ actorType: 'customer', from: 'resolved', to: 'open' }),
      expect.objectContaining({ authorType: 'customer', seq: 3 }),
      expect.objectContaining({ actorType: 'staff', previousAssigneeId: agent.id }),
    ]);
    expect(events.map((event) => event.position)).toEqual([...events.map((event) => event.position)].sort((left, right) => left - right));
  });
});
