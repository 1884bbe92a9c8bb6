import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';
import { fundCustomer, newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { changePercent, isWithinBand } from './rate-band.js';

const clock = fixedClock('2026-11-25T10:00:00Z');
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ clock });
});
afterAll(() => runtime?.close());

type Quote = {
  id: string;
  amountReceived: { amount: number };
  fee: { amount: number };
  rate: string;
  midRate: string;
  expiresAt: string;
  status: string;
};

async function quote(client: Awaited<ReturnType<typeof signedInCustomer>>['client'], body: Record<string, unknown>) {
  const response = await client.post('/api/wallet/fx/quotes', body);
  return { response, quote: response.body as Quote };
}

async function fxRevenue(currency: string): Promise<number> {
  const revenue = await runtime.deps.pool.query("SELECT balance FROM ledger_accounts WHERE system_code = 'fx_revenue' AND currency = $1", [
    currency,
  ]);
  return Number(revenue.rows[0]?.balance);
}

async function balances(client: Awaited<ReturnType<typeof signedInCustomer>>['client']) {
  const body = (await client.get('/api/wallet/balances')).body as { balances: Array<{ currency: string; available: { amount: number } }> };
  return Object.fromEntries(body.balances.map((balance) => [balance.currency, balance.available.amount]));
}

describe('currency exchange', () => {
  it('quotes with the spread and a fixed expiry, then exchanges at exactly the quoted amounts', async () => {
    const customer = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, customer.id, 'CNY', 1_000_00);
    const revenueBefore = await fxRevenue('USD');
    // Other tests move the shared clock: the quote is fixed for 30 s from whenever this one runs.
    const fixedUntil = new Date(clock.now().getTime() + 30_000).toISOString();
    const { response, quote: offer } = await quote(customer.client, { from: 'CNY', to: 'USD', amount: 710_00 });
    expect(response.status).toBe(201);
    expect(offer).toMatchObject({
      midRate: '0.14084507',
      rate: '0.14014085',
      spreadBps: 50,
      sourceAmount: { amount: 71_000, currency: 'CNY' },
      amountReceived: { amount: 99_50, currency: 'USD' },
      fee: { amount: 50, currency: 'USD' },
      status: 'open',
      expiresAt: fixedUntil,
    });
    const executed = await customer.client.post(`/api/wallet/fx/quotes/${offer.id}/execute`, undefined, {
      'idempotency-key': newIdempotencyKey(),
    });
    expect(executed.status).toBe(200);
    expect(executed.body).toMatchObject({ status: 'executed' });
    expect(await balances(customer.client)).toEqual({ CNY: 290_00, USD: 99_50 });
    const history = (await customer.client.get('/api/wallet/transactions?type=exchange')).body as { transactions: unknown[] };
    expect(history.transactions[0]).toMatchObject({
      amount: { amount: -71_000, currency: 'CNY' },
      counterAmount: { amount: 99_50, currency: 'USD' },
    });
    // The spread is booked as FX revenue (other exchanges in this file add theirs), so every currency still sums to zero.
    expect((await fxRevenue('USD')) - revenueBefore).toBe(50);
    expect((await verifyLedger(runtime.deps.db)).isHealthy).toBe(true);
  });

  it('refuses an expired quote and moves nothing', async () => {
    const customer = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, customer.id, 'CNY', 100_00);
    const { quote: offer } = await quote(customer.client, { from: 'CNY', to: 'JPY', amount: 100_00 });
    clock.advance(31_000);
    const late = await customer.client.post(`/api/wallet/fx/quotes/${offer.id}/execute`, undefined, {
      'idempotency-key': newIdempotencyKey(),
    });
    expect(late.status).toBe(422);
    expect(late.body).toMatchObject({ error: { code: 'quote_expired' } });
    expect(await balances(customer.client)).toEqual({ CNY: 100_00 });
  });

  it('executes a quote once: a second execution with a new key is refused, the same key replays', async () => {
    const customer = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, customer.id, 'USD', 100_00);
    const { quote: offer } = await quote(customer.client, { from: 'USD', to: 'JPY', amount: 10_00 });
    const key = newIdempotencyKey();
    const first = await customer.client.post(`/api/wallet/fx/quotes/${offer.id}/execute`, undefined, { 'idempotency-key': key });
    const replay = await customer.client.post(`/api/wallet/fx/quotes/${offer.id}/execute`, undefined, { 'idempotency-key': key });
    expect(replay.body).toEqual(first.body);
    const again = await customer.client.post(`/api/wallet/fx/quotes/${offer.id}/execute`, undefined, {
      'idempotency-key': newIdempotencyKey(),
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'quote_already_executed' } });
    // 10 USD at 150 × 0.995 = 1492.5 JPY: the tie rounds to the even 1492.
    expect(await balances(customer.client)).toEqual({ USD: 90_00, JPY: 1_492 });
  });

  it.each([
    [{ from: 'CNY', to: 'CNY', amount: 100 }, 400, 'same_currency'],
    [{ from: 'CNY', to: 'USD', amount: 1 }, 422, 'amount_too_small_to_exchange'],
    [{ from: 'CNY', to: 'XAU', amount: 100 }, 400, 'validation_failed'],
    [{ from: 'CNY', to: 'USD', amount: 1.5 }, 400, 'validation_failed'],
    [{ from: 'CNY', to: 'USD', amount: -100 }, 400, 'validation_failed'],
    [{ from: 'CNY', to: 'USD', amount: 100_000_000_00 }, 422, 'amount_too_large'],
  ])('refuses the quote request %j with %i %s', async (body, status, code) => {
    const customer = await signedInCustomer(runtime);
    const { response } = await quote(customer.client, body);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: { code } });
  });

  it("refuses to execute another customer's quote or without the money", async () => {
    const owner = await signedInCustomer(runtime);
    const stranger = await signedInCustomer(runtime);
    const { quote: offer } = await quote(owner.client, { from: 'EUR', to: 'HKD', amount: 10_00 });
    const stolen = await stranger.client.post(`/api/wallet/fx/quotes/${offer.id}/execute`, undefined, {
      'idempotency-key': newIdempotencyKey(),
    });
    expect(stolen.status).toBe(404);
    const broke = await owner.client.post(`/api/wallet/fx/quotes/${offer.id}/execute`, undefined, {
      'idempotency-key': newIdempotencyKey(),
    });
    expect(broke.status).toBe(422);
    expect(broke.body).toMatchObject({ error: { code: 'insufficient_funds' } });
  });

  it('lets an admin change a mid rate for new quotes while earlier quotes keep theirs', async () => {
    const admin = await signedInStaff(runtime, 'admin');
    const agent = await signedInStaff(runtime, 'agent');
    const customer = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, customer.id, 'HKD', 1_000_00);
    const { quote: before } = await quote(customer.client, { from: 'HKD', to: 'USD', amount: 780_00 });
    expect((await agent.client.put('/api/agent/fx/rates/HKD', { unitsPerUsd: '7.5' })).status).toBe(403);
    for (const bad of ['0', '-1', 'abc', '1e5']) {
      const refused = await admin.client.put('/api/agent/fx/rates/HKD', { unitsPerUsd: bad });
      expect(refused.status, bad).toBe(400);
    }
    expect((await admin.client.put('/api/agent/fx/rates/HKD', { unitsPerUsd: '7.5' })).status).toBe(200);
    const { quote: after } = await quote(customer.client, { from: 'HKD', to: 'USD', amount: 780_00 });
    expect(before.midRate).toBe('0.12820513');
    expect(after.midRate).toBe('0.13333333');
    const executed = await customer.client.post(`/api/wallet/fx/quotes/${before.id}/execute`, undefined, {
      'idempotency-key': newIdempotencyKey(),
    });
    expect(executed.body).toMatchObject({ amountReceived: before.amountReceived });
    const rates = (await agent.client.get('/api/agent/fx/rates')).body as { rates: Array<{ currency: string; unitsPerUsd: string }> };
    expect(rates.rates.find((rate) => rate.currency === 'HKD')?.unitsPerUsd).toBe('7.5000000000');
    const audit = await runtime.deps.pool.query(
      "SELECT actor_id, details FROM audit_events WHERE action = 'fx.rate_changed' AND actor_id = $1",
      [admin.id],
    );
    expect(audit.rows).toEqual([{ actor_id: admin.id, details: { from: '7.8000000000', to: '7.5' } }]);
  });
});

describe('rate changes beyond the band need a second admin', () => {
  type Change = { id: string; status: string; fromUnitsPerUsd: string | null; toUnitsPerUsd: string; changePercent: string | null };
  type Answer = { status: string; change: Change | null };
  const rateOf = async (currency: string) => {
    const rows = await runtime.deps.pool.query<{ rate: string }>('SELECT units_per_usd::text AS rate FROM fx_rates WHERE currency = $1', [
      currency,
    ]);
    return rows.rows[0]?.rate;
  };
  const audited = async (action: string, currency: string) =>
    (
      await runtime.deps.pool.query<{ actor_id: string; details: Record<string, unknown> }>(
        'SELECT actor_id, details FROM audit_events WHERE action = $1 AND target_id = $2 ORDER BY id',
        [action, currency],
      )
    ).rows;

  it.each([
    ['150', '165', true],
    ['150', '135', true],
    ['150', '165.0000000001', false],
    ['150', '134.9999999999', false],
    ['7.1', '0.0000000001', false],
    ['0.307', '0.3377', true],
  ])('from %s to %s is within ±10 %%: %s', (from, to, within) => {
    expect(isWithinBand(from, to, 10)).toBe(within);
  });

  it('says how far a change moves the rate, exactly', () => {
    expect(changePercent('7.1', '0.0000000001')).toBe('-99.99');
    expect(changePercent('150', '165')).toBe('10.00');
    expect(changePercent('0.92', '0.9')).toBe('-2.17');
  });

  it('holds a rate of 0.0000000001 for a second admin, and quotes keep the current rate meanwhile', async () => {
    const maker = await signedInStaff(runtime, 'admin');
    const checker = await signedInStaff(runtime, 'admin');
    const agent = await signedInStaff(runtime, 'agent');
    const proposed = await maker.client.put('/api/agent/fx/rates/CNY', { unitsPerUsd: '0.0000000001', note: '测试' });
    expect(proposed.status).toBe(202);
    const { change } = proposed.body as Answer;
    expect(change).toMatchObject({
      status: 'pending',
      fromUnitsPerUsd: '7.1000000000',
      toUnitsPerUsd: '0.0000000001',
      changePercent: '-99.99',
    });
    expect(await rateOf('CNY')).toBe('7.1000000000');
    expect(await audited('fx.rate_change_proposed', 'CNY')).toEqual([expect.objectContaining({ actor_id: maker.id })]);

    // Nobody decides alone: not the maker, not an agent; and one pending change per currency.
    expect((await maker.client.post(`/api/agent/fx/rate-changes/${change?.id}/approve`, {})).body).toMatchObject({
      error: { code: 'rate_change_needs_second_admin' },
    });
    expect((await agent.client.post(`/api/agent/fx/rate-changes/${change?.id}/approve`, {})).status).toBe(403);
    expect((await maker.client.put('/api/agent/fx/rates/CNY', { unitsPerUsd: '1' })).body).toMatchObject({
      error: { code: 'rate_change_pending' },
    });
    const pending = (await agent.client.get('/api/agent/fx/rate-changes')).body as { changes: Change[] };
    expect(pending.changes.map((item) => item.id)).toContain(change?.id);

    expect((await checker.client.post(`/api/agent/fx/rate-changes/${change?.id}/reject`, {})).status).toBe(400);
    const rejected = await checker.client.post(`/api/agent/fx/rate-changes/${change?.id}/reject`, { note: '明显是输错了' });
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionNote: '明显是输错了', decidedBy: { id: checker.id } });
    expect(await rateOf('CNY')).toBe('7.1000000000');
    expect(await audited('fx.rate_change_rejected', 'CNY')).toEqual([expect.objectContaining({ actor_id: checker.id })]);
    // The table refuses a maker deciding their own change even past the API.
    const mine = await maker.client.put('/api/agent/fx/rates/CNY', { unitsPerUsd: '71' });
    const id = (mine.body as Answer).change?.id;
    await expect(
      runtime.deps.pool.query("UPDATE fx_rate_changes SET status = 'approved', decided_by = proposed_by WHERE id = $1", [id]),
    ).rejects.toThrow(/fx_rate_changes_four_eyes/);
    await checker.client.post(`/api/agent/fx/rate-changes/${id}/reject`, { note: 'clean up' });
  });

  it('applies an approved change, in the audit log under both admins', async () => {
    const maker = await signedInStaff(runtime, 'admin');
    const checker = await signedInStaff(runtime, 'admin');
    const proposed = await maker.client.put('/api/agent/fx/rates/JPY', { unitsPerUsd: '180' });
    expect(proposed.body).toMatchObject({ status: 'pending_approval', change: { changePercent: '20.00' } });
    const id = (proposed.body as Answer).change?.id;
    const approved = await checker.client.post(`/api/agent/fx/rate-changes/${id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: { id: checker.id } });
    expect(await rateOf('JPY')).toBe('180.0000000000');
    expect(await audited('fx.rate_changed', 'JPY')).toEqual([
      expect.objectContaining({ actor_id: checker.id, details: { from: '150.0000000000', to: '180.0000000000', proposedBy: maker.id } }),
    ]);
    expect((await checker.client.post(`/api/agent/fx/rate-changes/${id}/approve`, {})).body).toMatchObject({
      error: { code: 'rate_change_already_decided' },
    });
  });

  it('applies a change within the band at once, and refuses to approve a proposal made against a rate that has moved since', async () => {
    const maker = await signedInStaff(runtime, 'admin');
    const checker = await signedInStaff(runtime, 'admin');
    const proposed = await maker.client.put('/api/agent/fx/rates/EUR', { unitsPerUsd: '1.5' });
    const id = (proposed.body as Answer).change?.id;
    const small = await checker.client.put('/api/agent/fx/rates/EUR', { unitsPerUsd: '0.95' });
    expect(small.status).toBe(200);
    expect(small.body).toMatchObject({ status: 'applied', change: null });
    expect(await rateOf('EUR')).toBe('0.9500000000');
    expect((await checker.client.post(`/api/agent/fx/rate-changes/${id}/approve`, {})).body).toMatchObject({
      error: { code: 'rate_moved_since_proposal' },
    });
    expect(await rateOf('EUR')).toBe('0.9500000000');
  });
});
