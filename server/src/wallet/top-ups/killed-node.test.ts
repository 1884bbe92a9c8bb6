import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { goodPassword } from '../../test/http.js';
import { type NodeProcess, startNode } from '../../test/node-process.js';
import { startTestRuntime } from '../../test/runtime.js';
import { newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { verifyLedger } from '../ledger/verify-ledger.js';

// Node B runs here on a clock the test moves; node A is the built server in its own process, so it
// can be killed the way a machine dies: SIGKILL, nothing cleaned up.
const clock = fixedClock(new Date());
let nodeB: Runtime;
let dataDir: string;
const nodes: NodeProcess[] = [];
const reconcileAfterSeconds = 30;

beforeAll(async () => {
  nodeB = await startTestRuntime({ clock, env: { RECONCILE_AFTER_SECONDS: String(reconcileAfterSeconds) } });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-killed-'));
});
afterAll(async () => {
  for (const node of nodes) await node.stop();
  await nodeB?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function startNodeA(): Promise<NodeProcess> {
  const node = await startNode({
    NODE_ENV: 'test',
    DATABASE_URL: nodeB.databaseUrl,
    DATABASE_POOL_SIZE: '4',
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
  });
  nodes.push(node);
  return node;
}

async function kill(node: NodeProcess): Promise<void> {
  node.child.kill('SIGKILL');
  await node.exited;
}

const expYear = new Date().getFullYear() + 3;

async function customerWithCard(cardNumber: string) {
  const customer = await signedInCustomer(nodeB);
  const bound = await customer.client.post('/api/wallet/cards', {
    number: cardNumber,
    expMonth: 12,
    expYear,
    cvc: '123',
    holderName: 'WANG',
  });
  expect(bound.status).toBe(201);
  const login = await customer.client.post('/api/auth/login', { email: customer.email, password: goodPassword });
  return { ...customer, cardId: (bound.body as { id: string }).id, bearer: (login.body as { token: string }).token };
}

type Customer = Awaited<ReturnType<typeof customerWithCard>>;

/** The top-up request as a client sends it to node A over the network; it may never be answered. */
function topUpOnNodeA(node: NodeProcess, customer: Customer, key: string) {
  return fetch(`${node.url}/api/wallet/top-ups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${customer.bearer}`, 'idempotency-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ cardId: customer.cardId, amount: 5000, currency: 'CNY' }),
  }).catch((error: unknown) => error);
}

function retryOnNodeB(customer: Customer, key: string) {
  return customer.client.post(
    '/api/wallet/top-ups',
    { cardId: customer.cardId, amount: 5000, currency: 'CNY' },
    { 'idempotency-key': key },
  );
}

async function balance(customer: Customer): Promise<number> {
  const response = await customer.client.get('/api/wallet/balances');
  const balances = (response.body as { balances: Array<{ currency: string; available: { amount: number } }> }).balances;
  return balances.find((item) => item.currency === 'CNY')?.available.amount ?? 0;
}

async function bankCharges(customer: Customer): Promise<number> {
  const charges = await nodeB.deps.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM sandbox_acquirer_charges c JOIN top_ups t ON c.idempotency_key = t.id::text
     WHERE t.customer_id = $1`,
    [customer.id],
  );
  return charges.rows[0]?.n ?? 0;
}

/**
 * How many statements wait on a lock (read outside the blocking transaction, whose view of this is
 * frozen). The pattern is matched whatever the case and quoting of the statement's text.
 */
async function waitingOn(query: string): Promise<number> {
  const found = await nodeB.deps.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND replace(query, '\"', '') ILIKE $1",
    [query],
  );
  return found.rows[0]?.n ?? 0;
}

/** Moves node B's clock past the point where a claim or a pending top-up counts as abandoned. */
function waitOutTheBound() {
  clock.set(new Date(Date.now() + (reconcileAfterSeconds + 1) * 1000));
}

describe('a top-up whose node was killed mid-request', () => {
  it('answers the retry on another node with what the bank did, once the bound has passed, and never charges twice', async () => {
    clock.set(new Date());
    const customer = await customerWithCard('4000000000000424');
    const key = newIdempotencyKey();
    const nodeA = await startNodeA();
    void topUpOnNodeA(nodeA, customer, key);
    // The bank has taken the money and is slow to say so: the moment to pull the plug.
    await expect.poll(() => bankCharges(customer), { timeout: 15_000 }).toBe(1);
    await kill(nodeA);

    const tooSoon = await retryOnNodeB(customer, key);
    expect(tooSoon.status).toBe(409);
    expect((tooSoon.body as { error: { code: string } }).error.code).toBe('idempotency_key_in_progress');

    waitOutTheBound();
    const retried = await retryOnNodeB(customer, key);
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ status: 'succeeded', amount: { amount: 5000, currency: 'CNY' } });
    const again = await retryOnNodeB(customer, key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((again.body as { id: string }).id).toBe((retried.body as { id: string }).id);

    expect(await balance(customer)).toBe(5000);
    expect(await bankCharges(customer)).toBe(1);
    expect((await verifyLedger(nodeB.deps.db)).isHealthy).toBe(true);
  });

  it('lets the retry proceed when the killed request had claimed the key but not started the top-up', async () => {
    clock.set(new Date());
    const customer = await customerWithCard('4242424242424242');
    const key = newIdempotencyKey();
    const nodeA = await startNodeA();
    // Hold node A's request between its committed claim and the top-up it is about to record.
    const blocker = new pg.Client({ connectionString: nodeB.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE top_ups IN EXCLUSIVE MODE');
    void topUpOnNodeA(nodeA, customer, key);
    await expect.poll(() => waitingOn('INSERT INTO top_ups%'), { timeout: 15_000 }).toBe(1);
    await kill(nodeA);
    await blocker.query('ROLLBACK');
    await blocker.end();

    const tooSoon = await retryOnNodeB(customer, key);
    expect(tooSoon.status).toBe(409);
    waitOutTheBound();
    const retried = await retryOnNodeB(customer, key);
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.body).toMatchObject({ status: 'succeeded' });
    expect(await balance(customer)).toBe(5000);
    expect(await bankCharges(customer)).toBe(1);
  });

  it('fences out a request that was only slow: after its claim is taken over it starts nothing', async () => {
    clock.set(new Date());
    const customer = await customerWithCard('4242424242424242');
    const key = newIdempotencyKey();
    // The first request claims the key, then stalls before the top-up (its freeze check waits on a lock).
    const blocker = new pg.Client({ connectionString: nodeB.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE customer_freezes IN ACCESS EXCLUSIVE MODE');
    const slow = retryOnNodeB(customer, key);
    await expect
      .poll(
        async () =>
          (await blocker.query("SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1 AND state = 'in_progress'", [key])).rows[0]
            ?.n,
      )
      .toBe(1);
    waitOutTheBound();
    const retry = retryOnNodeB(customer, key);
    await expect.poll(() => waitingOn('%customer_freezes%')).toBe(2);
    await blocker.query('ROLLBACK');
    await blocker.end();

    const [first, second] = await Promise.all([slow, retry]);
    expect(first.status).toBe(409);
    expect(second.status).toBe(201);
    expect(await balance(customer)).toBe(5000);
    expect(await bankCharges(customer)).toBe(1);
  });
});
