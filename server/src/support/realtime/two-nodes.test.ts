import { createServer } from 'node:http';
import { type AddressInfo, connect as connectTcp, createServer as createTcpServer, type Socket as TcpSocket } from 'node:net';
import type { ChatMessage } from '@okpay/contracts';
import { Server } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { clientMessageId, connect, createAgent, createChatCustomer, listen, nextEvent, request } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { attachClusterAdapter } from './cluster-adapter.js';
import type { ChatServer } from './socket-types.js';

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

/**
 * A TCP relay to the database that holds back every LISTEN until released (all else passes): a
 * database that takes connections but is slow to let a node listen.
 */
async function listenHoldingRelay(databaseUrl: string) {
  const target = new URL(databaseUrl);
  const held: Array<() => void> = [];
  const connections: TcpSocket[] = [];
  let holding = true;
  const server = createTcpServer((client) => {
    const upstream = connectTcp(Number(target.port || 5432), target.hostname);
    connections.push(client, upstream);
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      if (holding && chunk.includes('LISTEN')) {
        client.pause();
        held.push(() => {
          upstream.write(chunk);
          client.resume();
        });
        return;
      }
      upstream.write(chunk);
    });
    for (const socket of [client, upstream]) socket.on('error', () => undefined);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relayed = new URL(databaseUrl);
  relayed.hostname = '127.0.0.1';
  relayed.port = String((server.address() as AddressInfo).port);
  return {
    url: relayed.toString(),
    held: () => held.length,
    release: () => {
      holding = false;
      for (const send of held.splice(0)) send();
    },
    close: async () => {
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('two app nodes on one database', () => {
  it('hears the other nodes before it takes its first client', async () => {
    // Another node's broadcast made before a new node's LISTEN is active would never reach its clients.
    const listeners = async () =>
      (
        await nodeA.deps.pool.query<{ n: number }>(
          // Other test files' nodes use other databases of the same server.
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'okpay-realtime' AND query LIKE 'LISTEN %'",
        )
      ).rows[0]?.n ?? 0;
    const before = await listeners();
    const io: ChatServer = new Server(createServer());
    const close = await attachClusterAdapter(io, nodeA.deps, nodeA.databaseUrl);
    try {
      expect(await listeners()).toBe(before + 1);
    } finally {
      await io.close();
      await close();
    }
  });

  it('takes clients without its LISTEN once the wait is over, and tells them to catch up when it listens at last', async () => {
    const relay = await listenHoldingRelay(nodeA.databaseUrl);
    const http = createServer();
    const io: ChatServer = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const close = await attachClusterAdapter(io, nodeA.deps, relay.url, { listenWaitMs: 300 });
    const client = ioClient(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const connected = new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('connect_error', reject);
    });
    try {
      // Started while its LISTEN is still held back (sent by then, or soon on a busy machine).
      await vi.waitFor(() => expect(relay.held()).toBe(1), { timeout: 10_000 });
      await connected;
      const caughtUp = new Promise<unknown>((resolve) => client.once('resync', resolve));
      relay.release();
      expect(await caughtUp).toEqual({ reason: 'notifications_lost' });
    } finally {
      client.disconnect();
      await io.close();
      await close();
      await relay.close();
    }
  });

  it('lets a customer on node A and an agent on node B talk both ways', async () => {
    const agent = await createAgent(nodeB, { name: '乙节点客服' });
    const agentSocket = await connect(urlB, agent.token);
    sockets.push(agentSocket);
    await request(agentSocket, 'presence:set', { status: 'online' });

    const customer = await createChatCustomer(nodeA, '甲节点顾客');
    const customerSocket = await connect(urlA, customer.token);
    sockets.push(customerSocket);

    // The assignment is made on node A; the agent's inbox on node B hears of it.
    const assignedOnB = nextEvent<{ conversationId: string; assigneeId: string }>(
      agentSocket,
      'conversation:updated',
      (event) => event.assigneeId === agent.id,
    );
    const started = await request<{ conversation: { id: string; agent: { name: string } | null } }>(customerSocket, 'conversation:start', {
      category: 'account',
    });
    expect(started.conversation.agent?.name).toBe('乙节点客服');
    expect((await assignedOnB).conversationId).toBe(started.conversation.id);

    await request(agentSocket, 'conversation:open', { conversationId: started.conversation.id, afterSeq: 0 });
    const onB = nextEvent<ChatMessage>(agentSocket, 'message', (message) => message.authorType === 'customer');
    await request(customerSocket, 'message:send', {
      conversationId: started.conversation.id,
      body: '从节点 A 发出',
      clientMessageId: clientMessageId(),
    });
    expect((await onB).body).toBe('从节点 A 发出');

    const onA = nextEvent<ChatMessage>(customerSocket, 'message', (message) => message.authorType === 'agent');
    await request(agentSocket, 'message:send', {
      conversationId: started.conversation.id,
      body: '节点 B 回复',
      clientMessageId: clientMessageId(),
    });
    expect((await onA).body).toBe('节点 B 回复');

    const typingOnA = nextEvent<{ isTyping: boolean }>(customerSocket, 'typing');
    await request(agentSocket, 'typing', { conversationId: started.conversation.id, isTyping: true });
    expect((await typingOnA).isTyping).toBe(true);
  });

  it('tells every client to catch up when a node that delivered alone hears another node again', async () => {
    const agent = await createAgent(nodeB, { name: '补发客服' });
    const agentSocket = await connect(urlB, agent.token);
    sockets.push(agentSocket);
    await request(agentSocket, 'presence:set', { status: 'online' });
    const customer = await createChatCustomer(nodeA, '独自节点顾客');
    const customerSocket = await connect(urlA, customer.token);
    sockets.push(customerSocket);
    const started = await request<{ conversation: { id: string } }>(customerSocket, 'conversation:start', { category: 'account' });
    const conversationId = started.conversation.id;
    await request(agentSocket, 'conversation:open', { conversationId, afterSeq: 0 });

    // Node A stops hearing node B (as when heartbeats are lost during a database outage): it
    // delivers its broadcasts to its own clients only, and the agent on B misses one. A's catching
    // up may come from B's next heartbeat or from B speaking, so both sides listen from here on.
    const nodesOfA = (nodeA.realtime.io.of('/').adapter as unknown as { nodesMap: Map<string, number> }).nodesMap;
    const heardLive: string[] = [];
    agentSocket.on('message', (message: ChatMessage) => heardLive.push(message.body));
    const resyncOnB = nextEvent(agentSocket, 'resync', undefined, 30_000);
    const resyncOnA = nextEvent(customerSocket, 'resync', undefined, 30_000);
    let missed: { message: ChatMessage } | undefined;
    for (let round = 1; round <= 5 && !missed; round += 1) {
      nodesOfA.clear();
      const sent = await request<{ message: ChatMessage }>(customerSocket, 'message:send', {
        conversationId,
        body: '这条只在 A 节点广播',
        clientMessageId: clientMessageId(),
      });
      // On a loaded machine B's heartbeat can reach A between the clear and the send; then A did
      // not deliver alone and B heard it live: another round.
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (!heardLive.includes('这条只在 A 节点广播')) missed = sent;
      heardLive.length = 0;
    }
    if (!missed) throw new Error('node A never delivered alone');

    // Node B speaks; A hears it again (if its heartbeat has not done so already) and every client catches up.
    await request(agentSocket, 'message:send', { conversationId, body: '还在', clientMessageId: clientMessageId() });
    await Promise.all([resyncOnB, resyncOnA]);
    expect(heardLive).not.toContain('这条只在 A 节点广播');
    const caughtUp = await request<{ messages: ChatMessage[] }>(agentSocket, 'conversation:open', { conversationId, afterSeq: 0 });
    expect(caughtUp.messages.map((message) => message.id)).toContain(missed.message.id);
  });

  it('stores and shows the messages one sender sends back to back in the order sent, round after round', async () => {
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
