import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateDatabase, migrationsFolder } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { bindTestCard, newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { acquirerClearingSubAccounts } from './ledger.tables.js';
import { verifyLedger } from './verify-ledger.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

/** An empty database on the test server, migrated only up to (and including) `lastMigration`. */
async function databaseMigratedTo(lastMigration: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('databaseAdminUrl');
  const name = `okpay_migration_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const folder = await mkdtemp(path.join(os.tmpdir(), 'okpay-migrations-'));
  await cp(migrationsFolder, folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
  const last = journal.entries.findIndex((entry) => entry.tag === lastMigration);
  if (last < 0) throw new Error(`no migration ${lastMigration}`);
  journal.entries = journal.entries.slice(0, last + 1);
  await writeFile(journalFile, JSON.stringify(journal));
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await migrate(drizzle(client), { migrationsFolder: folder });
  await client.end();
  await rm(folder, { recursive: true, force: true });
  return {
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: adminUrl });
      await again.connect();
      await again.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

describe('acquirer clearing in sub-accounts', () => {
  it('keeps an existing install’s clearing balance and postings on sub-account 0 and adds empty ones beside it', async () => {
    const database = await databaseMigratedTo('0031_transfer-batches');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const customer = await client.query<{ id: string }>(
        "INSERT INTO customers (email, display_name, password_hash) VALUES ('old@okpay.test', 'Old', 'x') RETURNING id",
      );
      const account = await client.query<{ id: string }>(
        "INSERT INTO ledger_accounts (customer_id, currency) VALUES ($1, 'CNY') RETURNING id",
        [customer.rows[0]?.id],
      );
      const clearing = await client.query<{ id: string }>(
        "SELECT id FROM ledger_accounts WHERE system_code = 'acquirer_clearing' AND currency = 'CNY'",
      );
      await client.query("SELECT okpay_post_entry('top_up', 'before the split', '{}', $1::bigint[], $2::bigint[])", [
        [clearing.rows[0]?.id, account.rows[0]?.id],
        [-12_345, 12_345],
      ]);
      await client.end();

      await migrateDatabase(database.url);
      const after = new pg.Client({ connectionString: database.url });
      await after.connect();
      const parts = await after.query<{ id: string; sub_account: number; balance: string; version: string }>(
        "SELECT id, sub_account, balance, version FROM ledger_accounts WHERE system_code = 'acquirer_clearing' AND currency = 'CNY' ORDER BY sub_account",
      );
      const counts = await after.query<{ currency: string; n: number }>(
        "SELECT currency, count(*)::int AS n FROM ledger_accounts WHERE system_code = 'acquirer_clearing' GROUP BY currency",
      );
      const others = await after.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM ledger_accounts WHERE system_code IS NOT NULL AND system_code <> 'acquirer_clearing'",
      );
      await after.end();
      expect(parts.rows[0]).toEqual({ id: clearing.rows[0]?.id, sub_account: 0, balance: '-12345', version: '1' });
      expect(parts.rows.map((row) => row.sub_account)).toEqual(Array.from({ length: acquirerClearingSubAccounts }, (_, index) => index));
      expect(parts.rows.slice(1).every((row) => row.balance === '0' && row.version === '0')).toBe(true);
      expect(counts.rows.every((row) => row.n === acquirerClearingSubAccounts)).toBe(true);
      expect(counts.rows).toHaveLength(6);
      // FX liquidity, FX revenue and fees stay one account per currency.
      expect(others.rows[0]?.n).toBe(18);
    } finally {
      await client.end().catch(() => undefined);
      await database.drop();
    }
  });

  it('spreads concurrent top-ups over the sub-accounts and reports them as one clearing balance', async () => {
    const before = await verifyLedger(runtime.deps.db);
    const clearingBefore = before.systemAccounts.find((account) => account.code === 'acquirer_clearing' && account.currency === 'CNY');
    const customers = await Promise.all(Array.from({ length: 4 }, () => signedInCustomer(runtime)));
    const withCards = await Promise.all(customers.map(async (customer) => ({ ...customer, cardId: await bindTestCard(customer) })));
    const answers = await Promise.all(
      withCards.flatMap((customer) =>
        Array.from({ length: 6 }, () =>
          customer.client.post(
            '/api/wallet/top-ups',
            { cardId: customer.cardId, amount: 1_00, currency: 'CNY' },
            { 'idempotency-key': newIdempotencyKey() },
          ),
        ),
      ),
    );
    const succeeded = answers.filter((answer) => answer.status === 201).length;
    expect(succeeded).toBe(24);
    const used = await runtime.deps.pool.query<{ n: number }>(
      `SELECT count(DISTINCT p.account_id)::int AS n FROM postings p JOIN journal_entries e ON e.id = p.entry_id
       JOIN ledger_accounts a ON a.id = p.account_id WHERE e.kind = 'top_up' AND a.system_code = 'acquirer_clearing'`,
    );
    expect(used.rows[0]?.n).toBeGreaterThan(1);
    const after = await verifyLedger(runtime.deps.db);
    expect(after.problems).toEqual([]);
    expect(after.systemAccounts.find((account) => account.code === 'acquirer_clearing' && account.currency === 'CNY')).toEqual({
      code: 'acquirer_clearing',
      currency: 'CNY',
      subAccounts: acquirerClearingSubAccounts,
      balance: (clearingBefore?.balance ?? 0) - succeeded * 1_00,
    });
  });
});
