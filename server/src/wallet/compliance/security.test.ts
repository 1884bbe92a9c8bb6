import { freezeReasons } from '@okpay/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { goodPassword, httpClient } from '../../test/http.js';
import { startTestRuntime } from '../../test/runtime.js';
import { fundCustomer, newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { freezeCustomer } from './freeze-customer.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

type Security = {
  isFrozen: boolean;
  freezes: Array<{ id: string; reason: string; since: string; meaning: string; whatToDo: string }>;
  verification: { level: string; message: string; latest: unknown };
};

describe('the Security page', () => {
  it('shows an unfrozen, unverified customer as such', async () => {
    const customer = await signedInCustomer(runtime);
    const security = await customer.client.get('/api/wallet/security', { 'accept-language': 'en' });
    expect(security.status).toBe(200);
    expect(security.body).toEqual({
      isFrozen: false,
      freezes: [],
      verification: { level: 'unverified', message: 'Your identity is not verified yet.', latest: null },
    });
  });

  it.each(freezeReasons)('explains a %s freeze in Chinese and English without the internal note', async (reason) => {
    const customer = await signedInCustomer(runtime);
    const note = `internal-note-${reason}-内部`;
    await withTransaction(runtime.deps.pool, (tx) =>
      freezeCustomer(tx, { customerId: customer.id, reason, note, setBy: { type: 'system', rule: 'velocity_rule_7' }, at: new Date() }),
    );
    const chinese = (await customer.client.get('/api/wallet/security', { 'accept-language': 'zh-CN,zh;q=0.9' })).body as Security;
    const english = (await customer.client.get('/api/wallet/security', { 'accept-language': 'en-GB' })).body as Security;
    expect(chinese.isFrozen).toBe(true);
    expect(chinese.freezes).toHaveLength(1);
    expect(chinese.freezes[0]).toMatchObject({
      reason,
      meaning: expect.stringContaining('冻结'),
      whatToDo: expect.stringMatching(/\p{Script=Han}/u),
    });
    expect(english.freezes[0]).toMatchObject({
      reason,
      meaning: expect.stringMatching(/frozen|freeze/i),
      whatToDo: expect.stringMatching(/[a-z]/),
    });
    expect(english.freezes[0]?.meaning).not.toBe(chinese.freezes[0]?.meaning);
    for (const body of [chinese, english]) {
      expect(JSON.stringify(body)).not.toContain('internal-note');
      expect(JSON.stringify(body)).not.toContain('velocity');
    }
  });

  it('requires a signed-in customer', async () => {
    const anonymous = httpClient(runtime.app);
    expect((await anonymous.get('/api/wallet/security')).status).toBe(401);
    expect((await anonymous.post('/api/wallet/security/freeze', {})).status).toBe(401);
  });
});

describe('freezing my own account', () => {
  it('freezes at once, keeps one freeze however often it is asked, and is audit-logged with the IP', async () => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 20_00);

    const first = await alice.client.post('/api/wallet/security/freeze', { note: '手机丢了' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      isFrozen: true,
      freezes: [{ reason: 'customer_request', meaning: expect.stringContaining('手机丢失') }],
    });
    const again = await alice.client.post('/api/wallet/security/freeze', {});
    expect(again.status).toBe(200);
    expect((again.body as Security).freezes).toHaveLength(1);

    const sent = await alice.client.post(
      '/api/wallet/transfers',
      { recipient: bob.email, amount: 1_00, currency: 'CNY' },
      { 'idempotency-key': newIdempotencyKey() },
    );
    expect(sent.status).toBe(423);
    expect(sent.body).toMatchObject({ error: { code: 'account_frozen' } });

    const audit = await runtime.deps.pool.query('SELECT actor_type, actor_id, ip FROM audit_events WHERE action = $1 AND target_id = $2', [
      'customer.frozen',
      alice.id,
    ]);
    expect(audit.rows).toEqual([{ actor_type: 'customer', actor_id: alice.id, ip: '127.0.0.1' }]);
  });

  it('counts two taps at the same moment as one freeze', async () => {
    const customer = await signedInCustomer(runtime);
    const responses = await Promise.all([1, 2, 3].map(() => customer.client.post('/api/wallet/security/freeze', {})));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 201]);
    const freezes = await runtime.deps.pool.query('SELECT 1 FROM customer_freezes WHERE customer_id = $1', [customer.id]);
    expect(freezes.rowCount).toBe(1);
  });

  it('still lets a frozen customer sign in, read their history and balances', async () => {
    const customer = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, customer.id, 'CNY', 3_00);
    await customer.client.post('/api/wallet/security/freeze', {});
    const fresh = httpClient(runtime.app);
    expect((await fresh.post('/api/auth/login', { email: customer.email, password: goodPassword })).status).toBe(200);
    expect((await fresh.get('/api/wallet/transactions')).status).toBe(200);
    const balances = await fresh.get('/api/wallet/balances');
    expect(balances.body).toMatchObject({ isFrozen: true, balances: [{ currency: 'CNY', available: { amount: 3_00 }, isFrozen: true }] });
  });

  it('refuses a note that is too long', async () => {
    const customer = await signedInCustomer(runtime);
    const response = await customer.client.post('/api/wallet/security/freeze', { note: 'x'.repeat(501) });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'validation_failed' } });
    expect((await customer.client.get('/api/wallet/security')).body).toMatchObject({ isFrozen: false });
  });
});
