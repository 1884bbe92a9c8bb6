import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { fundCustomer, newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { verifyLedger } from '../ledger/verify-ledger.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startRuntime();
});
afterAll(() => runtime?.close());

async function startRuntime() {
  const { startTestRuntime } = await import('../../test/runtime.js');
  return startTestRuntime();
}

async function balanceOf(client: Awaited<ReturnType<typeof signedInCustomer>>['client'], currency: string) {
  const response = await client.get('/api/wallet/balances');
  const balances = (response.body as { balances: Array<{ currency: string; available: { amount: number } }> }).balances;
  return balances.find((balance) => balance.currency === currency)?.available.amount ?? 0;
}

describe('transfers between customers', () => {
  it('moves money by email, records both sides of the history and keeps the ledger balanced', async () => {
    const alice = await signedInCustomer(runtime, { displayName: '爱丽丝' });
    const bob = await signedInCustomer(runtime, { displayName: '鲍勃' });
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 100_00);
    const sent = await alice.client.post(
      '/api/wallet/transfers',
      { recipient: bob.email, amount: 25_50, currency: 'CNY', note: '午饭' },
      { 'idempotency-key': newIdempotencyKey() },
    );
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      status: 'succeeded',
      amount: { amount: 2550, currency: 'CNY' },
      recipient: { displayName: '鲍勃' },
      note: '午饭',
    });
    expect(await balanceOf(alice.client, 'CNY')).toBe(74_50);
    expect(await balanceOf(bob.client, 'CNY')).toBe(25_50);
    const aliceHistory = (await alice.client.get('/api/wallet/transactions')).body as { transactions: Array<Record<string, unknown>> };
    expect(aliceHistory.transactions[0]).toMatchObject({
      type: 'transfer_out',
      status: 'succeeded',
      amount: { amount: -2550 },
      counterparty: '鲍勃',
    });
    const bobHistory = (await bob.client.get('/api/wallet/transactions')).body as { transactions: Array<Record<string, unknown>> };
    expect(bobHistory.transactions[0]).toMatchObject({
      type: 'transfer_in',
      amount: { amount: 2550 },
      counterparty: '爱丽丝',
      note: '午饭',
    });
    expect((await verifyLedger(runtime.deps.db)).isHealthy).toBe(true);
  });

  it('finds the recipient by phone number', async () => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime, { phone: '13600001111' });
    await fundCustomer(runtime.deps.pool, alice.id, 'USD', 10_00);
    const sent = await alice.client.post(
      '/api/wallet/transfers',
      { recipientPhone: '13600001111', amount: 1_00, currency: 'USD' },
      { 'idempotency-key': newIdempotencyKey() },
    );
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ recipient: { maskedContact: '136****1111' } });
    expect(await balanceOf(bob.client, 'USD')).toBe(1_00);
  });

  it.each([
    ['beyond the balance', 'insufficient_funds', 422],
    ['to an unknown recipient', 'recipient_not_found', 404],
    ['to oneself', 'transfer_to_self', 422],
  ])('refuses a transfer %s with %s and moves nothing', async (label, code, status) => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 10_00);
    const recipient = label === 'to oneself' ? alice.email : label === 'to an unknown recipient' ? 'nobody-here@example.com' : bob.email;
    const amount = label === 'beyond the balance' ? 10_01 : 1_00;
    const response = await alice.client.post(
      '/api/wallet/transfers',
      { recipient, amount, currency: 'CNY' },
      { 'idempotency-key': newIdempotencyKey() },
    );
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: { code } });
    expect(await balanceOf(alice.client, 'CNY')).toBe(10_00);
    expect(await balanceOf(bob.client, 'CNY')).toBe(0);
  });

  it('requires an Idempotency-Key and rejects a malformed one', async () => {
    const alice = await signedInCustomer(runtime);
    const missing = await alice.client.post('/api/wallet/transfers', { recipient: 'x@example.com', amount: 1, currency: 'CNY' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { code: 'idempotency_key_missing' } });
    const tooLong = await alice.client.post(
      '/api/wallet/transfers',
      { recipient: 'x@example.com', amount: 1, currency: 'CNY' },
      { 'idempotency-key': 'k'.repeat(256) },
    );
    expect(tooLong.body).toMatchObject({ error: { code: 'idempotency_key_invalid' } });
  });

  it('replays the stored answer for the same key and body, and refuses the key with a different body', async () => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 50_00);
    const key = newIdempotencyKey();
    const body = { recipient: bob.email, amount: 5_00, currency: 'CNY' };
    const first = await alice.client.post('/api/wallet/transfers', body, { 'idempotency-key': key });
    const again = await alice.client.post('/api/wallet/transfers', body, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await balanceOf(bob.client, 'CNY')).toBe(5_00);
    const different = await alice.client.post('/api/wallet/transfers', { ...body, amount: 6_00 }, { 'idempotency-key': key });
    expect(different.status).toBe(422);
    expect(different.body).toMatchObject({ error: { code: 'idempotency_key_reused' } });
  });

  it('runs the same key fired 50 times at once exactly once, with identical answers', async () => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 100_00);
    const key = newIdempotencyKey();
    const body = { recipient: bob.email, amount: 7_00, currency: 'CNY' };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => alice.client.post('/api/wallet/transfers', body, { 'idempotency-key': key })),
    );
    expect(new Set(responses.map((response) => response.status))).toEqual(new Set([201]));
    const bodies = new Set(responses.map((response) => JSON.stringify(response.body)));
    expect(bodies.size).toBe(1);
    expect(await balanceOf(bob.client, 'CNY')).toBe(7_00);
    const postings = await runtime.deps.pool.query(
      "SELECT count(*)::int AS n FROM journal_entries WHERE kind = 'transfer' AND id IN (SELECT journal_entry_id FROM transfers WHERE sender_id = $1)",
      [alice.id],
    );
    expect(postings.rows[0]?.n).toBe(1);
  });

  it('keys are scoped to the customer: two customers may use the same key', async () => {
    const alice = await signedInCustomer(runtime);
    const carol = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 10_00);
    await fundCustomer(runtime.deps.pool, carol.id, 'CNY', 10_00);
    const key = newIdempotencyKey();
    for (const sender of [alice, carol]) {
      const response = await sender.client.post(
        '/api/wallet/transfers',
        { recipient: bob.email, amount: 1_00, currency: 'CNY' },
        { 'idempotency-key': key },
      );
      expect(response.status).toBe(201);
    }
    expect(await balanceOf(bob.client, 'CNY')).toBe(2_00);
  });
});
