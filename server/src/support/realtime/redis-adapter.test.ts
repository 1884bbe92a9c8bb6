import { type ChildProcess, spawn } from 'node:child_process';
import type { ChatMessage } from '@okpay/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { freePort } from '../../test/node-process.js';
import { clientMessageId, connect, createAgent, createChatCustomer, listen, nextEvent, request } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';

// Two nodes sharing rooms through a real Redis (REDIS_URL), which the test stops and starts again.
let redisPort: number;
let redis: ChildProcess | undefined;
let nodeA: Runtime;
let nodeB: Runtime;
let urlA: string;
let urlB: string;
const sockets: Socket[] = [];

async function startRedis(): Promise<void> {
  const started = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  redis = started;
  await new Promise<void>((resolve, reject) => {
    started.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
    started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
}

async function killRedis(): Promise<void> {
  const running = redis;
  if (!running || running.exitCode !== null || running.signalCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  redisPort = await freePort();
  await startRedis();
  const env = { REDIS_URL: `redis://127.0.0.1:${redisPort}` };
  nodeA = await startTestRuntime({ env });
  nodeB = await startTestRuntime({ databaseUrl: nodeA.databaseUrl, env });
  urlA = await listen(nodeA);
  urlB = await listen(nodeB);
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await nodeB?.close();
  await nodeA?.close();
  await killRedis();
});

describe('two nodes on Redis', () => {
  it('survive Redis going away, and once it is back their clients catch up and talk across nodes again', async () => {
    const agent = await createAgent(nodeB, { name: 'Redis 客服' });
    const agentSocket = await connect(urlB, agent.token);
    await request(agentSocket, 'presence:set', { status: 'online' });
    const customer = await createChatCustomer(nodeA, 'Redis 顾客');
    const customerSocket = await connect(urlA, customer.token);
    sockets.push(agentSocket, customerSocket);
    const started = await request<{ conversation: { id: string } }>(customerSocket, 'conversation:start', { category: 'account' });
    const conversationId = started.conversation.id;
    await request(agentSocket, 'conversation:open', { conversationId, afterSeq: 0 });
    const say = async (body: string) => {
      const heard = nextEvent<ChatMessage>(agentSocket, 'message', (message) => message.body === body);
      await request(customerSocket, 'message:send', { conversationId, body, clientMessageId: clientMessageId() });
      return heard;
    };
    expect((await say('Redis 在线')).body).toBe('Redis 在线');

    await killRedis();
    // Stored while the nodes could not tell each other: the agent catches up once Redis is back.
    const whileAway = await request<{ message: ChatMessage }>(customerSocket, 'message:send', {
      conversationId,
      body: 'Redis 不在时发的',
      clientMessageId: clientMessageId(),
    });
    expect(whileAway.message.body).toBe('Redis 不在时发的');
    const resync = nextEvent(agentSocket, 'resync', () => true, 20_000);
    await startRedis();
    await resync;
    const caughtUp = await request<{ messages: ChatMessage[] }>(agentSocket, 'conversation:open', { conversationId, afterSeq: 0 });
    expect(caughtUp.messages.map((message) => message.id)).toContain(whileAway.message.id);
    await expect.poll(async () => (await say('Redis 回来了').catch(() => undefined))?.body, { timeout: 15_000 }).toBe('Redis 回来了');
    expect(agentSocket.connected && customerSocket.connected).toBe(true);
  });

  it('stops a node within seconds while Redis hangs without answering', async () => {
    const nodeC = await startTestRuntime({ databaseUrl: nodeA.databaseUrl, env: { REDIS_URL: `redis://127.0.0.1:${redisPort}` } });
    await listen(nodeC);
    redis?.kill('SIGSTOP');
    try {
      const began = Date.now();
      await nodeC.close();
      expect(Date.now() - began).toBeLessThan(10_000);
    } finally {
      redis?.kill('SIGCONT');
    }
  });
});
