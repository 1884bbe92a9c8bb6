import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { approveIdentities, bindTestCard, newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { requestHash } from '../idempotency/idempotency.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { startedAt } from './create-top-up.js';
import { createTopUpBatchers } from './top-up-batchers.js';
import { topUpOnce } from './top-up-once.js';
import { insertPendingTopUps } from './top-ups.repository.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ env: { RISK_UNVERIFIED_INFLOW_LIMIT_CNY: '1000' } });
});
afterAll(() => runtime?.close());

async function customerWithCard() {
  const customer = await signedInCustomer(runtime);
  return { ...customer, cardId: await bindTestCard(customer) };
}

type Customer = Awaited<ReturnType<typeof customerWithCard>>;

function topUp(customer: Customer, amount: number, batches: ReturnType<typeof createTopUpBatchers>, key = newIdempotencyKey()) {
  const body = { cardId: customer.cardId, amount, currency: 'CNY' as const };
  return topUpOnce(
    runtime.deps,
    {
      ...body,
      customerId: customer.id,
      claim: { customerId: customer.id, key, hash: requestHash('POST', '/api/wallet/top-ups', { body, params: {} }) },
      locale: 'en',
    },
    batches,
  );
}

async function count(sql: string, values: unknown[]): Promise<number> {
  const result = await runtime.deps.pool.query<{ n: number }>(sql, values);
  return result.rows[0]?.n ?? 0;
}

describe('top-ups committed in batches', () => {
  it('claims a key asked for twice in one call once: the repeat finds it taken', async () => {
    const customer = await customerWithCard();
    const key = newIdempotencyKey();
    const topUp = { customerId: customer.id, cardId: customer.cardId, amount: 1_00, currency: 'CNY' as const, idempotencyKey: key };
    const outcomes = await insertPendingTopUps(
      runtime.deps.db,
      [
        { ...topUp, id: randomUUID(), claim: { token: randomUUID(), requestHash: 'same request' } },
        { ...topUp, id: randomUUID(), claim: { token: randomUUID(), requestHash: 'same request' } },
      ],
      startedAt(runtime.deps),
    );
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['started', 'key_taken']);
    expect(await count('SELECT count(*)::int AS n FROM top_ups WHERE customer_id = $1', [customer.id])).toBe(1);
  });

  it("checks each card in the call: another customer's, a removed and an expired one start nothing and claim no key", async () => {
    const [customer, other] = await Promise.all([customerWithCard(), customerWithCard()]);
    const removed = await bindTestCard(customer, '5555555555554444');
    await customer.client.delete(`/api/wallet/cards/${removed}`);
    const expiring = await bindTestCard(customer, '6200000000000005');
    const expiry = await runtime.deps.pool.query<{ month: number }>('SELECT exp_year * 12 + exp_month AS month FROM cards WHERE id = $1', [
      expiring,
    ]);
    const lastValidMonth = expiry.rows[0]?.month ?? 0;
    const start = (cardId: string) => ({
      id: randomUUID(),
      customerId: customer.id,
      cardId,
      amount: 1_00,
      currency: 'CNY' as const,
      idempotencyKey: newIdempotencyKey(),
      claim: { token: randomUUID(), requestHash: 'a request' },
    });
    const calls = [start(customer.cardId), start(other.cardId), start(removed), start(expiring)];
    // One month per call: the expired card goes in a call of its own, made in the month after its last.
    const outcomes = [
      ...(await insertPendingTopUps(runtime.deps.db, calls.slice(0, 3), { at: new Date(), month: lastValidMonth })),
      ...(await insertPendingTopUps(runtime.deps.db, calls.slice(3), { at: new Date(), month: lastValidMonth + 1 })),
    ];
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['started', 'card_refused', 'card_refused', 'card_refused']);
    const [started] = outcomes;
    expect(started?.outcome === 'started' && started.card).toMatchObject({ id: customer.cardId, last4: '4242', status: 'active' });
    expect(await count('SELECT count(*)::int AS n FROM top_ups WHERE customer_id = $1', [customer.id])).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM idempotency_keys WHERE customer_id = $1', [customer.id])).toBe(1);
    // In its last valid month the same card starts.
    const [valid] = await insertPendingTopUps(runtime.deps.db, [start(expiring)], { at: new Date(), month: lastValidMonth });
    expect(valid?.outcome).toBe('started');
  });

  it('charges once when the same key is sent many times into the same batches', async () => {
    const customer = await customerWithCard();
    const batches = createTopUpBatchers(runtime.deps);
    const key = newIdempotencyKey();
    const settled = await Promise.allSettled(Array.from({ length: 12 }, () => topUp(customer, 3_00, batches, key)));
    const statuses = settled.map((result) =>
      result.status === 'fulfilled' ? result.value.status : (result.reason as { code?: string }).code,
    );
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 201 || status === 'idempotency_key_in_progress')).toBe(true);
    expect(
      await count(
        'SELECT count(*)::int AS n FROM sandbox_acquirer_charges c JOIN top_ups t ON c.idempotency_key = t.id::text WHERE t.customer_id = $1',
        [customer.id],
      ),
    ).toBe(1);
    const balance = await runtime.deps.pool.query("SELECT balance FROM ledger_accounts WHERE customer_id = $1 AND currency = 'CNY'", [
      customer.id,
    ]);
    expect(balance.rows[0]).toEqual({ balance: '300' });
  });

  it('credits concurrent top-ups from shared calls, stores each answer under its key, and keeps the ledger balanced', async () => {
    const customers = await Promise.all(Array.from({ length: 6 }, () => customerWithCard()));
    await approveIdentities(
      runtime.deps.pool,
      customers.map((customer) => customer.id),
    );
    const batches = createTopUpBatchers(runtime.deps);
    const requests = customers.flatMap((customer) => Array.from({ length: 5 }, () => ({ customer, key: newIdempotencyKey() })));
    const answers = await Promise.all(requests.map((request) => topUp(request.customer, 2_00, batches, request.key)));
    expect(answers.map((answer) => answer.status)).toEqual(requests.map(() => 201));
    for (const [index, request] of requests.entries()) {
      const stored = await runtime.deps.pool.query(
        'SELECT state, response_status, response_body FROM idempotency_keys WHERE customer_id = $1 AND key = $2',
        [request.customer.id, request.key],
      );
      expect(stored.rows[0]).toEqual({ state: 'completed', response_status: 201, response_body: answers[index]?.body });
    }
    for (const customer of customers) {
      const balance = await runtime.deps.pool.query("SELECT balance FROM ledger_accounts WHERE customer_id = $1 AND currency = 'CNY'", [
        customer.id,
      ]);
      expect(balance.rows[0]).toEqual({ balance: '1000' });
    }
    expect((await verifyLedger(runtime.deps.db)).problems).toEqual([]);
  });

  it('credits an unverified customer in a transaction with the inflow rule, which freezes past the limit', async () => {
    const customer = await customerWithCard();
    const batches = createTopUpBatchers(runtime.deps);
    const answers = await Promise.all([topUp(customer, 600_00, batches), topUp(customer, 600_00, batches)]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    const freezes = await runtime.deps.pool.query('SELECT reason FROM customer_freezes WHERE customer_id = $1 AND lifted_at IS NULL', [
      customer.id,
    ]);
    expect(freezes.rows).toEqual([{ reason: 'identity_unverified' }]);
    const refused = await topUp(customer, 1_00, batches).catch((error: { code: string }) => error.code);
    expect(refused).toBe('account_frozen');
  });
});
