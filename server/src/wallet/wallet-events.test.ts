import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedEvent } from '../platform/index.js';
import type { Runtime } from '../runtime.js';
import { startTestRuntime } from '../test/runtime.js';
import { fundCustomer, newIdempotencyKey, signedInCustomer } from '../test/wallet.js';

let runtime: Runtime;
const recorded: PublishedEvent[] = [];
const walletTypes = ['wallet.top-up.succeeded', 'wallet.top-up.failed', 'wallet.transfer.sent', 'wallet.exchange.executed'];

beforeAll(async () => {
  runtime = await startTestRuntime();
  // What reports will subscribe to: every movement of money, as it commits.
  runtime.events.subscribe('test.wallet-report', walletTypes, async (event) => {
    recorded.push(event);
  });
});
afterAll(() => runtime?.close());

const expYear = new Date().getFullYear() + 3;

describe('wallet events in the outbox', () => {
  it('tell a subscriber about every top-up, transfer and exchange, with the amounts', async () => {
    const customer = await signedInCustomer(runtime);
    const friend = await signedInCustomer(runtime);
    const cards: string[] = [];
    for (const number of ['4242424242424242', '4000000000009995']) {
      const bound = await customer.client.post('/api/wallet/cards', { number, expMonth: 12, expYear, cvc: '123', holderName: 'WANG' });
      cards.push((bound.body as { id: string }).id);
    }
    for (const cardId of cards) {
      await customer.client.post(
        '/api/wallet/top-ups',
        { cardId, amount: 100_00, currency: 'CNY' },
        { 'idempotency-key': newIdempotencyKey() },
      );
    }
    await fundCustomer(runtime.deps.pool, customer.id, 'CNY', 500_00);
    const sent = await customer.client.post(
      '/api/wallet/transfers',
      { recipient: friend.email, amount: 30_00, currency: 'CNY' },
      { 'idempotency-key': newIdempotencyKey() },
    );
    expect(sent.status).toBe(201);
    const quote = await customer.client.post('/api/wallet/fx/quotes', { from: 'CNY', to: 'USD', amount: 70_00 });
    const quoteId = (quote.body as { id: string }).id;
    expect(
      (await customer.client.post(`/api/wallet/fx/quotes/${quoteId}/execute`, undefined, { 'idempotency-key': newIdempotencyKey() }))
        .status,
    ).toBe(200);

    const mine = () => recorded.filter((event) => JSON.stringify(event.payload).includes(customer.id));
    await expect.poll(() => mine().length, { timeout: 10_000 }).toBe(4);
    expect(mine().map((event) => [event.type, event.payload])).toEqual([
      ['wallet.top-up.succeeded', expect.objectContaining({ customerId: customer.id })],
      ['wallet.top-up.failed', expect.objectContaining({ customerId: customer.id, code: 'insufficient_funds' })],
      [
        'wallet.transfer.sent',
        expect.objectContaining({
          senderId: customer.id,
          recipientId: friend.id,
          amount: 30_00,
          currency: 'CNY',
          transferId: expect.any(String),
        }),
      ],
      [
        'wallet.exchange.executed',
        expect.objectContaining({ customerId: customer.id, sourceAmount: 70_00, sourceCurrency: 'CNY', quoteId }),
      ],
    ]);
  });
});
