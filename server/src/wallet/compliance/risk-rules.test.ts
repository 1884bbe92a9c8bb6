import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffMember } from '../../identity/index.js';
import { withTransaction } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { goodPassword, uniqueEmail } from '../../test/http.js';
import { startTestRuntime } from '../../test/runtime.js';
import { fundCustomer, newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { reviewIdentityVerification } from './review-identity-verification.js';
import { applyFailedTopUpRule } from './risk-rules.js';
import { submitIdentityVerification } from './submit-identity-verification.js';

let runtime: Runtime;
beforeAll(async () => {
  // Small thresholds from the environment, as an operator would set them.
  runtime = await startTestRuntime({
    env: { RISK_UNVERIFIED_INFLOW_LIMIT_CNY: '100', RISK_FAILED_TOP_UPS: '3', RISK_FAILED_TOP_UPS_WINDOW_MINUTES: '10' },
  });
});
afterAll(() => runtime?.close());

type Customer = Awaited<ReturnType<typeof signedInCustomer>>;

async function send(from: Customer, to: Customer, amount: number, currency: string) {
  return from.client.post('/api/wallet/transfers', { recipient: to.email, amount, currency }, { 'idempotency-key': newIdempotencyKey() });
}

async function balance(customer: Customer, currency: string) {
  const response = await customer.client.get('/api/wallet/balances');
  const balances = (response.body as { balances: Array<{ currency: string; available: { amount: number } }> }).balances;
  return balances.find((row) => row.currency === currency)?.available.amount ?? 0;
}

async function activeFreezes(customerId: string) {
  const result = await runtime.deps.pool.query<{ reason: string; set_by_type: string; rule: string }>(
    'SELECT reason, set_by_type, rule FROM customer_freezes WHERE customer_id = $1 AND lifted_at IS NULL',
    [customerId],
  );
  return result.rows;
}

async function frozenEvents(customerId: string) {
  const result = await runtime.deps.pool.query<{ payload: Record<string, unknown> }>(
    "SELECT payload FROM domain_events WHERE type = 'wallet.account.frozen' AND subject_type = 'customer' AND subject_id = $1",
    [customerId],
  );
  return result.rows.map((row) => row.payload);
}

describe('unverified inflow rule', () => {
  it('freezes a recipient once unverified inflow passes the configured limit, valued in CNY', async () => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, alice.id, 'USD', 100_00);
    // 14 USD at the seeded mid rate (7.10) is 99.40 CNY: under the limit of 100.
    expect((await send(alice, bob, 14_00, 'USD')).status).toBe(201);
    expect(await activeFreezes(bob.id)).toEqual([]);
    // One more dollar makes 106.50 CNY within the window; the transfer lands and the freeze commits with it.
    expect((await send(alice, bob, 1_00, 'USD')).status).toBe(201);
    expect(await balance(bob, 'USD')).toBe(15_00);
    expect(await activeFreezes(bob.id)).toEqual([
      { reason: 'identity_unverified', set_by_type: 'system', rule: 'unverified_large_inflow' },
    ]);
    expect(await frozenEvents(bob.id)).toEqual([
      expect.objectContaining({
        customerId: bob.id,
        reason: 'identity_unverified',
        setBy: { type: 'system', rule: 'unverified_large_inflow' },
      }),
    ]);
    const security = await bob.client.get('/api/wallet/security', { 'accept-language': 'en' });
    expect(security.body).toMatchObject({ isFrozen: true, freezes: [{ reason: 'identity_unverified' }] });
    // The rule's internal note (amounts, window) is for staff only.
    expect(JSON.stringify(security.body)).not.toContain('CNY received');
  });

  it('refuses a frozen customer money in and out, and nothing moves', async () => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime);
    const carol = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 500_00);
    await fundCustomer(runtime.deps.pool, carol.id, 'CNY', 50_00);
    expect((await send(alice, bob, 150_00, 'CNY')).status).toBe(201);
    expect(await activeFreezes(bob.id)).toHaveLength(1);
    const transfersBefore = await runtime.deps.pool.query('SELECT count(*)::int AS n FROM transfers');

    const out = await send(bob, alice, 10_00, 'CNY');
    expect(out.status).toBe(423);
    expect(out.body).toMatchObject({ error: { code: 'account_frozen' } });
    const incoming = await send(carol, bob, 10_00, 'CNY');
    expect(incoming.status).toBe(422);
    expect(incoming.body).toMatchObject({ error: { code: 'recipient_cannot_receive' } });

    expect(await balance(alice, 'CNY')).toBe(350_00);
    expect(await balance(bob, 'CNY')).toBe(150_00);
    expect(await balance(carol, 'CNY')).toBe(50_00);
    const transfersAfter = await runtime.deps.pool.query('SELECT count(*)::int AS n FROM transfers');
    expect(transfersAfter.rows[0]?.n).toBe(transfersBefore.rows[0]?.n);
    expect((await verifyLedger(runtime.deps.db)).isHealthy).toBe(true);
  });

  it('lets exactly the limit through without a freeze', async () => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 100_00);
    expect((await send(alice, bob, 100_00, 'CNY')).status).toBe(201);
    expect(await activeFreezes(bob.id)).toEqual([]);
  });

  it('does not freeze a customer whose identity was approved', async () => {
    const alice = await signedInCustomer(runtime);
    const dave = await signedInCustomer(runtime);
    const reviewer = await createStaffMember(
      runtime.deps,
      { email: uniqueEmail('reviewer'), displayName: 'Reviewer', role: 'supervisor', password: goodPassword },
      { type: 'system' },
    );
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);
    const submission = await withTransaction(runtime.deps.pool, (tx) =>
      submitIdentityVerification(tx, {
        customerId: dave.id,
        realName: '戴夫',
        idType: 'passport',
        idNumber: 'E12345678',
        document: png,
        today: '2026-01-01',
        at: new Date(),
        encryptionKey: runtime.deps.config.documentEncryptionKey,
        ip: null,
      }),
    );
    await withTransaction(runtime.deps.pool, (tx) =>
      reviewIdentityVerification(tx, { id: submission.id, staffId: reviewer.id, decision: 'approved', at: new Date(), ip: null }),
    );
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 1_000_00);
    expect((await send(alice, dave, 900_00, 'CNY')).status).toBe(201);
    expect(await activeFreezes(dave.id)).toEqual([]);
  });
});

describe('failed top-up rule', () => {
  async function cardFor(customerId: string) {
    const result = await runtime.deps.pool.query<{ id: string }>(
      `INSERT INTO cards (customer_id, acquirer_token, fingerprint, brand, bin, last4, exp_month, exp_year, holder_name)
       VALUES ($1, $2, $3, 'visa', '424242', '4242', 12, 2030, 'TEST') RETURNING id`,
      [customerId, `tok_${randomBytes(6).toString('hex')}`, randomBytes(16).toString('hex')],
    );
    return result.rows[0]?.id ?? '';
  }

  async function failedTopUp(customerId: string, cardId: string, at: Date) {
    await runtime.deps.pool.query(
      "INSERT INTO top_ups (customer_id, card_id, amount, currency, status, failure_code, created_at) VALUES ($1, $2, 100_00, 'CNY', 'failed', 'card_declined', $3)",
      [customerId, cardId, at],
    );
  }

  const applyRule = (customerId: string, at: Date) =>
    withTransaction(runtime.deps.pool, (tx) => applyFailedTopUpRule(tx, runtime.deps.config.risk, customerId, at));

  it('freezes for abnormal activity at the configured count within the window, and only once', async () => {
    const customer = await signedInCustomer(runtime);
    const card = await cardFor(customer.id);
    const now = new Date();
    const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
    await failedTopUp(customer.id, card, minutesAgo(11));
    await failedTopUp(customer.id, card, minutesAgo(5));
    await failedTopUp(customer.id, card, minutesAgo(1));
    // Three failures, but one is outside the 10-minute window.
    expect(await applyRule(customer.id, now)).toBe(false);
    expect(await activeFreezes(customer.id)).toEqual([]);

    await failedTopUp(customer.id, card, now);
    expect(await applyRule(customer.id, now)).toBe(true);
    expect(await activeFreezes(customer.id)).toEqual([
      { reason: 'abnormal_activity', set_by_type: 'system', rule: 'repeated_failed_top_ups' },
    ]);
    expect(await frozenEvents(customer.id)).toEqual([expect.objectContaining({ reason: 'abnormal_activity' })]);

    await failedTopUp(customer.id, card, now);
    expect(await applyRule(customer.id, now)).toBe(false);
    expect(await activeFreezes(customer.id)).toHaveLength(1);
  });
});
