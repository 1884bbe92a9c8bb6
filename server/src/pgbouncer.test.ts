import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatMessage } from '@okpay/contracts';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from './runtime.js';
import { createTestDatabase } from './test/database.js';
import { goodPassword, httpClient } from './test/http.js';
import { freePort } from './test/node-process.js';
import { clientMessageId, connect, createAgent, createChatCustomer, listen, nextEvent, request } from './test/realtime.js';
import { startTestRuntime } from './test/runtime.js';
import { fundCustomer, newIdempotencyKey, signedInCustomer } from './test/wallet.js';
import { verifyLedger } from './wallet/index.js';

// Two nodes whose request pools go through a real PgBouncer (Debian's) in transaction mode with
// fewer server connections than the nodes have clients, so consecutive transactions of one client
// land on different server connections; LISTEN, migrations and jobs use the direct session URL.
const pgbouncerBinary = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((candidate) => existsSync(candidate));

let bouncer: ChildProcess | undefined;
let bouncerUrl: string;
let adminUrl: string;
let nodeA: Runtime;
let nodeB: Runtime;
const sockets: Socket[] = [];

async function startPgBouncer(directUrl: string): Promise<void> {
  if (!pgbouncerBinary) throw new Error('pgbouncer is not installed (apt-get install pgbouncer)');
  const direct = new URL(directUrl);
  const database = direct.pathname.slice(1);
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okpay-pgbouncer-'));
  const ini = path.join(dir, 'pgbouncer.ini');
  await writeFile(path.join(dir, 'userlist.txt'), `"${decodeURIComponent(direct.username)}" ""\n`);
  await writeFile(
    ini,
    [
      '[databases]',
      `${database} = host=${direct.hostname} port=${direct.port} dbname=${database} user=${decodeURIComponent(direct.username)} password=${decodeURIComponent(direct.password)}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      'default_pool_size = 3',
      'max_client_conn = 200',
      `admin_users = ${decodeURIComponent(direct.username)}`,
      'ignore_startup_parameters = extra_float_digits,options,statement_timeout',
      '',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root: as root, it runs as nobody with the files readable to it.
  await chmod(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  const started = asRoot ? spawn('runuser', ['-u', 'nobody', '--', pgbouncerBinary, ini]) : spawn(pgbouncerBinary, [ini]);
  bouncer = started;
  const output: string[] = [];
  started.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  started.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  bouncerUrl = `postgres://${direct.username}:${direct.password}@127.0.0.1:${port}/${database}`;
  adminUrl = `postgres://${direct.username}@127.0.0.1:${port}/pgbouncer`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (started.exitCode !== null) throw new Error(`pgbouncer exited with ${started.exitCode}: ${output.join('')}`);
    const probe = new pg.Client({ connectionString: bouncerUrl });
    try {
      await probe.connect();
      await probe.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`pgbouncer did not answer: ${String(error)}\n${output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await probe.end().catch(() => undefined);
    }
  }
}

/** What PgBouncer's admin console says it did for the database. */
async function bouncerTransactions(): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const stats = await admin.query<{ database: string; total_xact_count: string }>('SHOW STATS');
    const database = new URL(bouncerUrl).pathname.slice(1);
    return Number(stats.rows.find((row) => row.database === database)?.total_xact_count ?? 0);
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  const directUrl = await createTestDatabase();
  await startPgBouncer(directUrl);
  const env = { DATABASE_SESSION_URL: directUrl, DATABASE_PREPARED_STATEMENTS: 'false' };
  nodeA = await startTestRuntime({ databaseUrl: bouncerUrl, env });
  nodeB = await startTestRuntime({ databaseUrl: bouncerUrl, env });
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await nodeB?.close();
  await nodeA?.close();
  bouncer?.kill('SIGTERM');
});

async function balanceOf(client: Awaited<ReturnType<typeof signedInCustomer>>['client']): Promise<number> {
  const response = await client.get('/api/wallet/balances');
  const balances = (response.body as { balances: Array<{ currency: string; available: { amount: number } }> }).balances;
  return balances.find((balance) => balance.currency === 'CNY')?.available.amount ?? 0;
}

describe('behind PgBouncer in transaction mode', () => {
  it('moves money exactly under concurrent transfers on two nodes, each transaction through the pooler', async () => {
    const alice = await signedInCustomer(nodeA, { displayName: '池化爱丽丝' });
    const bob = await signedInCustomer(nodeB, { displayName: '池化鲍勃' });
    await fundCustomer(nodeA.deps.pool, alice.id, 'CNY', 1_000_00);
    // Alice signs in on node B too: her transfers arrive at both nodes at once.
    const aliceOnB = httpClient(nodeB.app);
    expect((await aliceOnB.post('/api/auth/login', { email: alice.email, password: goodPassword })).status).toBe(200);
    const clients = [alice.client, aliceOnB];
    const before = await bouncerTransactions();
    const sent = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        (clients[index % 2] as typeof alice.client).post(
          '/api/wallet/transfers',
          { recipient: bob.email, amount: 1_00, currency: 'CNY' },
          { 'idempotency-key': newIdempotencyKey() },
        ),
      ),
    );
    expect(sent.map((response) => response.status)).toEqual(Array.from({ length: 40 }, () => 201));
    expect(await balanceOf(alice.client)).toBe(960_00);
    expect(await balanceOf(bob.client)).toBe(40_00);
    expect((await verifyLedger(nodeA.deps.db)).isHealthy).toBe(true);
    // Each request looks its session up through the pooler, and each batch of transfers commits
    // through it: at least one pooled transaction per transfer (the nodes' background work, which
    // asks one statement a pass while idle, is not counted on).
    expect((await bouncerTransactions()) - before).toBeGreaterThanOrEqual(sent.length);
  });

  it('delivers chat across the nodes, their LISTEN on the direct connection', async () => {
    const urlA = await listen(nodeA);
    const urlB = await listen(nodeB);
    const agent = await createAgent(nodeB, { name: '池化客服' });
    const agentSocket = await connect(urlB, agent.token);
    await request(agentSocket, 'presence:set', { status: 'online' });
    const customer = await createChatCustomer(nodeA, '池化顾客');
    const customerSocket = await connect(urlA, customer.token);
    sockets.push(agentSocket, customerSocket);
    const started = await request<{ conversation: { id: string } }>(customerSocket, 'conversation:start', { category: 'account' });
    const conversationId = started.conversation.id;
    await request(agentSocket, 'conversation:open', { conversationId, afterSeq: 0 });
    for (const body of ['第一句', '第二句', '第三句']) {
      const heard = nextEvent<ChatMessage>(agentSocket, 'message', (message) => message.body === body);
      await request(customerSocket, 'message:send', { conversationId, body, clientMessageId: clientMessageId() });
      expect((await heard).body).toBe(body);
    }
  });
});
