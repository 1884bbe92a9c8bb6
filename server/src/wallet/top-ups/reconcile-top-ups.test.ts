import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { type BankControls, steerableSandbox } from '../../test/acquirer.js';
import { startTestRuntime } from '../../test/runtime.js';
import { newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { reconcileTopUps } from './reconcile-top-ups.js';
import { reconcileTopUpsQueue } from './top-ups.jobs.js';

// The sandbox bank as the app uses it, handed in so that a test may lose the bank's answer after any charge.
const bank: BankControls = {};

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ acquirer: steerableSandbox(bank) });
});
afterAll(() => runtime?.close());
afterEach(() => {
  bank.losesAnswers = false;
});

type Customer = Awaited<ReturnType<typeof signedInCustomer>>;
type TopUpBody = { id: string; status: string; failure: { code: string; nextStep: string } | null };

const expYear = new Date().getFullYear() + 3;

async function pendingTopUp(customer: Customer, card: string, amount: number, key = newIdempotencyKey()): Promise<TopUpBody> {
  const bound = await customer.client.post('/api/wallet/cards', { number: card, expMonth: 12, expYear, cvc: '123', holderName: 'WANG WU' });
  const cardId = (bound.body as { id: string }).id;
  const response = await customer.client.post('/api/wallet/top-ups', { cardId, amount, currency: 'CNY' }, { 'idempotency-key': key });
  expect(response.status).toBe(202);
  return response.body as TopUpBody;
}

async function balanceOf(customer: Customer): Promise<number> {
  const response = await customer.client.get('/api/wallet/balances');
  const balances = (response.body as { balances: Array<{ currency: string; available: { amount: number } }> }).balances;
  return balances.find((balance) => balance.currency === 'CNY')?.available.amount ?? 0;
}

const reconcileNow = () => reconcileTopUps(runtime.deps, { olderThanSeconds: 0 });

describe('reconciling pending top-ups with the bank', () => {
  it('credits a charge whose answer was lost exactly once, even with two runs at the same time', async () => {
    const customer = await signedInCustomer(runtime);
    const topUp = await pendingTopUp(customer, '4000000000000408', 60_00);
    expect(await balanceOf(customer)).toBe(0);
    const runs = await Promise.all([reconcileNow(), reconcileNow()]);
    expect(runs.reduce((total, run) => total + run.succeeded, 0)).toBeGreaterThanOrEqual(1);
    expect(await balanceOf(customer)).toBe(60_00);
    const entries = await runtime.deps.pool.query('SELECT count(*)::int AS n FROM journal_entries WHERE reference = $1', [
      `top_up:${topUp.id}`,
    ]);
    expect(entries.rows[0]?.n).toBe(1);
    const after = (await customer.client.get(`/api/wallet/top-ups/${topUp.id}`)).body as TopUpBody & { completedAt: string | null };
    expect(after).toMatchObject({ status: 'succeeded', failure: null, completedAt: expect.any(String) });
    const history = (await customer.client.get('/api/wallet/transactions')).body as { transactions: Array<Record<string, unknown>> };
    expect(history.transactions[0]).toMatchObject({ topUpId: topUp.id, status: 'succeeded', failure: null });
    // A third run finds nothing left to do and credits nothing more.
    await reconcileNow();
    expect(await balanceOf(customer)).toBe(60_00);
  });

  it('fails a charge the bank never received with processing_error, charging nothing', async () => {
    const customer = await signedInCustomer(runtime);
    const topUp = await pendingTopUp(customer, '4000000000000416', 70_00);
    await reconcileNow();
    const after = (await customer.client.get(`/api/wallet/top-ups/${topUp.id}`, { 'accept-language': 'en' })).body as TopUpBody;
    expect(after).toMatchObject({ status: 'failed', failure: { code: 'processing_error', nextStep: 'retry_later' } });
    const charges = await runtime.deps.pool.query('SELECT 1 FROM sandbox_acquirer_charges WHERE idempotency_key = $1', [topUp.id]);
    expect(charges.rowCount).toBe(0);
    expect(await balanceOf(customer)).toBe(0);
  });

  it('fails a declined charge whose answer was lost with the real code kept for agents', async () => {
    const customer = await signedInCustomer(runtime);
    bank.losesAnswers = true;
    const topUp = await pendingTopUp(customer, '4000000000009987', 80_00);
    bank.losesAnswers = false;
    await reconcileNow();
    const after = (await customer.client.get(`/api/wallet/top-ups/${topUp.id}`)).body as TopUpBody;
    expect(after).toMatchObject({ status: 'failed', failure: { code: 'card_declined' } });
    const stored = await runtime.deps.pool.query('SELECT failure_code FROM top_ups WHERE id = $1', [topUp.id]);
    expect(stored.rows[0]?.failure_code).toBe('lost_card');
    const events = await runtime.deps.pool.query(
      "SELECT payload->>'code' AS code FROM domain_events WHERE type = 'wallet.top-up.failed' AND subject_id = $1",
      [topUp.id],
    );
    expect(events.rows).toEqual([{ code: 'lost_card' }]);
    expect(await balanceOf(customer)).toBe(0);
  });

  it('keeps the 202 it answered for a lost answer, and stores the final answer for a request cut off mid-way', async () => {
    const customer = await signedInCustomer(runtime);
    const key = newIdempotencyKey();
    const topUp = await pendingTopUp(customer, '4000000000000408', 90_00, key);
    const body = {
      cardId: (await runtime.deps.pool.query('SELECT card_id FROM top_ups WHERE id = $1', [topUp.id])).rows[0]?.card_id,
      amount: 90_00,
      currency: 'CNY',
    };
    const replayBefore = await customer.client.post('/api/wallet/top-ups', body, { 'idempotency-key': key });
    expect(replayBefore.status).toBe(202);
    expect(replayBefore.headers['idempotent-replayed']).toBe('true');
    // As if the node stopped after the charge and before storing the answer.
    await runtime.deps.pool.query(
      "UPDATE idempotency_keys SET state = 'in_progress', response_status = NULL, response_body = NULL, completed_at = NULL WHERE customer_id = $1 AND key = $2",
      [customer.id, key],
    );
    expect((await customer.client.post('/api/wallet/top-ups', body, { 'idempotency-key': key })).status).toBe(409);
    await reconcileNow();
    const replayAfter = await customer.client.post('/api/wallet/top-ups', body, { 'idempotency-key': key });
    expect(replayAfter.status).toBe(201);
    expect(replayAfter.headers['idempotent-replayed']).toBe('true');
    expect(replayAfter.body).toMatchObject({ id: topUp.id, status: 'succeeded' });
    expect(await balanceOf(customer)).toBe(90_00);
  });

  it('leaves top-ups younger than RECONCILE_AFTER_SECONDS alone: they may still be talking to the bank', async () => {
    const customer = await signedInCustomer(runtime);
    const topUp = await pendingTopUp(customer, '4000000000000408', 10_00);
    // Other tests' top-ups may be old enough by now: only this one's fate counts here.
    await reconcileTopUps(runtime.deps);
    const asked = await runtime.deps.pool.query<{ attempts: number }>('SELECT attempts FROM top_ups WHERE id = $1', [topUp.id]);
    expect(asked.rows[0]?.attempts).toBe(1);
    const after = (await customer.client.get(`/api/wallet/top-ups/${topUp.id}`)).body as TopUpBody;
    expect(after.status).toBe('pending');
    await reconcileNow();
  });

  it('is scheduled every minute with pg-boss', async () => {
    const schedules = await runtime.deps.pool.query('SELECT name, cron FROM pgboss.schedule WHERE name = $1', [reconcileTopUpsQueue]);
    expect(schedules.rows).toEqual([{ name: 'wallet.reconcile-top-ups', cron: '* * * * *' }]);
  });

  it('keeps the ledger balanced', async () => {
    expect((await verifyLedger(runtime.deps.db)).isHealthy).toBe(true);
  });
});
