import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { fundCustomer, newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { customerAccountId, systemAccountId } from '../ledger/ledger.repository.js';
import { FrozenAccountError, postEntry } from '../ledger/post-entry.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { freezeCustomer, liftFreeze } from './freeze-customer.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

function freeze(customerId: string) {
  return withTransaction(runtime.deps.pool, (tx) =>
    freezeCustomer(tx, { customerId, reason: 'abnormal_activity', setBy: { type: 'system', rule: 'test' }, at: new Date() }),
  );
}

/** Posts straight to the ledger, no route in between: clearing ↔ customer. */
function post(customerAccount: number, clearingAccount: number, amount: number) {
  return withTransaction(runtime.deps.pool, (tx) =>
    postEntry(tx, {
      kind: 'adjustment',
      postings: [
        { accountId: clearingAccount, amount: -amount },
        { accountId: customerAccount, amount },
      ],
    }),
  );
}

async function accountRow(accountId: number) {
  const result = await runtime.deps.pool.query<{ balance: string; version: string; is_frozen: boolean }>(
    'SELECT balance, version, is_frozen FROM ledger_accounts WHERE id = $1',
    [accountId],
  );
  const row = result.rows[0];
  return { balance: Number(row?.balance), version: Number(row?.version), isFrozen: row?.is_frozen };
}

async function entryCount() {
  const result = await runtime.deps.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM journal_entries');
  return result.rows[0]?.n ?? 0;
}

describe('freezes at the posting layer', () => {
  it('refuses postEntry on a frozen account in either direction and leaves no trace', async () => {
    const customer = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, customer.id, 'CNY', 50_00);
    const account = await customerAccountId(runtime.deps.db, customer.id, 'CNY');
    const clearing = await systemAccountId(runtime.deps.db, 'acquirer_clearing', 'CNY');
    await freeze(customer.id);
    const before = { row: await accountRow(account), entries: await entryCount() };

    for (const amount of [-10_00, 10_00]) {
      const refused = post(account, clearing, amount);
      await expect(refused).rejects.toBeInstanceOf(FrozenAccountError);
      await expect(refused).rejects.toMatchObject({ accountId: account });
    }
    expect(await accountRow(account)).toEqual(before.row);
    expect(await entryCount()).toBe(before.entries);
  });

  it('opens an account in a new currency frozen when the customer is frozen, and refuses posting to it', async () => {
    const customer = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, customer.id, 'CNY', 5_00);
    await freeze(customer.id);
    const euro = await withTransaction(runtime.deps.pool, (tx) => customerAccountId(tx, customer.id, 'EUR'));
    expect((await accountRow(euro)).isFrozen).toBe(true);
    const clearing = await systemAccountId(runtime.deps.db, 'acquirer_clearing', 'EUR');
    await expect(post(euro, clearing, 1_00)).rejects.toMatchObject({ accountId: euro });
    expect(await accountRow(euro)).toMatchObject({ balance: 0, version: 0 });
  });

  it('thaws every account, the new currency too, when the last freeze is lifted', async () => {
    const customer = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, customer.id, 'CNY', 5_00);
    const { freezeId } = await freeze(customer.id);
    const euro = await withTransaction(runtime.deps.pool, (tx) => customerAccountId(tx, customer.id, 'EUR'));
    await withTransaction(runtime.deps.pool, (tx) => liftFreeze(tx, { freezeId, requestId: randomUUID(), at: new Date() }));
    const frozen = await runtime.deps.pool.query('SELECT 1 FROM ledger_accounts WHERE customer_id = $1 AND is_frozen', [customer.id]);
    expect(frozen.rowCount).toBe(0);
    await post(euro, await systemAccountId(runtime.deps.db, 'acquirer_clearing', 'EUR'), 2_00);
    expect((await accountRow(euro)).balance).toBe(2_00);
  });

  it('lets every racing transfer either commit before the freeze or be refused, and the ledger stays whole', async () => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 100_00);
    const aliceAccount = await customerAccountId(runtime.deps.db, alice.id, 'CNY');
    const send = () =>
      alice.client.post(
        '/api/wallet/transfers',
        { recipient: bob.email, amount: 1_00, currency: 'CNY' },
        { 'idempotency-key': newIdempotencyKey() },
      );

    // The freeze gets its own connection so it does not queue behind the transfers for the pool.
    const direct = new pg.Client({ connectionString: runtime.deps.config.databaseUrl });
    await direct.connect();
    const transfers = Array.from({ length: 20 }, send);
    await Promise.race(transfers);
    let versionAtFreeze: number;
    try {
      await direct.query('BEGIN');
      const tx = drizzle(direct as unknown as pg.PoolClient);
      await freezeCustomer(tx, {
        customerId: alice.id,
        reason: 'abnormal_activity',
        setBy: { type: 'system', rule: 'race' },
        at: new Date(),
      });
      // Read under the freeze's row lock: exactly the postings that beat it.
      const row = await direct.query<{ version: string }>('SELECT version FROM ledger_accounts WHERE id = $1', [aliceAccount]);
      versionAtFreeze = Number(row.rows[0]?.version);
      await direct.query('COMMIT');
    } finally {
      await direct.end();
    }
    const responses = await Promise.all(transfers);

    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 201 || status === 423)).toBe(true);
    const committed = statuses.filter((status) => status === 201).length;
    expect(committed).toBeGreaterThanOrEqual(1);
    for (const response of responses.filter((each) => each.status === 423)) {
      expect(response.body).toMatchObject({ error: { code: 'account_frozen' } });
    }
    // No posting touched Alice's account after the freeze: one funding entry plus the committed transfers.
    const after = await accountRow(aliceAccount);
    expect(after.version).toBe(versionAtFreeze);
    expect(versionAtFreeze).toBe(1 + committed);
    expect(after.balance).toBe(100_00 - committed * 1_00);
    const bobAccount = await customerAccountId(runtime.deps.db, bob.id, 'CNY');
    expect((await accountRow(bobAccount)).balance).toBe(committed * 1_00);
    expect((await send()).status).toBe(423);
    const report = await verifyLedger(runtime.deps.db);
    expect(report.problems).toEqual([]);
  });
});
