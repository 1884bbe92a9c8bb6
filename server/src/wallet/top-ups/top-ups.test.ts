import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { type BankControls, steerableSandbox } from '../../test/acquirer.js';
import { startTestRuntime } from '../../test/runtime.js';
import { newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { freezeCustomer } from '../compliance/freeze-customer.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { reconcileTopUps } from './reconcile-top-ups.js';

// The sandbox bank as the app uses it, handed in with a hook in front of every charge: tests use it
// to hold a charge in flight or to change the world while the bank is being asked.
const bank: BankControls = {};

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ acquirer: steerableSandbox(bank) });
});
afterAll(() => runtime?.close());
afterEach(() => {
  bank.beforeCharge = undefined;
});

type Customer = Awaited<ReturnType<typeof signedInCustomer>>;
type TopUpBody = {
  id: string;
  status: string;
  amount: { amount: number; currency: string };
  card: { id: string; brand: string; last4: string };
  failure: { code: string; message: string; nextStep: string } | null;
  refund: { status: string; refundedAt: string | null } | null;
  createdAt: string;
  completedAt: string | null;
};

const expYear = new Date().getFullYear() + 3;

async function bindCard(customer: Customer, number = '4242424242424242'): Promise<string> {
  const response = await customer.client.post('/api/wallet/cards', { number, expMonth: 12, expYear, cvc: '123', holderName: 'LI SI' });
  expect(response.status).toBe(201);
  return (response.body as { id: string }).id;
}

function topUp(customer: Customer, body: Record<string, unknown>, options: { key?: string; locale?: string } = {}) {
  return customer.client.post('/api/wallet/top-ups', body, {
    'idempotency-key': options.key ?? newIdempotencyKey(),
    'accept-language': options.locale ?? 'zh-CN',
  });
}

async function balanceOf(customer: Customer, currency = 'CNY'): Promise<number> {
  const response = await customer.client.get('/api/wallet/balances');
  const balances = (response.body as { balances: Array<{ currency: string; available: { amount: number } }> }).balances;
  return balances.find((balance) => balance.currency === currency)?.available.amount ?? 0;
}

async function bankCharges(topUpId: string) {
  const result = await runtime.deps.pool.query('SELECT outcome, amount FROM sandbox_acquirer_charges WHERE idempotency_key = $1', [
    topUpId,
  ]);
  return result.rows as Array<{ outcome: string; amount: string }>;
}

async function ledgerEntries(topUpId: string): Promise<number> {
  const result = await runtime.deps.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM journal_entries WHERE reference = $1', [
    `top_up:${topUpId}`,
  ]);
  return result.rows[0]?.n ?? 0;
}

describe('top-ups from a bound card', () => {
  it('credits a successful top-up once, with the history row and a balanced ledger', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer);
    const response = await topUp(customer, { cardId, amount: 100_00, currency: 'CNY' });
    expect(response.status).toBe(201);
    const body = response.body as TopUpBody;
    expect(body).toEqual({
      id: expect.any(String),
      status: 'succeeded',
      amount: { amount: 100_00, currency: 'CNY' },
      card: { id: cardId, brand: 'visa', last4: '4242' },
      failure: null,
      refund: null,
      createdAt: expect.any(String),
      completedAt: expect.any(String),
    });
    expect(await balanceOf(customer)).toBe(100_00);
    expect(await ledgerEntries(body.id)).toBe(1);
    const history = (await customer.client.get('/api/wallet/transactions')).body as { transactions: Array<Record<string, unknown>> };
    expect(history.transactions[0]).toMatchObject({
      type: 'top_up',
      status: 'succeeded',
      amount: { amount: 100_00, currency: 'CNY' },
      cardLast4: '4242',
      topUpId: body.id,
      failure: null,
    });
    expect((await customer.client.get(`/api/wallet/top-ups/${body.id}`)).body).toEqual(body);
    const events = await runtime.deps.pool.query(
      "SELECT payload FROM domain_events WHERE type = 'wallet.top-up.succeeded' AND subject_id = $1",
      [body.id],
    );
    expect(events.rows).toEqual([{ payload: { topUpId: body.id, customerId: customer.id, amount: 100_00, currency: 'CNY' } }]);
  });

  it('tops up in yen from a UnionPay card', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer, '6200000000000005');
    const response = await topUp(customer, { cardId, amount: 5_000, currency: 'JPY' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'succeeded', card: { brand: 'unionpay', last4: '0005' } });
    expect(await balanceOf(customer, 'JPY')).toBe(5_000);
  });

  it.each([
    {
      card: '4000000000009995',
      realCode: 'insufficient_funds',
      publicCode: 'insufficient_funds',
      nextStep: 'use_another_card',
      zh: '银行卡余额不足',
      en: 'Your card has insufficient funds',
    },
    {
      card: '4000000000000069',
      realCode: 'expired_card',
      publicCode: 'expired_card',
      nextStep: 'use_another_card',
      zh: '这张卡已过期',
      en: 'This card has expired',
    },
    {
      card: '4000000000000127',
      realCode: 'incorrect_cvc',
      publicCode: 'incorrect_cvc',
      nextStep: 'check_card_details',
      zh: '安全码（CVV）不正确',
      en: 'The card security code (CVC) is incorrect',
    },
    {
      card: '4000000000000119',
      realCode: 'processing_error',
      publicCode: 'processing_error',
      nextStep: 'retry_later',
      zh: '资金未被扣除',
      en: 'nothing was charged',
    },
    {
      card: '4000000000009987',
      realCode: 'lost_card',
      publicCode: 'card_declined',
      nextStep: 'use_another_card',
      zh: '发卡银行拒绝了这笔充值',
      en: 'Your bank declined this top-up',
    },
    {
      card: '4000000000009979',
      realCode: 'stolen_card',
      publicCode: 'card_declined',
      nextStep: 'use_another_card',
      zh: '发卡银行拒绝了这笔充值',
      en: 'Your bank declined this top-up',
    },
    {
      card: '4000000000000341',
      realCode: 'card_declined',
      publicCode: 'card_declined',
      nextStep: 'use_another_card',
      zh: '发卡银行拒绝了这笔充值',
      en: 'Your bank declined this top-up',
    },
  ])('answers card $card with 402 $publicCode (agents see $realCode) and credits nothing', async (testCase) => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer, testCase.card);
    const response = await topUp(customer, { cardId, amount: 20_00, currency: 'CNY' }, { locale: 'en' });
    expect(response.status).toBe(402);
    const body = response.body as TopUpBody;
    expect(body).toMatchObject({
      status: 'failed',
      amount: { amount: 20_00, currency: 'CNY' },
      failure: { code: testCase.publicCode, nextStep: testCase.nextStep, message: expect.stringContaining(testCase.en) },
      completedAt: expect.any(String),
    });
    // The same top-up read in Chinese.
    const inChinese = (await customer.client.get(`/api/wallet/top-ups/${body.id}`, { 'accept-language': 'zh-CN' })).body as TopUpBody;
    expect(inChinese.failure).toMatchObject({ code: testCase.publicCode, message: expect.stringContaining(testCase.zh) });
    const history = (await customer.client.get('/api/wallet/transactions', { 'accept-language': 'zh-CN' })).body as {
      transactions: Array<{ status: string; failure: { code: string; message: string } | null }>;
    };
    expect(history.transactions[0]).toMatchObject({ status: 'failed', failure: { code: testCase.publicCode } });
    expect(history.transactions[0]?.failure?.message).toContain(testCase.zh);
    // Agents keep the real reason; the customer never sees it.
    const stored = await runtime.deps.pool.query(
      `SELECT t.failure_code, t.failure_code_public, h.failure_code AS history_code
       FROM top_ups t JOIN wallet_transactions h ON h.top_up_id = t.id WHERE t.id = $1`,
      [body.id],
    );
    expect(stored.rows[0]).toEqual({
      failure_code: testCase.realCode,
      failure_code_public: testCase.publicCode,
      history_code: testCase.realCode,
    });
    if (testCase.realCode !== testCase.publicCode) expect(JSON.stringify(response.body)).not.toContain(testCase.realCode);
    const events = await runtime.deps.pool.query(
      "SELECT payload FROM domain_events WHERE type = 'wallet.top-up.failed' AND subject_id = $1",
      [body.id],
    );
    expect(events.rows).toEqual([
      { payload: { topUpId: body.id, customerId: customer.id, code: testCase.realCode, publicCode: testCase.publicCode } },
    ]);
    expect(await balanceOf(customer)).toBe(0);
    expect(await ledgerEntries(body.id)).toBe(0);
    expect((await bankCharges(body.id)).map((charge) => charge.outcome)).toEqual([testCase.realCode]);
  });

  it.each([
    ['4000000000000408', 'the bank charged but its answer was lost', ['succeeded']],
    ['4000000000000416', 'the request never reached the bank', []],
  ])('leaves a top-up on card %s pending when %s, telling the customer to wait', async (card, _label, charges) => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer, card);
    const response = await topUp(customer, { cardId, amount: 30_00, currency: 'CNY' });
    expect(response.status).toBe(202);
    const body = response.body as TopUpBody;
    expect(body).toMatchObject({
      status: 'pending',
      completedAt: null,
      failure: { code: 'awaiting_bank', nextStep: 'wait', message: expect.stringContaining('银行暂未返回结果') },
    });
    const inEnglish = (await customer.client.get(`/api/wallet/top-ups/${body.id}`, { 'accept-language': 'en' })).body as TopUpBody;
    expect(inEnglish.failure?.message).toContain('The bank has not answered yet');
    const history = (await customer.client.get('/api/wallet/transactions')).body as { transactions: Array<Record<string, unknown>> };
    expect(history.transactions[0]).toMatchObject({ status: 'pending', failure: { code: 'awaiting_bank' } });
    const stored = await runtime.deps.pool.query('SELECT status, last_error FROM top_ups WHERE id = $1', [body.id]);
    expect(stored.rows[0]).toMatchObject({ status: 'pending', last_error: expect.stringMatching(/answer was lost|did not reach/) });
    expect(await balanceOf(customer)).toBe(0);
    expect((await bankCharges(body.id)).map((charge) => charge.outcome)).toEqual(charges);
  });
});

describe('refusals before the bank is called', () => {
  it('refuses a top-up on a frozen account with 423 and charges nothing', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer);
    await withTransaction(runtime.deps.pool, (tx) =>
      freezeCustomer(tx, {
        customerId: customer.id,
        reason: 'customer_request',
        setBy: { type: 'customer', customerId: customer.id },
        at: new Date(),
      }),
    );
    for (const [locale, text] of [
      ['zh-CN', '账户已被冻结'],
      ['en', 'Your account is frozen'],
    ] as const) {
      const response = await topUp(customer, { cardId, amount: 10_00, currency: 'CNY' }, { locale });
      expect(response.status).toBe(423);
      expect(response.body).toMatchObject({ error: { code: 'account_frozen', message: expect.stringContaining(text) } });
    }
    const attempts = await runtime.deps.pool.query(
      'SELECT (SELECT count(*)::int FROM top_ups WHERE customer_id = $1) AS top_ups, (SELECT count(*)::int FROM sandbox_acquirer_charges c JOIN cards k ON k.acquirer_token = c.token WHERE k.customer_id = $1) AS charges',
      [customer.id],
    );
    expect(attempts.rows[0]).toEqual({ top_ups: 0, charges: 0 });
  });

  it.each([
    ['an amount above the single-transaction limit', 'amount_too_large', 422],
    ["another customer's card", 'card_not_found', 404],
    ['a removed card', 'card_removed', 422],
    ['a card id that does not exist', 'card_not_found', 404],
    ['a card that has expired since it was bound', 'expired_card', 422],
  ])('refuses %s with %s and never reaches the bank', async (label, code, status) => {
    const customer = await signedInCustomer(runtime);
    const ownCard = await bindCard(customer);
    let cardId = ownCard;
    let amount = 10_00;
    if (label.startsWith('an amount')) amount = 5_000_001;
    if (label.startsWith('another')) cardId = await bindCard(await signedInCustomer(runtime));
    if (label.startsWith('a removed')) await customer.client.delete(`/api/wallet/cards/${ownCard}`);
    if (label.startsWith('a card id')) cardId = '00000000-0000-4000-8000-000000000000';
    if (label.startsWith('a card that')) await runtime.deps.pool.query('UPDATE cards SET exp_year = 2020 WHERE id = $1', [ownCard]);
    let reachedBank = false;
    bank.beforeCharge = async () => {
      reachedBank = true;
    };
    const response = await topUp(customer, { cardId, amount, currency: 'CNY' });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: { code, message: expect.any(String) } });
    expect(reachedBank).toBe(false);
  });

  it('forgets the key of a refused request, so the corrected request may use it', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer);
    const key = newIdempotencyKey();
    const refused = await topUp(customer, { cardId: '00000000-0000-4000-8000-000000000000', amount: 10_00, currency: 'CNY' }, { key });
    expect(refused.status).toBe(404);
    const corrected = await topUp(customer, { cardId, amount: 10_00, currency: 'CNY' }, { key });
    expect(corrected.status).toBe(201);
  });

  it('requires an Idempotency-Key', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer);
    const response = await customer.client.post('/api/wallet/top-ups', { cardId, amount: 1_00, currency: 'CNY' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'idempotency_key_missing' } });
  });

  it.each([
    ['a zero amount', { amount: 0 }],
    ['a negative amount', { amount: -5 }],
    ['a fractional amount', { amount: 10.5 }],
    ['an unknown currency', { currency: 'XXX' }],
    ['a malformed card id', { cardId: 'card-1' }],
    ['an unknown field', { note: 'hi' }],
  ])('answers %s with 400 validation_failed', async (_label, change) => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer);
    const response = await topUp(customer, { cardId, amount: 1_00, currency: 'CNY', ...change });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'validation_failed', message: expect.any(String) } });
  });

  it("answers 404 for another customer's top-up", async () => {
    const owner = await signedInCustomer(runtime);
    const cardId = await bindCard(owner);
    const created = (await topUp(owner, { cardId, amount: 1_00, currency: 'CNY' })).body as TopUpBody;
    const other = await signedInCustomer(runtime);
    const response = await other.client.get(`/api/wallet/top-ups/${created.id}`);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'top_up_not_found' } });
  });
});

describe('idempotency of top-ups', () => {
  it('replays the stored answer for the same key and body, and refuses the key with a different body', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer);
    const key = newIdempotencyKey();
    const first = await topUp(customer, { cardId, amount: 15_00, currency: 'CNY' }, { key });
    expect(first.status).toBe(201);
    const again = await topUp(customer, { cardId, amount: 15_00, currency: 'CNY' }, { key });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const different = await topUp(customer, { cardId, amount: 16_00, currency: 'CNY' }, { key });
    expect(different.status).toBe(422);
    expect(different.body).toMatchObject({ error: { code: 'idempotency_key_reused' } });
    expect(await balanceOf(customer)).toBe(15_00);
  });

  it('replays a decline as the same 402', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer, '4000000000009995');
    const key = newIdempotencyKey();
    const first = await topUp(customer, { cardId, amount: 15_00, currency: 'CNY' }, { key });
    const again = await topUp(customer, { cardId, amount: 15_00, currency: 'CNY' }, { key });
    expect([first.status, again.status]).toEqual([402, 402]);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 409 to a duplicate while the first request is still at the bank, then replays its answer', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer);
    const key = newIdempotencyKey();
    const body = { cardId, amount: 25_00, currency: 'CNY' };
    let letBankAnswer = () => {};
    const bankMayAnswer = new Promise<void>((resolve) => {
      letBankAnswer = resolve;
    });
    let chargeArrived = () => {};
    const atTheBank = new Promise<void>((resolve) => {
      chargeArrived = resolve;
    });
    bank.beforeCharge = async () => {
      chargeArrived();
      await bankMayAnswer;
    };
    const first = topUp(customer, body, { key, locale: 'en' });
    await atTheBank;
    const duplicate = await topUp(customer, body, { key, locale: 'en' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({
      error: { code: 'idempotency_key_in_progress', message: expect.stringContaining('still being processed') },
    });
    const differentBody = await topUp(customer, { ...body, amount: 1_00 }, { key });
    expect(differentBody.status).toBe(422);
    letBankAnswer();
    const answered = await first;
    expect(answered.status).toBe(201);
    const replay = await topUp(customer, body, { key });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(answered.body);
    expect(await balanceOf(customer)).toBe(25_00);
  });

  it('charges the card once when the same key is fired 20 times at once', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer);
    const key = newIdempotencyKey();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => topUp(customer, { cardId, amount: 9_00, currency: 'CNY' }, { key })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const created = responses.filter((response) => response.status === 201).map((response) => (response.body as TopUpBody).id);
    expect(new Set(created).size).toBe(1);
    expect(await balanceOf(customer)).toBe(9_00);
    const charges = await runtime.deps.pool.query(
      'SELECT count(*)::int AS n FROM sandbox_acquirer_charges c JOIN cards k ON k.acquirer_token = c.token WHERE k.customer_id = $1',
      [customer.id],
    );
    expect(charges.rows[0]?.n).toBe(1);
  });
});

describe('risk while topping up', () => {
  it('fails a charged top-up with account_frozen when the account froze while the bank was asked, and gives the money back to the card once', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer);
    bank.beforeCharge = async () => {
      await withTransaction(runtime.deps.pool, (tx) =>
        freezeCustomer(tx, {
          customerId: customer.id,
          reason: 'policy_violation',
          setBy: { type: 'system', rule: 'test' },
          at: new Date(),
        }),
      );
    };
    const response = await topUp(customer, { cardId, amount: 40_00, currency: 'CNY' }, { locale: 'en' });
    expect(response.status).toBe(402);
    const body = response.body as TopUpBody;
    expect(body).toMatchObject({
      status: 'failed',
      failure: { code: 'account_frozen', nextStep: 'contact_support', message: expect.stringContaining('Your account is frozen') },
    });
    expect((await bankCharges(body.id)).map((charge) => charge.outcome)).toEqual(['succeeded']);
    expect(await ledgerEntries(body.id)).toBe(0);
    expect(await balanceOf(customer)).toBe(0);
    const refund = await runtime.deps.pool.query(
      "SELECT payload FROM domain_events WHERE type = 'wallet.top-up.refund-needed' AND subject_id = $1",
      [body.id],
    );
    expect(refund.rows).toEqual([
      {
        payload: expect.objectContaining({
          topUpId: body.id,
          customerId: customer.id,
          amount: 40_00,
          currency: 'CNY',
          reason: 'account_frozen',
        }),
      },
    ]);
    expect(body.refund).toEqual({ status: 'pending', refundedAt: null });

    // The reconciliation job refunds it; two runs at once refund it once.
    const runs = await Promise.all([reconcileTopUps(runtime.deps), reconcileTopUps(runtime.deps)]);
    expect(runs.reduce((sum, run) => sum + run.refunded, 0)).toBe(1);
    const atBank = await runtime.deps.pool.query(
      'SELECT refund_reference, refunded_at FROM sandbox_acquirer_charges WHERE idempotency_key = $1',
      [body.id],
    );
    expect(atBank.rows[0]?.refunded_at).toBeInstanceOf(Date);
    const after = (await customer.client.get(`/api/wallet/top-ups/${body.id}`, { 'accept-language': 'en' })).body as TopUpBody;
    expect(after).toMatchObject({ status: 'failed', refund: { status: 'refunded', refundedAt: expect.any(String) } });
    const history = (await customer.client.get('/api/wallet/transactions?type=top_up')).body as {
      transactions: Array<{ topUpId: string; refund: unknown }>;
    };
    expect(history.transactions.find((row) => row.topUpId === body.id)?.refund).toEqual(after.refund);
    const refunded = await runtime.deps.pool.query(
      "SELECT 1 FROM domain_events WHERE type = 'wallet.top-up.refunded' AND subject_id = $1",
      [body.id],
    );
    expect(refunded.rowCount).toBe(1);
    // Nothing was credited, so the refund moved no money inside the wallet either.
    expect(await balanceOf(customer)).toBe(0);
    expect(await ledgerEntries(body.id)).toBe(0);
  });

  it('owes nothing back for an ordinary decline, and a refund for a charge the bank never made is recorded as not charged', async () => {
    const customer = await signedInCustomer(runtime);
    const declined = (await topUp(customer, { cardId: await bindCard(customer, '4000000000009995'), amount: 10_00, currency: 'CNY' }))
      .body as TopUpBody;
    expect(declined).toMatchObject({ status: 'failed', refund: null });
    // A debt recorded for a charge the bank does not hold (declined, so nothing was taken).
    await runtime.deps.pool.query("UPDATE top_ups SET refund_status = 'pending' WHERE id = $1", [declined.id]);
    // While money is thought to be owed back, the customer is not told that nothing was charged.
    const owed = (await customer.client.get(`/api/wallet/top-ups/${declined.id}`)).body as TopUpBody;
    expect(owed).toMatchObject({ refund: { status: 'pending' }, failure: { code: 'charged_not_credited', nextStep: 'refund_on_its_way' } });
    expect((await reconcileTopUps(runtime.deps)).notCharged).toBeGreaterThanOrEqual(1);
    const after = (await customer.client.get(`/api/wallet/top-ups/${declined.id}`)).body as TopUpBody;
    expect(after).toMatchObject({ refund: null, failure: { code: 'insufficient_funds' } });
  });

  it('freezes the account after repeated failed top-ups and then refuses further top-ups', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer, '4000000000009995');
    const threshold = runtime.deps.config.risk.failedTopUps;
    for (let attempt = 1; attempt <= threshold; attempt += 1) {
      const response = await topUp(customer, { cardId, amount: 10_00, currency: 'CNY' });
      expect(response.status, `attempt ${attempt}`).toBe(402);
    }
    const security = (await customer.client.get('/api/wallet/balances')).body as { isFrozen: boolean };
    expect(security.isFrozen).toBe(true);
    const freezes = await runtime.deps.pool.query(
      'SELECT reason, rule FROM customer_freezes WHERE customer_id = $1 AND lifted_at IS NULL',
      [customer.id],
    );
    expect(freezes.rows).toEqual([{ reason: 'abnormal_activity', rule: 'repeated_failed_top_ups' }]);
    const goodCard = await bindCard(customer);
    const refused = await topUp(customer, { cardId: goodCard, amount: 10_00, currency: 'CNY' });
    expect(refused.status).toBe(423);
    expect(refused.body).toMatchObject({ error: { code: 'account_frozen' } });
  });

  it('does not freeze below the threshold', async () => {
    const customer = await signedInCustomer(runtime);
    const cardId = await bindCard(customer, '4000000000000341');
    for (let attempt = 1; attempt < runtime.deps.config.risk.failedTopUps; attempt += 1) {
      await topUp(customer, { cardId, amount: 10_00, currency: 'CNY' });
    }
    expect(((await customer.client.get('/api/wallet/balances')).body as { isFrozen: boolean }).isFrozen).toBe(false);
  });

  it('keeps the ledger balanced after everything above', async () => {
    const report = await verifyLedger(runtime.deps.db);
    expect(report.problems).toEqual([]);
    expect(report.isHealthy).toBe(true);
  });
});
