import type pg from 'pg';
import { withTransaction } from '../../platform/db/transaction.js';

export type LedgerProblem = { check: string; detail: Record<string, unknown> };
export type LedgerReport = { isHealthy: boolean; accounts: number; entries: number; postings: number; problems: LedgerProblem[] };

const checks: Array<{ check: string; sql: string }> = [
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
    check: 'balance_chain',
    sql: `SELECT account_id, account_version, balance_after, running FROM (
            SELECT account_id, account_version, balance_after,
                   sum(amount) OVER (PARTITION BY account_id ORDER BY account_version) AS running
            FROM postings) chain
          WHERE balance_after <> running`,
  },
];

/**
 * Recomputes every balance from the journal and checks the double-entry invariants. Runs in one
 * repeatable-read snapshot so concurrent postings cannot make a healthy ledger look broken.
 */
export async function verifyLedger(pool: pg.Pool, limitPerCheck = 20): Promise<LedgerReport> {
  return withTransaction(
    pool,
    async ({ client }) => {
      const problems: LedgerProblem[] = [];
      for (const { check, sql } of checks) {
        const result = await client.query(`${sql} LIMIT ${limitPerCheck}`);
        for (const row of result.rows) problems.push({ check, detail: row });
      }
      const counts = await client.query<{ accounts: string; entries: string; postings: string }>(
        `SELECT (SELECT count(*) FROM ledger_accounts) AS accounts,
              (SELECT count(*) FROM journal_entries) AS entries,
              (SELECT count(*) FROM postings) AS postings`,
      );
      const row = counts.rows[0];
      return {
        isHealthy: problems.length === 0,
        accounts: Number(row?.accounts),
        entries: Number(row?.entries),
        postings: Number(row?.postings),
        problems,
      };
    },
    { isSnapshot: true },
  );
}
