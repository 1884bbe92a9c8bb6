import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInCustomer } from '../../test/wallet.js';
import { verifyLedger } from '../ledger/verify-ledger.js';

// 2030-06-15 12:00 in Shanghai: cards expiring before June 2030 have run out.
const clock = fixedClock('2030-06-15T04:00:00Z');
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ clock });
});
afterAll(() => runtime?.close());

type Customer = Awaited<ReturnType<typeof signedInCustomer>>;
type ErrorBody = { error: { code: string; message: string; details?: { nextStep?: string } } };

const validCard = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2032, cvc: '123', holderName: 'ZHANG SAN' };

function bind(customer: Customer, card: Partial<typeof validCard> = {}, locale = 'zh-CN') {
  return customer.client.post('/api/wallet/cards', { ...validCard, ...card }, { 'accept-language': locale });
}

describe('binding a card', () => {
  it('binds a test card typed with spaces and stores only the token, keyed fingerprint, BIN and last four', async () => {
    const customer = await signedInCustomer(runtime);
    const response = await bind(customer);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      brand: 'visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2032,
      holderName: 'ZHANG SAN',
      createdAt: '2030-06-15T04:00:00.000Z',
    });
    const stored = await runtime.deps.pool.query('SELECT * FROM cards WHERE id = $1', [(response.body as { id: string }).id]);
    const row = stored.rows[0];
    expect(row).toMatchObject({ bin: '424242', last4: '4242', brand: 'visa', status: 'active' });
    expect(row.fingerprint).toBe(createHmac('sha256', runtime.deps.config.cardFingerprintSecret).update('4242424242424242').digest('hex'));
    expect(row.acquirer_token).toMatch(/^tok_sandbox_/);
    expect(JSON.stringify(row)).not.toContain('4242424242424242');
    const audit = await runtime.deps.pool.query(
      "SELECT actor_id, details FROM audit_events WHERE action = 'card.bound' AND target_id = $1",
      [row.id],
    );
    expect(audit.rows).toEqual([{ actor_id: customer.id, details: { brand: 'visa', last4: '4242' } }]);
  });

  it.each([
    ['5555-5555-5555-4444', 'mastercard', '4444'],
    ['2223 0031 2200 3222', 'mastercard', '3222'],
    ['3782 822463 10005', 'amex', '0005'],
    ['3566 0020 2036 0505', 'jcb', '0505'],
    ['6200 0000 0000 0005', 'unionpay', '0005'],
    ['6205 5000 0000 0000 004', 'unionpay', '0004'],
  ])('binds %s as %s', async (number, brand, last4) => {
    const customer = await signedInCustomer(runtime);
    const response = await bind(customer, { number, cvc: brand === 'amex' ? '1234' : '123' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ brand, last4 });
  });

  it.each([
    ['4000 0000 0000 9995', 'insufficient funds'],
    ['4000 0000 0000 0069', 'expired at the bank'],
    ['4000 0000 0000 0127', 'incorrect CVC at the bank'],
    ['4000 0000 0000 0119', 'processing error'],
    ['4000 0000 0000 9987', 'lost'],
    ['4000 0000 0000 9979', 'stolen'],
    ['4000 0000 0000 0341', 'every charge declined'],
    ['4000 0000 0000 0408', 'answer lost'],
    ['4000 0000 0000 0416', 'request lost'],
  ])('binds %s (%s): its problem shows when it is charged', async (number) => {
    const customer = await signedInCustomer(runtime);
    const response = await bind(customer, { number });
    expect(response.status).toBe(201);
  });

  it.each([
    {
      label: 'a number failing the Luhn check',
      card: { number: '4242 4242 4242 4241' },
      status: 400,
      code: 'incorrect_number',
      nextStep: 'check_card_details',
      zh: '卡号不正确',
      en: 'The card number is incorrect',
    },
    {
      label: 'too few digits',
      card: { number: '4242 4242' },
      status: 400,
      code: 'incorrect_number',
      nextStep: 'check_card_details',
      zh: '卡号不正确',
      en: 'The card number is incorrect',
    },
    {
      label: 'letters in the number',
      card: { number: '4242 4242 4242 424x' },
      status: 400,
      code: 'incorrect_number',
      nextStep: 'check_card_details',
      zh: '卡号不正确',
      en: 'The card number is incorrect',
    },
    {
      label: 'no known brand',
      card: { number: '9999 9999 9999 9995' },
      status: 422,
      code: 'card_not_supported',
      nextStep: 'use_another_card',
      zh: '暂不支持这张卡',
      en: 'This card is not supported',
    },
    {
      label: 'a live card the sandbox bank refuses (PCI DSS 6.5.5)',
      card: { number: '4111 1111 1111 1111' },
      status: 422,
      code: 'card_not_supported',
      nextStep: 'use_another_card',
      zh: '暂不支持这张卡',
      en: 'This card is not supported',
    },
    {
      label: 'an expiry month already past',
      card: { expMonth: 5, expYear: 2030 },
      status: 422,
      code: 'expired_card',
      nextStep: 'use_another_card',
      zh: '这张卡已过期',
      en: 'This card has expired',
    },
    {
      label: 'a two-digit CVC',
      card: { cvc: '12' },
      status: 400,
      code: 'invalid_cvc',
      nextStep: 'check_card_details',
      zh: '安全码（CVC）应为 3 位数字',
      en: 'The security code (CVC) is the 3 digits',
    },
    {
      label: 'a five-digit CVC',
      card: { cvc: '12345' },
      status: 400,
      code: 'invalid_cvc',
      nextStep: 'check_card_details',
      zh: '安全码（CVC）应为 3 位数字',
      en: 'The security code (CVC) is the 3 digits',
    },
    {
      label: 'letters in the CVC',
      card: { cvc: '1a3' },
      status: 400,
      code: 'invalid_cvc',
      nextStep: 'check_card_details',
      zh: '安全码（CVC）应为 3 位数字',
      en: 'The security code (CVC) is the 3 digits',
    },
    {
      label: 'a card the bank declines at verification (4000 0000 0000 0002)',
      card: { number: '4000 0000 0000 0002' },
      status: 402,
      code: 'card_declined',
      nextStep: 'use_another_card',
      zh: '发卡银行拒绝绑定这张卡',
      en: 'Your bank refused to link this card',
    },
  ])('refuses $label with $code, telling the customer what to do in both languages', async ({ card, status, code, nextStep, zh, en }) => {
    const customer = await signedInCustomer(runtime);
    for (const [locale, text] of [
      ['zh-CN', zh],
      ['en', en],
    ] as const) {
      const response = await bind(customer, card, locale);
      expect(response.status).toBe(status);
      const body = response.body as ErrorBody;
      expect(body.error.code).toBe(code);
      expect(body.error.message).toContain(text);
      expect(body.error.details?.nextStep).toBe(nextStep);
    }
    expect((await customer.client.get('/api/wallet/cards')).body).toEqual({ cards: [] });
  });

  it('checks the number before the expiry and the expiry before the CVC', async () => {
    const customer = await signedInCustomer(runtime);
    const everythingWrong = await bind(customer, { number: '4242 4242 4242 4241', expMonth: 1, expYear: 2020, cvc: 'x' });
    expect((everythingWrong.body as ErrorBody).error.code).toBe('incorrect_number');
    const expiredAndBadCvc = await bind(customer, { expMonth: 1, expYear: 2020, cvc: 'x' });
    expect((expiredAndBadCvc.body as ErrorBody).error.code).toBe('expired_card');
  });

  it('uses the injected clock for expiry: a June 2030 card binds until the last minute of June, Shanghai time', async () => {
    clock.set('2030-06-30T23:50:00+08:00');
    try {
      const customer = await signedInCustomer(runtime);
      expect((await bind(customer, { expMonth: 6, expYear: 2030 })).status).toBe(201);
      clock.advance(15 * 60_000);
      const response = await bind(customer, { number: '6200 0000 0000 0005', expMonth: 6, expYear: 2030 });
      expect((response.body as ErrorBody).error.code).toBe('expired_card');
    } finally {
      clock.set('2030-06-15T04:00:00Z');
    }
  });

  it('keeps the real reason of a refused binding in the audit trail', async () => {
    const customer = await signedInCustomer(runtime);
    await bind(customer, { number: '4000 0000 0000 0002' });
    const audit = await runtime.deps.pool.query(
      "SELECT outcome, details FROM audit_events WHERE action = 'card.bound' AND actor_id = $1 ORDER BY id",
      [customer.id],
    );
    expect(audit.rows).toEqual([{ outcome: 'failure', details: { code: 'card_declined', brand: 'visa', last4: '0002' } }]);
  });

  it('refuses the same card twice for one customer, but another customer may bind it', async () => {
    const customer = await signedInCustomer(runtime);
    expect((await bind(customer)).status).toBe(201);
    const again = await bind(customer, { number: '4242-4242-4242-4242', cvc: '999' }, 'en');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'card_already_bound', message: expect.stringContaining('already linked') } });
    const other = await signedInCustomer(runtime);
    expect((await bind(other)).status).toBe(201);
  });

  it('binds one card once when the same card is sent twice at the same moment', async () => {
    const customer = await signedInCustomer(runtime);
    const responses = await Promise.all(Array.from({ length: 5 }, () => bind(customer)));
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const cards = (await customer.client.get('/api/wallet/cards')).body as { cards: unknown[] };
    expect(cards.cards).toHaveLength(1);
  });

  it.each([
    ['no body fields', {}],
    ['a month of 13', { ...validCard, expMonth: 13 }],
    ['a year as text', { ...validCard, expYear: '2032' }],
    ['the number as a JSON number', { ...validCard, number: 4242424242424242 }],
    ['an empty holder name', { ...validCard, holderName: '   ' }],
    ['an unknown field', { ...validCard, pin: '1234' }],
  ])('answers %s with 400 validation_failed in the error shape', async (_label, body) => {
    const customer = await signedInCustomer(runtime);
    const response = await customer.client.post('/api/wallet/cards', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'validation_failed', message: expect.any(String) } });
  });

  it('requires a signed-in customer', async () => {
    const response = await runtime.app.inject({ method: 'GET', url: '/api/wallet/cards' });
    expect(response.statusCode).toBe(401);
  });
});

describe('listing and removing cards', () => {
  it('lists the last four digits only, never the BIN, token or fingerprint', async () => {
    const customer = await signedInCustomer(runtime);
    await bind(customer);
    await bind(customer, { number: '6200 0000 0000 0005', holderName: '张三' });
    const response = await customer.client.get('/api/wallet/cards');
    expect(response.status).toBe(200);
    const cards = (response.body as { cards: Array<Record<string, unknown>> }).cards;
    expect(cards.map((card) => [card.brand, card.last4, card.holderName])).toEqual(
      expect.arrayContaining([
        ['visa', '4242', 'ZHANG SAN'],
        ['unionpay', '0005', '张三'],
      ]),
    );
    const text = JSON.stringify(response.body);
    for (const hidden of ['424242', '620000', 'tok_', 'fingerprint', 'bin']) expect(text).not.toContain(hidden);
  });

  it('removes a card softly, audits it, and lets it be bound again', async () => {
    const customer = await signedInCustomer(runtime);
    const card = (await bind(customer)).body as { id: string };
    const removed = await customer.client.delete(`/api/wallet/cards/${card.id}`);
    expect(removed.status).toBe(204);
    expect((await customer.client.get('/api/wallet/cards')).body).toEqual({ cards: [] });
    const row = await runtime.deps.pool.query('SELECT status, removed_at FROM cards WHERE id = $1', [card.id]);
    expect(row.rows[0]).toMatchObject({ status: 'removed', removed_at: expect.any(Date) });
    const audit = await runtime.deps.pool.query("SELECT actor_id FROM audit_events WHERE action = 'card.removed' AND target_id = $1", [
      card.id,
    ]);
    expect(audit.rows).toEqual([{ actor_id: customer.id }]);
    expect((await customer.client.delete(`/api/wallet/cards/${card.id}`)).status).toBe(404);
    expect((await bind(customer)).status).toBe(201);
  });

  it("answers 404 for another customer's card and leaves it bound", async () => {
    const owner = await signedInCustomer(runtime);
    const card = (await bind(owner)).body as { id: string };
    const intruder = await signedInCustomer(runtime);
    const response = await intruder.client.delete(`/api/wallet/cards/${card.id}`);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'card_not_found' } });
    expect(((await owner.client.get('/api/wallet/cards')).body as { cards: unknown[] }).cards).toHaveLength(1);
  });

  it('answers a malformed card id with 400', async () => {
    const customer = await signedInCustomer(runtime);
    const response = await customer.client.delete('/api/wallet/cards/not-a-card');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('leaves the ledger untouched and healthy: binding and removing post nothing', async () => {
    const before = await verifyLedger(runtime.deps.db);
    const customer = await signedInCustomer(runtime);
    const card = (await bind(customer)).body as { id: string };
    expect((await customer.client.delete(`/api/wallet/cards/${card.id}`)).status).toBe(204);
    const after = await verifyLedger(runtime.deps.db);
    expect(after.isHealthy).toBe(true);
    expect(after.entries).toBe(before.entries);
    expect(after.postings).toBe(before.postings);
  });
});
