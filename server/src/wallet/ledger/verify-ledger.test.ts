import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { cliScript } from '../../test/cli.js';
import { startTestRuntime } from '../../test/runtime.js';
import { fundCustomer, signedInCustomer } from '../../test/wallet.js';
import { customerAccountId, systemAccountId } from './ledger.repository.js';
import { postEntry } from './post-entry.js';
import { verifyLedger } from './verify-ledger.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

describe('the ledger and its check', () => {
  it('refuses an entry that does not balance and changes nothing', async () => {
    const customer = await signedInCustomer(runtime);
    const before = await verifyLedger(runtime.deps.db);
    await expect(
      withTransaction(runtime.deps.pool, async (tx) => {
        const account = await customerAccountId(tx, customer.id, 'CNY');
        const clearing = await systemAccountId(tx, 'acquirer_clearing', 'CNY');
        await postEntry(tx, {
          kind: 'adjustment',
          postings: [
            { accountId: clearing, amount: -100 },
            { accountId: account, amount: 99 },
          ],
        });
      }),
    ).rejects.toMatchObject({ code: 'ledger_unbalanced' });
    const after = await verifyLedger(runtime.deps.db);
    expect(after.entries).toBe(before.entries);
  });

  it('refuses an entry mixing currencies even when the numbers sum to zero', async () => {
    const customer = await signedInCustomer(runtime);
    await expect(
      withTransaction(runtime.deps.pool, async (tx) => {
        const cny = await customerAccountId(tx, customer.id, 'CNY');
        const usdClearing = await systemAccountId(tx, 'acquirer_clearing', 'USD');
        await postEntry(tx, {
          kind: 'adjustment',
          postings: [
            { accountId: usdClearing, amount: -100 },
            { accountId: cny, amount: 100 },
          ],
        });
      }),
    ).rejects.toMatchObject({ code: 'ledger_unbalanced' });
  });

  it('lets balances change only through the posting function', async () => {
    const customer = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, customer.id, 'CNY', 500);
    await expect(
      runtime.deps.pool.query('UPDATE ledger_accounts SET balance = balance + 1000000 WHERE customer_id = $1', [customer.id]),
    ).rejects.toThrow(/only through okpay_post_entry/);
    await expect(runtime.deps.pool.query('DELETE FROM postings')).rejects.toThrow(/append-only/);
    await expect(runtime.deps.pool.query("UPDATE journal_entries SET kind = 'x'")).rejects.toThrow(/append-only/);
    await expect(runtime.deps.pool.query('DELETE FROM ledger_accounts WHERE customer_id = $1', [customer.id])).rejects.toThrow(
      /append-only/,
    );
  });

  it('finds a balance that no longer matches its postings', async () => {
    const customer = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, customer.id, 'CNY', 700);
    expect((await verifyLedger(runtime.deps.db)).isHealthy).toBe(true);
    // Simulate corruption behind the guards' back (a superuser with triggers off).
    const client = await runtime.deps.pool.connect();
    try {
      await client.query("SET session_replication_role = 'replica'");
      await client.query('UPDATE ledger_accounts SET balance = balance + 1 WHERE customer_id = $1', [customer.id]);
      await client.query("SET session_replication_role = 'origin'");
    } finally {
      client.release();
    }
    const report = await verifyLedger(runtime.deps.db);
    expect(report.isHealthy).toBe(false);
    expect(report.problems.map((problem) => problem.check)).toEqual(
      expect.arrayContaining(['balance_matches_postings', 'currency_sums_to_zero']),
    );
    const cli = spawnSync(process.execPath, [cliScript, 'ledger:verify'], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: runtime.deps.config.databaseUrl,
        DATA_DIR: runtime.deps.config.dataDir,
        LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
    });
    expect(cli.status, cli.stdout + cli.stderr).toBe(1);
    expect(cli.stdout).toContain('LEDGER CHECK FAILED');
    expect(cli.stdout).toContain('balance_matches_postings');
  });

  it('finds postings and money records that name rows which do not exist', async () => {
    const [alice, bob] = await Promise.all([signedInCustomer(runtime), signedInCustomer(runtime)]);
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 500);
    const sent = await alice.client.post(
      '/api/wallet/transfers',
      { recipient: bob.email, amount: 200, currency: 'CNY' },
      { 'idempotency-key': `orphans-${alice.id}` },
    );
    expect(sent.status).toBe(201);
    // Corruption behind the writers' back: a posting on an entry and an account that are not there,
    // a transfer to a customer that is not there.
    const client = await runtime.deps.pool.connect();
    try {
      await client.query("SET session_replication_role = 'replica'");
      await client.query(
        `INSERT INTO postings (entry_id, account_id, currency, amount, balance_after, account_version) VALUES (-1, -1, 'CNY', 1, 1, 1)`,
      );
      await client.query('UPDATE transfers SET recipient_id = gen_random_uuid() WHERE sender_id = $1', [alice.id]);
      await client.query("SET session_replication_role = 'origin'");
    } finally {
      client.release();
    }
    const report = await verifyLedger(runtime.deps.db);
    const found = report.problems.filter((problem) =>
      ['postings_name_existing_rows', 'money_records_name_existing_customers'].includes(problem.check),
    );
    expect(found).toEqual([
      { check: 'postings_name_existing_rows', detail: expect.objectContaining({ entry_id: '-1', account_id: '-1' }) },
      { check: 'money_records_name_existing_customers', detail: { record: 'transfer', id: (sent.body as { id: string }).id } },
    ]);
  });
});
