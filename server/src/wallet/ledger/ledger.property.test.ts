import type { CurrencyCode } from '@okpay/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, withTransaction } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { fundCustomer, newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { createFxQuote } from '../fx/create-fx-quote.js';
import { executeFxQuote } from '../fx/execute-fx-quote.js';
import { createTopUp } from '../top-ups/create-top-up.js';
import { createTopUpBatchers } from '../top-ups/top-up-batchers.js';
import { topUpOnce } from '../top-ups/top-up-once.js';
import { sendTransfer } from '../transfers/send-transfer.js';
import { createTransferBatcher } from '../transfers/transfer-batcher.js';
import { listCustomerAccounts } from './ledger.repository.js';
import { verifyLedger } from './verify-ledger.js';

let runtime: Runtime;
beforeAll(async () => {
  // Many connections, so concurrent entries really contend for row locks.
  runtime = await startTestRuntime({ env: { DATABASE_POOL_SIZE: '24', RISK_UNVERIFIED_INFLOW_LIMIT_CNY: '100000000' } });
});
afterAll(() => runtime?.close());

const walletCurrencies: CurrencyCode[] = ['CNY', 'USD', 'JPY'];

type Operation =
  | { kind: 'transfer'; from: number; to: number; amount: number; currency: CurrencyCode; isBatched: boolean }
  | { kind: 'exchange'; who: number; from: CurrencyCode; to: CurrencyCode; amount: number }
  | { kind: 'top-up'; who: number; amount: number; currency: CurrencyCode; isBatched: boolean };

const operation = (customers: number): fc.Arbitrary<Operation> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('transfer' as const),
      from: fc.nat(customers - 1),
      to: fc.nat(customers - 1),
      amount: fc.integer({ min: 1, max: 6_000 }),
      currency: fc.constantFrom(...walletCurrencies),
      // Through the node's group commit, as the API sends them, or alone in a transaction.
      isBatched: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('exchange' as const),
      who: fc.nat(customers - 1),
      from: fc.constantFrom(...walletCurrencies),
      to: fc.constantFrom(...walletCurrencies),
      amount: fc.integer({ min: 1, max: 5_000 }),
    }),
    fc.record({
      kind: fc.constant('top-up' as const),
      who: fc.nat(customers - 1),
      amount: fc.integer({ min: 1, max: 3_000 }),
      currency: fc.constantFrom(...walletCurrencies),
      // Through the node's group commits, as the API sends them, or one call at a time.
      isBatched: fc.boolean(),
    }),
  );

describe('the ledger under random concurrent money movement', () => {
  it('stays balanced, never overdraws a customer and conserves every total', async () => {
    const customers = await Promise.all(Array.from({ length: 5 }, () => signedInCustomer(runtime)));
    // Top-ups go through the real two-phase flow against the sandbox bank, from a card each.
    const cardIds = new Map<string, string>();
    for (const customer of customers) {
      const bound = await customer.client.post('/api/wallet/cards', {
        number: '4242 4242 4242 4242',
        expMonth: 12,
        expYear: 2040,
        cvc: '123',
        holderName: 'PROPERTY',
      });
      cardIds.set(customer.id, (bound.body as { id: string }).id);
    }
    // Money to move from the first run on. Without it a transfer or an exchange finds funds only once
    // a top-up (two phases with the bank, slower than a transfer) has landed, and on a busy machine
    // too few do for the counts below. Transfers still run into empty accounts as balances move.
    for (const customer of customers) {
      for (const currency of walletCurrencies) await fundCustomer(runtime.deps.pool, customer.id, currency, 20_000);
    }
    let runs = 0;
    let topUpsSucceeded = 0;
    let transfersSucceeded = 0;
    let batchedTransfersSucceeded = 0;
    let batchedTopUpsSucceeded = 0;
    const topUpBatches = createTopUpBatchers(runtime.deps);
    const batcher = createTransferBatcher({ db: runtime.deps.db, risk: runtime.deps.config.risk, logger: runtime.deps.logger });
    let exchangesSucceeded = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(operation(customers.length), { minLength: 10, maxLength: 60 }), async (operations) => {
        runs += 1;
        const before = await snapshot(customers.map((customer) => customer.id));
        // What each successful operation changed, per customer and currency.
        const deltas: Array<{ customer: string; currency: CurrencyCode; amount: number }> = [];
        // allSettled: a failing operation must not leave others running into the next run.
        const settled = await Promise.allSettled(
          operations.map(async (op) => {
            try {
              if (op.kind === 'top-up') {
                const customer = customers[op.who];
                if (!customer) return;
                const request = {
                  customerId: customer.id,
                  cardId: cardIds.get(customer.id) ?? '',
                  amount: op.amount,
                  currency: op.currency,
                };
                const status = op.isBatched
                  ? (
                      await topUpOnce(
                        runtime.deps,
                        { ...request, claim: { customerId: customer.id, key: newIdempotencyKey(), hash: 'property' }, locale: 'en' },
                        topUpBatches,
                      )
                    ).status
                  : (await createTopUp(runtime.deps, { ...request, idempotencyKey: newIdempotencyKey() })).topUp.status === 'succeeded'
                    ? 201
                    : 402;
                if (status === 201) {
                  if (op.isBatched) batchedTopUpsSucceeded += 1;
                  topUpsSucceeded += 1;
                  deltas.push({ customer: customer.id, currency: op.currency, amount: op.amount });
                }
              } else if (op.kind === 'transfer') {
                const sender = customers[op.from];
                const recipient = customers[op.to];
                if (!sender || !recipient) return;
                if (op.isBatched) {
                  const answer = await batcher.send({
                    claim: { customerId: sender.id, key: newIdempotencyKey(), hash: 'property' },
                    recipient: { email: recipient.email },
                    amount: op.amount,
                    currency: op.currency,
                    at: new Date(),
                    renderError: (error) => ({ status: error.status, body: { code: error.code } }),
                  });
                  if (answer.status !== 201) return;
                  batchedTransfersSucceeded += 1;
                } else {
                  await withTransaction(runtime.deps.pool, (tx) =>
                    sendTransfer(tx, {
                      senderId: sender.id,
                      recipient: { email: recipient.email },
                      amount: op.amount,
                      currency: op.currency,
                      at: new Date(),
                      risk: runtime.deps.config.risk,
                    }),
                  );
                }
                transfersSucceeded += 1;
                deltas.push({ customer: sender.id, currency: op.currency, amount: -op.amount });
                deltas.push({ customer: recipient.id, currency: op.currency, amount: op.amount });
              } else {
                const customer = customers[op.who];
                if (!customer) return;
                const quote = await createFxQuote(runtime.deps, {
                  customerId: customer.id,
                  from: op.from,
                  to: op.to,
                  amount: op.amount,
                  at: new Date(),
                });
                await withTransaction(runtime.deps.pool, (tx) =>
                  executeFxQuote(tx, { customerId: customer.id, quoteId: quote.id, at: new Date() }),
                );
                exchangesSucceeded += 1;
                deltas.push({ customer: customer.id, currency: op.from, amount: -quote.sourceAmount.amount });
                deltas.push({ customer: customer.id, currency: op.to, amount: quote.amountReceived.amount });
              }
            } catch (error) {
              // Refusals (insufficient funds, same currency, too small to exchange, self-transfer) move nothing.
              if (!(error instanceof AppError) || error.status >= 500) throw error;
            }
          }),
        );
        const unexpected = settled.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
        expect(unexpected).toEqual([]);
        const after = await snapshot(customers.map((customer) => customer.id));
        for (const [key, amount] of after) {
          expect(amount, `${key} is never negative`).toBeGreaterThanOrEqual(0);
        }
        const expected = new Map(before);
        for (const delta of deltas) {
          const key = `${delta.customer}:${delta.currency}`;
          expected.set(key, (expected.get(key) ?? 0) + delta.amount);
        }
        for (const key of new Set([...expected.keys(), ...after.keys()])) {
          expect(after.get(key) ?? 0, `${key} equals its starting balance plus what succeeded`).toBe(expected.get(key) ?? 0);
        }
        const report = await verifyLedger(runtime.deps.db);
        expect(report.problems).toEqual([]);
      }),
      { numRuns: 12 },
    );
    expect(runs).toBe(12);
    // The property means something only if money really moved in every way.
    expect(topUpsSucceeded).toBeGreaterThan(10);
    expect(transfersSucceeded).toBeGreaterThan(10);
    expect(batchedTransfersSucceeded).toBeGreaterThan(2);
    expect(batchedTopUpsSucceeded).toBeGreaterThan(5);
    expect(exchangesSucceeded).toBeGreaterThan(5);
  }, 180_000);
});

async function snapshot(customerIds: string[]): Promise<Map<string, number>> {
  const balances = new Map<string, number>();
  for (const id of customerIds) {
    for (const row of await listCustomerAccounts(runtime.deps.db, id)) balances.set(`${id}:${row.currency}`, row.balance);
  }
  return balances;
}
