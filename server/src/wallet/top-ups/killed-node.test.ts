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
import { claimIdempotencyKey, requestHash } from '../idempotency/idempotency.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { createTopUp } from './create-top-up.js';

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

/** The hash a top-up request from the customer's card for 50.00 CNY is claimed under. */
function topUpHash(customer: Customer): string {
  return requestHash('POST', '/api/wallet/top-ups', { body: { cardId: customer.cardId, amount: 5000, currency: 'CNY' }, params: {} });
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

  it('answers the retry of a request killed in its first phase with what came of it: recorded, never charged, failed', async () => {
    clock.set(new Date());
    const customer = await customerWithCard('4242424242424242');
    const key = newIdempotencyKey();
    const nodeA = await startNodeA();
    // Hold node A's request inside its first phase (the key's claim and the pending top-up, one statement).
    const blocker = new pg.Client({ connectionString: nodeB.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE top_ups IN EXCLUSIVE MODE');
    void topUpOnNodeA(nodeA, customer, key);
    await expect.poll(() => waitingOn('%okpay_begin_top_up%'), { timeout: 15_000 }).toBe(1);
    await kill(nodeA);
    await blocker.query('ROLLBACK');
    await blocker.end();
    // The statement outlives its node and commits: the top-up is recorded, and nobody calls the bank.
    await expect.poll(() => waitingOn('%okpay_begin_top_up%')).toBe(0);

    const tooSoon = await retryOnNodeB(customer, key);
    expect(tooSoon.status).toBe(409);
    waitOutTheBound();
    const retried = await retryOnNodeB(customer, key);
    expect(retried.status).toBe(402);
    expect(retried.body).toMatchObject({ status: 'failed', failure: { code: 'processing_error' } });
    const again = await retryOnNodeB(customer, key);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(retried.body);
    expect(await balance(customer)).toBe(0);
    expect(await bankCharges(customer)).toBe(0);
    expect((await verifyLedger(nodeB.deps.db)).problems).toEqual([]);
  }, 90_000);

  it('lets a retry take over a claim whose request died before starting a top-up, once the bound has passed', async () => {
    clock.set(new Date());
    const customer = await customerWithCard('4242424242424242');
    const key = newIdempotencyKey();
    // What a request leaves when its node dies between claiming a key and starting the top-up
    // (the long way claims first: a retry taking over a claim, or a card refused at first).
    await nodeB.deps.pool.query(
      'INSERT INTO idempotency_keys (customer_id, key, request_hash, claim_token, claimed_at) VALUES ($1, $2, $3, gen_random_uuid(), $4)',
      [customer.id, key, topUpHash(customer), clock.now()],
    );
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
    // The slow request claimed the key the long way and has not started its top-up yet.
    const slow = await claimIdempotencyKey(
      nodeB.deps.db,
      { customerId: customer.id, key, hash: topUpHash(customer) },
      { at: clock.now(), staleAfterSeconds: reconcileAfterSeconds, hasStarted: async () => false },
    );
    expect(slow.isOwner).toBe(true);
    waitOutTheBound();
    const retried = await retryOnNodeB(customer, key);
    expect(retried.status).toBe(201);
    // The slow request goes on with its top-up: its claim is no longer its own, so it starts nothing.
    await expect(
      createTopUp(nodeB.deps, {
        customerId: customer.id,
        cardId: customer.cardId,
        amount: 5000,
        currency: 'CNY',
        idempotencyKey: key,
        claimToken: slow.token,
      }),
    ).rejects.toMatchObject({ code: 'idempotency_key_in_progress' });
    expect(await balance(customer)).toBe(5000);
    expect(await bankCharges(customer)).toBe(1);
    const again = await retryOnNodeB(customer, key);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(retried.body);
  });
});
