import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatMessage } from '@okpay/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from './runtime.js';
import { goodPassword } from './test/http.js';
import { clientMessageId, connect, createAgent, createChatCustomer, listen, request } from './test/realtime.js';
import { startTestRuntime } from './test/runtime.js';
import { fundCustomer, newIdempotencyKey, signedInCustomer } from './test/wallet.js';
import { verifyLedger } from './wallet/index.js';

// Node A runs the embedded PostgreSQL (and its watchdog); node B shares it. The test kills the
// PostgreSQL server under live chat and payments and checks that nothing was lost or done twice.
let dataDir: string;
let nodeA: Runtime;
let nodeB: Runtime;
let urlA: string;
let urlB: string;
const sockets: Socket[] = [];
const env = { RECONCILE_AFTER_SECONDS: '1', AGENT_OFFLINE_GRACE_SECONDS: '600' };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-outage-'));
  nodeA = await startTestRuntime({ databaseUrl: 'embedded', dataDir, env });
  nodeB = await startTestRuntime({ databaseUrl: nodeA.databaseUrl, env });
  urlA = await listen(nodeA);
  urlB = await listen(nodeB);
  // What a subscriber did, written through its transaction: it must see each message exactly once.
  await nodeA.deps.pool.query('CREATE TABLE outage_seen (message_id uuid NOT NULL)');
  for (const node of [nodeA, nodeB]) {
    node.events.subscribe('test.outage-messages', ['support.conversation.message-posted'], async (event, { tx }) => {
      await tx.$client.query('INSERT INTO outage_seen (message_id) VALUES ($1)', [event.payload.messageId]);
    });
  }
}, 120_000);
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await nodeB?.close();
  await nodeA?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function postmasterPid(): Promise<number> {
  return Number.parseInt((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10);
}

/** How /readyz answers and how long it took. */
async function readiness(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, ms: performance.now() - started };
}

/**
 * A chat participant as the widget and console behave: each message is sent until the server
 * acknowledges it (same client id on every try), live messages are kept by id, and a `resync`
 * from the server means "catch up by sequence number".
 */
function chatter(socket: Socket, conversationId: string, resumeEvent: string) {
  const seen = new Map<string, ChatMessage>();
  const acknowledged: string[] = [];
  const keep = (message: ChatMessage) => {
    if (message.conversationId === conversationId) seen.set(message.id, message);
  };
  const catchUp = async () => {
    for (;;) {
      const answer = await request<{ messages?: ChatMessage[] }>(socket, resumeEvent, { conversationId, afterSeq: 0 }, 3_000).catch(
        () => ({}) as { messages?: ChatMessage[] },
      );
      if (answer.messages) return answer.messages.forEach(keep);
      await sleep(200);
    }
  };
  socket.on('message', keep);
  socket.on('resync', () => void catchUp());
  const send = async (body: string) => {
    const id = clientMessageId();
    for (;;) {
      const answer = await request<{ message?: ChatMessage; error?: { code: string } }>(
        socket,
        'message:send',
        { conversationId, body, clientMessageId: id },
        3_000,
      ).catch(() => ({}) as { message?: ChatMessage; error?: { code: string } });
      if (answer.message) {
        keep(answer.message);
        acknowledged.push(answer.message.id);
        return;
      }
      if (answer.error && answer.error.code !== 'service_unavailable') throw new Error(`refused: ${answer.error.code}`);
      await sleep(100);
    }
  };
  return { seen, acknowledged, send, catchUp };
}

type Answer = { status: number; body: Record<string, unknown> };

/** A money-moving request sent until it has a definitive answer, under one Idempotency-Key. */
async function untilAnswered(url: string, bearer: string, pathname: string, body: unknown, unexpected: Answer[]): Promise<Answer> {
  const key = newIdempotencyKey();
  for (;;) {
    const answer = await fetch(`${url}${pathname}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'idempotency-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    }).then(
      async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }),
      () => ({ status: 0, body: {} }),
    );
    // 503 (database away) and 409 (a try cut off by the outage still holds the key) mean "again".
    if (answer.status !== 0 && answer.status !== 503 && answer.status !== 409) {
      if (answer.status >= 500) unexpected.push(answer);
      return answer;
    }
    await sleep(100);
  }
}

describe('losing PostgreSQL under live chat and payments', () => {
  it('keeps both nodes up, answers 503 while it is away, restarts it and loses or repeats nothing', async () => {
    // Chat: a customer on node A, their agent on node B.
    const agent = await createAgent(nodeB, { name: '值班客服', capacity: 5 });
    const agentSocket = await connect(urlB, agent.token);
    await request(agentSocket, 'presence:set', { status: 'online' });
    const customer = await createChatCustomer(nodeA, '断库顾客');
    const customerSocket = await connect(urlA, customer.token);
    sockets.push(agentSocket, customerSocket);
    const started = await request<{ conversation: { id: string } }>(customerSocket, 'conversation:start', { category: 'account' });
    const conversationId = started.conversation.id;
    await request(agentSocket, 'conversation:open', { conversationId, afterSeq: 0 });
    const customerSide = chatter(customerSocket, conversationId, 'conversation:resume');
    const agentSide = chatter(agentSocket, conversationId, 'conversation:open');

    // Payments: transfers and top-ups over HTTP, to both nodes.
    const payer = await signedInCustomer(nodeA);
    const payee = await signedInCustomer(nodeA);
    await fundCustomer(nodeA.deps.pool, payer.id, 'CNY', 1_000_00);
    const card = await payer.client.post('/api/wallet/cards', {
      number: '4242424242424242',
      expMonth: 12,
      expYear: new Date().getFullYear() + 3,
      cvc: '123',
      holderName: 'WANG',
    });
    const cardId = (card.body as { id: string }).id;
    const bearer = ((await payer.client.post('/api/auth/login', { email: payer.email, password: goodPassword })).body as { token: string })
      .token;
    const transfers: string[] = [];
    const topUps: Array<{ id: string; status: string }> = [];
    const unexpected: Answer[] = [];

    let isStopping = false;
    const loops = [
      (async () => {
        for (let index = 0; !isStopping; index++) await customerSide.send(`顾客消息 ${index}`);
      })(),
      (async () => {
        for (let index = 0; !isStopping; index++) await agentSide.send(`客服回复 ${index}`);
      })(),
      (async () => {
        for (let index = 0; !isStopping; index++) {
          const url = index % 2 === 0 ? urlA : urlB;
          const answer = await untilAnswered(
            url,
            bearer,
            '/api/wallet/transfers',
            { recipient: payee.email, amount: 1_00, currency: 'CNY' },
            unexpected,
          );
          if (answer.status === 201) transfers.push(answer.body.id as string);
        }
      })(),
      (async () => {
        for (let index = 0; !isStopping; index++) {
          const url = index % 2 === 0 ? urlB : urlA;
          const answer = await untilAnswered(url, bearer, '/api/wallet/top-ups', { cardId, amount: 2_00, currency: 'CNY' }, unexpected);
          if (answer.status >= 200 && answer.status < 300)
            topUps.push({ id: answer.body.id as string, status: answer.body.status as string });
        }
      })(),
    ];
    await sleep(1_000);

    // Pull the plug on the database server: SIGKILL, no shutdown.
    const killedPid = await postmasterPid();
    process.kill(killedPid, 'SIGKILL');
    for (const url of [urlA, urlB]) {
      await expect.poll(async () => (await readiness(url)).status, { timeout: 5_000, interval: 50 }).toBe(503);
      expect((await readiness(url)).ms).toBeLessThan(1_200);
    }
    // Node A's watchdog starts it again; both nodes find it by themselves.
    for (const url of [urlA, urlB])
      await expect.poll(async () => (await readiness(url)).status, { timeout: 30_000, interval: 100 }).toBe(200);
    expect(await postmasterPid()).not.toBe(killedPid);
    await sleep(1_500);
    isStopping = true;
    await Promise.all(loops);

    // Every acknowledged message is stored exactly once, and each side has seen all of them.
    const stored = await nodeA.deps.pool.query<{ id: string; client_message_id: string }>(
      'SELECT id, client_message_id FROM messages WHERE conversation_id = $1 ORDER BY seq',
      [conversationId],
    );
    const storedIds = stored.rows.map((row) => row.id);
    expect(new Set(stored.rows.map((row) => row.client_message_id)).size).toBe(stored.rows.length);
    expect(storedIds.sort()).toEqual([...customerSide.acknowledged, ...agentSide.acknowledged].sort());
    expect(customerSide.acknowledged.length).toBeGreaterThan(5);
    for (const side of [customerSide, agentSide]) {
      await expect.poll(() => storedIds.filter((id) => !side.seen.has(id)).length, { timeout: 10_000 }).toBe(0);
      const seqs = [...side.seen.values()].map((message) => message.seq).sort((left, right) => left - right);
      expect(seqs).toEqual(Array.from({ length: stored.rows.length }, (_, index) => index + 1));
    }
    // The outbox handed each of them to the subscriber exactly once, across the outage.
    await expect
      .poll(async () => (await nodeA.deps.pool.query('SELECT message_id FROM outage_seen')).rows.length, { timeout: 10_000 })
      .toBe(stored.rows.length);
    const duplicates = await nodeA.deps.pool.query('SELECT message_id FROM outage_seen GROUP BY message_id HAVING count(*) > 1');
    expect(duplicates.rows).toEqual([]);

    // Every 2xx payment happened exactly once, and nothing happened that was not answered.
    expect(unexpected).toEqual([]);
    expect(transfers.length).toBeGreaterThan(2);
    const storedTransfers = await nodeA.deps.pool.query<{ id: string }>('SELECT id FROM transfers WHERE sender_id = $1', [payer.id]);
    expect(storedTransfers.rows.map((row) => row.id).sort()).toEqual([...transfers].sort());
    const storedTopUps = await nodeA.deps.pool.query<{ id: string; idempotency_key: string }>(
      'SELECT id, idempotency_key FROM top_ups WHERE customer_id = $1',
      [payer.id],
    );
    expect(new Set(storedTopUps.rows.map((row) => row.idempotency_key)).size).toBe(storedTopUps.rows.length);
    for (const topUp of topUps) expect(storedTopUps.rows.filter((row) => row.id === topUp.id)).toHaveLength(1);
    const report = await verifyLedger(nodeA.deps.db);
    expect(report.problems).toEqual([]);
    expect(report.isHealthy).toBe(true);
  });

  it('answers /readyz with 503 within a second when the database hangs instead of refusing', async () => {
    const postmaster = await postmasterPid();
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number.parseInt(line.trim(), 10))
      .filter((pid) => Number.isInteger(pid));
    const frozen = [postmaster, ...children];
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    try {
      const answer = await readiness(urlA);
      expect(answer.status).toBe(503);
      expect(answer.ms).toBeLessThan(1_500);
    } finally {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
    }
    await expect.poll(async () => (await readiness(urlA)).status, { timeout: 10_000 }).toBe(200);
  });
});
