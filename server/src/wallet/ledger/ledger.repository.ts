import type { CurrencyCode } from '@okpay/contracts';
import { and, asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../platform/index.js';
import { type EntryKind, ledgerAccounts, type SystemAccountCode } from './ledger.tables.js';

export type { EntryKind, SystemAccountCode };
export type LedgerAccountRow = typeof ledgerAccounts.$inferSelect;
export type Posting = { accountId: number; amount: number };
export type EntryInput = { kind: EntryKind; reference?: string; metadata?: Record<string, unknown>; postings: Posting[] };

const selectCustomerAccount = 'SELECT id FROM ledger_accounts WHERE customer_id = $1 AND currency = $2';

/**
 * The customer's account in a currency, created on first use. A customer with an active freeze
 * gets a frozen account, so a new currency is no way around a freeze.
 */
export async function customerAccountId(db: Queryable, customerId: string, currency: CurrencyCode): Promise<number> {
  const select = { name: 'okpay_customer_account', text: selectCustomerAccount, values: [customerId, currency] };
  const found = await db.$client.query<{ id: string }>(select);
  if (found.rows[0]) return Number(found.rows[0].id);
  await db.$client.query(
    `INSERT INTO ledger_accounts (customer_id, currency, is_frozen)
     VALUES ($1, $2, EXISTS (SELECT 1 FROM customer_freezes WHERE customer_id = $1 AND lifted_at IS NULL))
     ON CONFLICT (customer_id, currency) WHERE customer_id IS NOT NULL DO NOTHING`,
    [customerId, currency],
  );
  const created = await db.$client.query<{ id: string }>(select);
  return Number(created.rows[0]?.id);
}

/**
 * Several customer accounts for one transaction, created where missing in a fixed
 * (customer, currency) order: two transactions opening each other's accounts would otherwise
 * deadlock on the unique index.
 */
export async function customerAccountIds(db: Queryable, wanted: Array<{ customerId: string; currency: CurrencyCode }>): Promise<number[]> {
  const key = (item: { customerId: string; currency: string }) => `${item.customerId}:${item.currency}`;
  const ids = new Map<string, number>();
  for (const item of [...wanted].sort((left, right) => (key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0))) {
    if (!ids.has(key(item))) ids.set(key(item), await customerAccountId(db, item.customerId, item.currency));
  }
  return wanted.map((item) => ids.get(key(item)) ?? 0);
}

/**
 * System accounts exist for every currency from the migrations on; they may go negative. A split
 * account (acquirer clearing) answers with its sub-account 0 unless another is asked for.
 */
export async function systemAccountId(db: Queryable, code: SystemAccountCode, currency: CurrencyCode, subAccount = 0): Promise<number> {
  const result = await db.$client.query<{ id: string }>({
    name: 'okpay_system_account',
    text: 'SELECT id FROM ledger_accounts WHERE system_code = $1 AND currency = $2 AND sub_account = $3',
    values: [code, currency, subAccount],
  });
  const id = result.rows[0]?.id;
  if (id === undefined) throw new Error(`system account ${code} ${currency} ${subAccount} is missing`);
  return Number(id);
}

/** Each system account's balance in each currency, its sub-accounts added up. */
export async function listSystemAccountTotals(
  db: Queryable,
): Promise<Array<{ code: SystemAccountCode; currency: CurrencyCode; subAccounts: number; balance: number }>> {
  const result = await db.$client.query<{ code: SystemAccountCode; currency: CurrencyCode; sub_accounts: number; balance: string }>(
    `SELECT system_code AS code, currency, count(*)::int AS sub_accounts, sum(balance)::bigint AS balance
     FROM ledger_accounts WHERE system_code IS NOT NULL GROUP BY system_code, currency ORDER BY system_code, currency`,
  );
  return result.rows.map((row) => ({
    code: row.code,
    currency: row.currency,
    subAccounts: row.sub_accounts,
    balance: Number(row.balance),
  }));
}

/** The customer's accounts, one per currency held, in currency order. */
export async function listCustomerAccounts(db: Queryable, customerId: string): Promise<LedgerAccountRow[]> {
  return db.select().from(ledgerAccounts).where(eq(ledgerAccounts.customerId, customerId)).orderBy(asc(ledgerAccounts.currency));
}

/** Marks every account of the customer frozen (or thawed) under its row lock; postings check the flag. */
export async function setCustomerAccountsFrozen(db: Queryable, customerId: string, isFrozen: boolean): Promise<void> {
  await db
    .update(ledgerAccounts)
    .set({ isFrozen })
    .where(and(eq(ledgerAccounts.customerId, customerId), eq(ledgerAccounts.isFrozen, !isFrozen)));
}

/**
 * One balanced entry through okpay_post_entry, which locks the accounts in id order and refuses
 * overdrafts, frozen accounts and unbalanced entries (SQLSTATEs OKP01–OKP05). One round trip.
 */
export async function insertJournalEntry(db: Queryable, entry: EntryInput): Promise<number> {
  const result = await db.$client.query<{ id: string }>({
    name: 'okpay_post_entry',
    text: 'SELECT okpay_post_entry($1, $2, $3, $4::bigint[], $5::bigint[]) AS id',
    values: [
      entry.kind,
      entry.reference ?? null,
      JSON.stringify(entry.metadata ?? {}),
      entry.postings.map((posting) => posting.accountId),
      entry.postings.map((posting) => posting.amount),
    ],
  });
  return Number(result.rows[0]?.id);
}

// ---- Verification (a report: raw SQL over the whole ledger) ------------------------------------

export const ledgerChecks = [
  {
    check: 'balance_matches_postings',
    sql: `SELECT a.id AS account_id, a.currency, a.balance, coalesce(sum(p.amount), 0)::bigint AS from_postings
          FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id
          GROUP BY a.id HAVING a.balance <> coalesce(sum(p.amount), 0)`,
  },
  {
    check: 'version_counts_postings',
    sql: `SELECT a.id AS account_id, a.version, count(p.id) AS postings
          FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id
          GROUP BY a.id HAVING a.version <> count(p.id)`,
  },
  {
    check: 'currency_sums_to_zero',
    sql: `SELECT currency, sum(balance)::bigint AS total FROM ledger_accounts GROUP BY currency HAVING sum(balance) <> 0`,
  },
  {
    check: 'entry_balances_per_currency',
    sql: `SELECT entry_id, currency, sum(amount)::bigint AS total FROM postings GROUP BY entry_id, currency HAVING sum(amount) <> 0`,
  },
  {
    check: 'posting_currency_matches_account',
    sql: `SELECT p.id AS posting_id, p.currency, a.currency AS account_currency
          FROM postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE p.currency <> a.currency`,
  },
  {
    check: 'no_negative_customer_balance',
    sql: `SELECT id AS account_id, customer_id, currency, balance FROM ledger_accounts
          WHERE customer_id IS NOT NULL AND balance < 0`,
  },
  {
    // Postings and the money records name their rows without foreign keys (the writers guarantee them).
    check: 'postings_name_existing_rows',
    sql: `SELECT p.id AS posting_id, p.entry_id, p.account_id FROM postings p
          WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = p.entry_id)
             OR NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = p.account_id)`,
  },
  {
    check: 'money_records_name_existing_customers',
    sql: `SELECT 'transfer' AS record, t.id FROM transfers t
          WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = t.sender_id)
             OR NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = t.recipient_id)
          UNION ALL
          SELECT 'wallet_transaction', w.id FROM wallet_transactions w
          WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = w.customer_id)
             OR (w.counterparty_customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = w.counterparty_customer_id))`,
  },
  {
    check: 'balance_chain',
    sql: `SELECT account_id, account_version, balance_after, running FROM (
            SELECT account_id, account_version, balance_after,
                   sum(amount) OVER (PARTITION BY account_id ORDER BY account_version) AS running
            FROM postings) chain
          WHERE balance_after <> running`,
  },
] as const;

export type LedgerCheck = (typeof ledgerChecks)[number]['check'];

/** Up to `limit` rows that break one invariant. */
export async function findLedgerViolations(db: Queryable, check: LedgerCheck, limit: number): Promise<Array<Record<string, unknown>>> {
  const found = ledgerChecks.find((candidate) => candidate.check === check);
  if (!found) throw new Error(`unknown ledger check ${check}`);
  const result = await db.$client.query(`${found.sql} LIMIT $1`, [limit]);
  return result.rows;
}

export async function countLedger(db: Queryable): Promise<{ accounts: number; entries: number; postings: number }> {
  const counts = await db.$client.query<{ accounts: string; entries: string; postings: string }>(
    `SELECT (SELECT count(*) FROM ledger_accounts) AS accounts,
            (SELECT count(*) FROM journal_entries) AS entries,
            (SELECT count(*) FROM postings) AS postings`,
  );
  const row = counts.rows[0];
  return { accounts: Number(row?.accounts), entries: Number(row?.entries), postings: Number(row?.postings) };
}
