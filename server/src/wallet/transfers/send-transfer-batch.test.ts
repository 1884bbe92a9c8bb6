import { randomUUID } from 'node:crypto';
import type { CurrencyCode } from '@okpay/contracts';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, errorBody, withTransaction } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { approveIdentities, fundCustomer, newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { freezeCustomer } from '../compliance/freeze-customer.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { type BatchedTransfer, sendTransferBatch, type TransferAnswer } from './send-transfer-batch.js';
import { createTransferBatcher } from './transfer-batcher.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ env: { RISK_UNVERIFIED_INFLOW_LIMIT_CNY: '1000' } });
});
afterAll(() => runtime?.close());

type Customer = Awaited<ReturnType<typeof signedInCustomer>>;

function transfer(
  sender: Customer | { id: string },
  recipient: { email?: string; phone?: string },
  amount: number,
  options: { key?: string; currency?: CurrencyCode; note?: string } = {},
): BatchedTransfer {
  const currency = options.currency ?? 'CNY';
  return {
    claim: {
      customerId: sender.id,
      key: options.key ?? newIdempotencyKey(),
      hash: `POST /api/wallet/transfers ${JSON.stringify({ recipient, amount, currency, note: options.note })}`,
    },
    recipient,
    amount,
    currency,
    note: options.note,
    at: new Date(),
    renderError: (error) => ({ status: error.status, body: errorBody(error, 'en') }),
  };
}

const send = (transfers: BatchedTransfer[]) => sendTransferBatch({ db: runtime.deps.db, risk: runtime.deps.config.risk }, transfers);

async function balance(customerId: string, currency: CurrencyCode = 'CNY'): Promise<number> {
  const result = await runtime.deps.pool.query<{ balance: string }>(
    'SELECT balance FROM ledger_accounts WHERE customer_id = $1 AND currency = $2',
    [customerId, currency],
  );
  return Number(result.rows[0]?.balance ?? 0);
}

const statusOf = (answer: TransferAnswer | undefined) => (answer && 'response' in answer ? answer.response.status : answer?.error.code);
const codeOf = (answer: TransferAnswer | undefined) =>
  answer && 'response' in answer ? (answer.response.body as { error?: { code: string } }).error?.code : answer?.error.code;

/** The test database, counting the transactions opened on it (a client taken from the pool). */
function countingTransactions() {
  const pool = runtime.deps.pool;
  let transactions = 0;
  const counted = new Proxy(pool, {
    get(target, property) {
      if (property === 'connect') {
        return () => {
          transactions += 1;
          return target.connect();
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: drizzle(counted), transactions: () => transactions };
}

async function transfersSentBy(customerId: string): Promise<number> {
  const result = await runtime.deps.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM transfers WHERE sender_id = $1', [
    customerId,
  ]);
  return result.rows[0]?.n ?? 0;
}

describe('a batch of transfers in one transaction', () => {
  it('refuses an overdraft, a frozen sender, a frozen recipient, an unknown recipient and a transfer to oneself, and only those', async () => {
    const [alice, bob, carol, frozen, dave] = await Promise.all(Array.from({ length: 5 }, () => signedInCustomer(runtime)));
    if (!alice || !bob || !carol || !frozen || !dave) throw new Error('customers missing');
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 10_00);
    await fundCustomer(runtime.deps.pool, frozen.id, 'CNY', 10_00);
    await withTransaction(runtime.deps.pool, (tx) =>
      freezeCustomer(tx, { customerId: frozen.id, reason: 'abnormal_activity', setBy: { type: 'system', rule: 'test' }, at: new Date() }),
    );
    const answers = await send([
      transfer(alice, { email: bob.email }, 3_00),
      transfer(alice, { email: carol.email }, 8_00),
      transfer(frozen, { email: bob.email }, 1_00),
      transfer(alice, { email: frozen.email.toUpperCase() }, 1_00),
      transfer(alice, { email: 'nobody-at-all@example.com' }, 1_00),
      transfer(alice, { email: alice.email }, 1_00),
      transfer(alice, { email: dave.email }, 7_00),
    ]);
    expect(answers.map(codeOf)).toEqual([
      undefined,
      'insufficient_funds',
      'account_frozen',
      'recipient_cannot_receive',
      'recipient_not_found',
      'transfer_to_self',
      undefined,
    ]);
    expect(answers.map(statusOf)).toEqual([201, 422, 423, 422, 404, 422, 201]);
    expect(await balance(alice.id)).toBe(0);
    expect(await balance(bob.id)).toBe(3_00);
    expect(await balance(dave.id)).toBe(7_00);
    expect(await balance(carol.id)).toBe(0);
    expect(await balance(frozen.id)).toBe(10_00);
    expect((await verifyLedger(runtime.deps.db)).problems).toEqual([]);
  });

  it('lets a transfer spend what an earlier one in the same batch brought in, and refuses what the balance no longer covers', async () => {
    const [alice, bob, carol] = await Promise.all(Array.from({ length: 3 }, () => signedInCustomer(runtime)));
    if (!alice || !bob || !carol) throw new Error('customers missing');
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 5_00);
    const answers = await send([
      transfer(bob, { email: carol.email }, 4_00),
      transfer(alice, { email: bob.email }, 5_00),
      transfer(bob, { email: carol.email }, 4_00),
      transfer(bob, { email: carol.email }, 2_00),
    ]);
    expect(answers.map(statusOf)).toEqual([422, 201, 201, 422]);
    expect(await balance(bob.id)).toBe(1_00);
    expect(await balance(carol.id)).toBe(4_00);
    // Each account's postings form one chain of versions and running balances.
    const chain = await runtime.deps.pool.query<{ amount: string; balance_after: string; account_version: string }>(
      `SELECT p.amount, p.balance_after, p.account_version FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
       WHERE a.customer_id = $1 ORDER BY p.account_version`,
      [bob.id],
    );
    expect(chain.rows.map((row) => [Number(row.amount), Number(row.balance_after), Number(row.account_version)])).toEqual([
      [5_00, 5_00, 1],
      [-4_00, 1_00, 2],
    ]);
    expect((await verifyLedger(runtime.deps.db)).problems).toEqual([]);
  });

  it('finds recipients by phone and opens their account in a new currency', async () => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime, { phone: '13700002222' });
    await fundCustomer(runtime.deps.pool, alice.id, 'USD', 9_00);
    const [answer] = await send([transfer(alice, { phone: '13700002222' }, 2_00, { currency: 'USD', note: 'coffee' })]);
    expect(answer && 'response' in answer && answer.response.body).toMatchObject({
      status: 'succeeded',
      amount: { amount: 2_00, currency: 'USD' },
      recipient: { maskedContact: '137****2222' },
      note: 'coffee',
    });
    expect(await balance(bob.id, 'USD')).toBe(2_00);
    const history = await bob.client.get('/api/wallet/transactions');
    expect((history.body as { transactions: unknown[] }).transactions[0]).toMatchObject({
      type: 'transfer_in',
      amount: { amount: 2_00, currency: 'USD' },
      note: 'coffee',
    });
  });

  it('keeps under the key only the contact the sender named the recipient by, and replays the same answer from it', async () => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime, { phone: '13700003333' });
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 9_00);
    const byPhone = transfer(alice, { phone: '13700003333' }, 1_00);
    const byEmail = transfer(alice, { email: bob.email }, 2_00);
    const first = await send([byPhone, byEmail]);
    const stored = await runtime.deps.pool.query<{ key: string; response_body: { transfer: Record<string, unknown> } }>(
      'SELECT key, response_body FROM idempotency_keys WHERE customer_id = $1 ORDER BY completed_at, key',
      [alice.id],
    );
    const factsOf = (key: string) => stored.rows.find((row) => row.key === key)?.response_body.transfer;
    expect(factsOf(byPhone.claim.key)).toMatchObject({ recipientPhone: '13700003333', recipientEmail: null });
    expect(factsOf(byEmail.claim.key)).toMatchObject({ recipientEmail: bob.email, recipientPhone: null });
    const again = await send([
      { ...byPhone, at: new Date() },
      { ...byEmail, at: new Date() },
    ]);
    expect(again.map((answer) => answer && 'response' in answer && answer.response)).toEqual(
      first.map((answer) => answer && 'response' in answer && { ...answer.response, isReplay: true }),
    );
    expect(await balance(bob.id)).toBe(3_00);
  });

  it('runs a key used twice in one batch once: the repeat hears the same answer, a different request with the key is refused', async () => {
    const [alice, bob] = await Promise.all(Array.from({ length: 2 }, () => signedInCustomer(runtime)));
    if (!alice || !bob) throw new Error('customers missing');
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 10_00);
    const key = newIdempotencyKey();
    const answers = await send([
      transfer(alice, { email: bob.email }, 2_00, { key }),
      transfer(alice, { email: bob.email }, 2_00, { key }),
      transfer(alice, { email: bob.email }, 3_00, { key }),
    ]);
    const [first, repeat, different] = answers;
    expect(first && 'response' in first && first.response).toMatchObject({ status: 201, isReplay: false });
    expect(repeat && 'response' in repeat && repeat.response).toEqual({
      ...(first && 'response' in first ? first.response : {}),
      isReplay: true,
    });
    expect(codeOf(different)).toBe('idempotency_key_reused');
    expect(await balance(bob.id)).toBe(2_00);
    expect(await transfersSentBy(alice.id)).toBe(1);
  });

  it('answers a key from an earlier batch with its stored answer, refusals included, and moves nothing again', async () => {
    const [alice, bob] = await Promise.all(Array.from({ length: 2 }, () => signedInCustomer(runtime)));
    if (!alice || !bob) throw new Error('customers missing');
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 10_00);
    const paid = transfer(alice, { email: bob.email }, 4_00);
    const refused = transfer(alice, { email: bob.email }, 40_00);
    const tooLarge = transfer(alice, { email: bob.email }, 100_000_000);
    const first = await send([paid, refused, tooLarge]);
    expect(first.map(statusOf)).toEqual([201, 422, 422]);
    expect(codeOf(first[2])).toBe('amount_too_large');
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 100_00);
    const again = await send([
      { ...refused, at: new Date() },
      { ...paid, at: new Date() },
      { ...tooLarge, at: new Date() },
    ]);
    expect(again.map((answer) => answer && 'response' in answer && answer.response)).toEqual([
      { ...(first[1] && 'response' in first[1] ? first[1].response : {}), isReplay: true },
      { ...(first[0] && 'response' in first[0] ? first[0].response : {}), isReplay: true },
      { ...(first[2] && 'response' in first[2] ? first[2].response : {}), isReplay: true },
    ]);
    const reused = await send([{ ...paid, claim: { ...paid.claim, hash: 'another request' } }]);
    expect(codeOf(reused[0])).toBe('idempotency_key_reused');
    expect(await balance(bob.id)).toBe(4_00);
    expect(await transfersSentBy(alice.id)).toBe(1);
  });

  it('freezes an unverified recipient whose money received passes the limit, in the same commit', async () => {
    const [alice, bob] = await Promise.all(Array.from({ length: 2 }, () => signedInCustomer(runtime)));
    if (!alice || !bob) throw new Error('customers missing');
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 2_000_00);
    const answers = await send([transfer(alice, { email: bob.email }, 600_00), transfer(alice, { email: bob.email }, 600_00)]);
    expect(answers.map(statusOf)).toEqual([201, 201]);
    const freezes = await runtime.deps.pool.query('SELECT reason FROM customer_freezes WHERE customer_id = $1 AND lifted_at IS NULL', [
      bob.id,
    ]);
    expect(freezes.rows).toEqual([{ reason: 'identity_unverified' }]);
    const [after] = await send([transfer(alice, { email: bob.email }, 1_00)]);
    expect(codeOf(after)).toBe('recipient_cannot_receive');
  });
});

describe('a batch paying only verified recipients', () => {
  it('is one statement, its own transaction: no transaction is opened around it', async () => {
    const [alice, bob, carol] = await Promise.all(Array.from({ length: 3 }, () => signedInCustomer(runtime)));
    if (!alice || !bob || !carol) throw new Error('customers missing');
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 10_00);
    await approveIdentities(runtime.deps.pool, [bob.id]);
    const database = countingTransactions();
    const answers = await sendTransferBatch(
      { db: database.db, risk: runtime.deps.config.risk },
      [transfer(alice, { email: bob.email }, 3_00), transfer(alice, { email: carol.email }, 20_00)],
      { verifiedOnly: true },
    );
    expect(answers.map(statusOf)).toEqual([201, 422]);
    expect(answers[0] && 'response' in answers[0] && answers[0].isRecipientVerified).toBe(true);
    expect(database.transactions()).toBe(0);
    expect(await balance(bob.id)).toBe(3_00);
    expect((await verifyLedger(runtime.deps.db)).problems).toEqual([]);
  });

  it('is sent again in a transaction when a recipient is not verified after all, and the unverified-inflow rule still freezes', async () => {
    const [alice, bob, carol] = await Promise.all(Array.from({ length: 3 }, () => signedInCustomer(runtime)));
    if (!alice || !bob || !carol) throw new Error('customers missing');
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 2_000_00);
    await approveIdentities(runtime.deps.pool, [carol.id]);
    const database = countingTransactions();
    const answers = await sendTransferBatch(
      { db: database.db, risk: runtime.deps.config.risk },
      [
        transfer(alice, { email: carol.email }, 1_00),
        transfer(alice, { email: bob.email }, 600_00),
        transfer(alice, { email: bob.email }, 600_00),
      ],
      { verifiedOnly: true },
    );
    expect(answers.map(statusOf)).toEqual([201, 201, 201]);
    expect(database.transactions()).toBe(1);
    // Nothing of the first try stayed: each transfer was made once.
    expect(await transfersSentBy(alice.id)).toBe(3);
    expect(await balance(carol.id)).toBe(1_00);
    const freezes = await runtime.deps.pool.query('SELECT reason FROM customer_freezes WHERE customer_id = $1 AND lifted_at IS NULL', [
      bob.id,
    ]);
    expect(freezes.rows).toEqual([{ reason: 'identity_unverified' }]);
  });

  it('is what the group commit sends once it has seen the recipient verified', async () => {
    const [alice, bob] = await Promise.all(Array.from({ length: 2 }, () => signedInCustomer(runtime)));
    if (!alice || !bob) throw new Error('customers missing');
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 10_00);
    await approveIdentities(runtime.deps.pool, [bob.id]);
    const database = countingTransactions();
    const batcher = createTransferBatcher({ db: database.db, risk: runtime.deps.config.risk, logger: createLogger('silent') });
    expect((await batcher.send(transfer(alice, { email: bob.email }, 1_00))).status).toBe(201);
    expect(database.transactions()).toBe(1);
    // Named in another case, the same recipient.
    expect((await batcher.send(transfer(alice, { email: bob.email.toUpperCase() }, 1_00))).status).toBe(201);
    expect(database.transactions()).toBe(1);
    expect(await balance(bob.id)).toBe(2_00);
  });

  it('says a stored refusal again in the language of the retry', async () => {
    const [alice, bob] = await Promise.all(Array.from({ length: 2 }, () => signedInCustomer(runtime)));
    if (!alice || !bob) throw new Error('customers missing');
    const first = transfer(alice, { email: bob.email }, 5_00);
    const [chinese] = await send([{ ...first, renderError: (error) => ({ status: error.status, body: errorBody(error, 'zh-CN') }) }]);
    const [english] = await send([{ ...first, at: new Date() }]);
    const messageOf = (answer: TransferAnswer | undefined) =>
      answer && 'response' in answer ? (answer.response.body as { error: { message: string } }).error.message : undefined;
    expect(codeOf(chinese)).toBe('insufficient_funds');
    expect(codeOf(english)).toBe('insufficient_funds');
    expect(english && 'response' in english && english.response).toMatchObject({ status: 422, isReplay: true });
    expect(messageOf(english)).not.toBe(messageOf(chinese));
    expect(messageOf(english)).toMatch(/[a-z]/);
  });
});

describe('the group commit in front of the batches', () => {
  it('answers many concurrent transfers from few batches, each caller with its own answer, and keeps the ledger balanced', async () => {
    const customers = await Promise.all(Array.from({ length: 6 }, () => signedInCustomer(runtime)));
    for (const customer of customers) await fundCustomer(runtime.deps.pool, customer.id, 'CNY', 10_00);
    const batcher = createTransferBatcher({ db: runtime.deps.db, risk: runtime.deps.config.risk, logger: createLogger('silent') });
    // 120 transfers of 1.00 among six customers holding 10.00 each: some must be refused.
    const requests = Array.from({ length: 120 }, (_, index) => {
      const from = customers[index % 6];
      const to = customers[(index * 5 + 1) % 6];
      if (!from || !to) throw new Error('customers missing');
      return transfer(from, { email: to.email }, 1_00 + (index % 3) * 2_00);
    });
    const settled = await Promise.allSettled(requests.map((request) => batcher.send(request)));
    const statuses = settled.map((result) => (result.status === 'fulfilled' ? result.value.status : String(result.reason)));
    expect(statuses.filter((status) => status !== 201 && status !== 422)).toEqual([]);
    const succeeded = requests.filter((_, index) => statuses[index] === 201);
    let total = 0;
    for (const customer of customers) total += await balance(customer.id);
    expect(total).toBe(60_00);
    const moved = await runtime.deps.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM transfers WHERE sender_id = ANY($1)', [
      customers.map((customer) => customer.id),
    ]);
    expect(moved.rows[0]?.n).toBe(succeeded.length);
    expect(succeeded.length).toBeGreaterThan(10);
    expect((await verifyLedger(runtime.deps.db)).problems).toEqual([]);
  });

  it('sends the transfers of a batch the database refuses as a whole one at a time, so only the bad one fails', async () => {
    const [alice, bob] = await Promise.all(Array.from({ length: 2 }, () => signedInCustomer(runtime)));
    if (!alice || !bob) throw new Error('customers missing');
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 10_00);
    const batcher = createTransferBatcher({ db: runtime.deps.db, risk: runtime.deps.config.risk, logger: createLogger('silent') });
    // A sender who does not exist fails the key's foreign key, and with it the whole statement.
    const ghost = { id: randomUUID() };
    const settled = await Promise.allSettled([
      batcher.send(transfer(alice, { email: bob.email }, 1_00)),
      batcher.send(transfer(ghost, { email: bob.email }, 1_00)),
      batcher.send(transfer(alice, { email: bob.email }, 2_00)),
    ]);
    expect(settled.map((result) => (result.status === 'fulfilled' ? result.value.status : 'failed'))).toEqual([201, 'failed', 201]);
    expect(await balance(bob.id)).toBe(3_00);
  });

  it('waits for a duplicate of a request still running elsewhere, then answers from it', async () => {
    const [alice, bob] = await Promise.all(Array.from({ length: 2 }, () => signedInCustomer(runtime)));
    if (!alice || !bob) throw new Error('customers missing');
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 10_00);
    const batcher = createTransferBatcher({ db: runtime.deps.db, risk: runtime.deps.config.risk, logger: createLogger('silent') });
    const request = transfer(alice, { email: bob.email }, 1_00);
    // Another node's batch holds the key, not yet committed.
    const other = new pg.Client({ connectionString: runtime.databaseUrl });
    await other.connect();
    await other.query('BEGIN');
    await other.query('INSERT INTO idempotency_keys (customer_id, key, request_hash) VALUES ($1, $2, $3)', [
      alice.id,
      request.claim.key,
      request.claim.hash,
    ]);
    const waiting = batcher.send(request);
    const unrelated = batcher.send(transfer(alice, { email: bob.email }, 2_00));
    await expect
      .poll(async () => {
        const found = await runtime.deps.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%okpay_transfer_batch%'",
        );
        return found.rows[0]?.n;
      })
      .toBe(1);
    await other.query(
      `UPDATE idempotency_keys SET state = 'completed', response_status = 201, response_body = '{"from":"the other node"}' WHERE customer_id = $1 AND key = $2`,
      [alice.id, request.claim.key],
    );
    await other.query('COMMIT');
    await other.end();
    expect(await waiting).toEqual({ status: 201, body: { from: 'the other node' }, isReplay: true });
    expect((await unrelated).status).toBe(201);
    expect(await balance(bob.id)).toBe(2_00);
  });
});
