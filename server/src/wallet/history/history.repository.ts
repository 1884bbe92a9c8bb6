import { currencies, currencyCodes, type TransactionFilters } from '@okpay/contracts';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { PagePosition, Queryable } from '../../platform/index.js';
import { walletTransactions } from './history.tables.js';

export type TransactionRow = typeof walletTransactions.$inferSelect;

export async function insertWalletTransaction(db: Queryable, values: typeof walletTransactions.$inferInsert): Promise<void> {
  await db.insert(walletTransactions).values(values);
}

/**
 * Brings a top-up's history row in line with the top-up (status, codes, entry, refund). With
 * `onlyWhilePending`, a row that has already reached its outcome is left alone.
 */
export async function updateTopUpTransaction(
  db: Queryable,
  topUpId: string,
  changes: Partial<
    Pick<TransactionRow, 'status' | 'failureCode' | 'failureCodePublic' | 'journalEntryId' | 'completedAt' | 'refundStatus' | 'refundedAt'>
  >,
  options: { onlyWhilePending?: boolean } = {},
): Promise<void> {
  await db
    .update(walletTransactions)
    .set(changes)
    .where(
      and(
        eq(walletTransactions.topUpId, topUpId),
        eq(walletTransactions.type, 'top_up'),
        options.onlyWhilePending ? eq(walletTransactions.status, 'pending') : undefined,
      ),
    );
}

export type TransactionQuery = Omit<TransactionFilters, 'limit' | 'cursor'> & {
  limit: number;
  /** Keyset position: rows strictly older than this (created_at, id). */
  before?: PagePosition;
};

/**
 * The customer's history, newest first, keyset-paginated by (created_at, id). Plain dates are
 * whole days in the operator's time zone; date-times are instants.
 */
export async function listWalletTransactions(
  db: Queryable,
  customerId: string,
  query: TransactionQuery,
  timeZone: string,
): Promise<TransactionRow[]> {
  const day = (date: string, offsetDays: number) => sql`((${date}::date + ${offsetDays}::int)::timestamp AT TIME ZONE ${timeZone})`;
  const table = walletTransactions;
  return db
    .select()
    .from(table)
    .where(
      and(
        eq(table.customerId, customerId),
        query.from
          ? query.from.includes('T')
            ? sql`${table.createdAt} >= ${query.from}::timestamptz`
            : sql`${table.createdAt} >= ${day(query.from, 0)}`
          : undefined,
        query.to
          ? query.to.includes('T')
            ? sql`${table.createdAt} <= ${query.to}::timestamptz`
            : sql`${table.createdAt} < ${day(query.to, 1)}`
          : undefined,
        query.type ? eq(table.type, query.type) : undefined,
        query.status ? eq(table.status, query.status) : undefined,
        query.currency ? sql`(${table.currency} = ${query.currency} OR ${table.counterCurrency} = ${query.currency})` : undefined,
        query.before ? sql`(${table.createdAt}, ${table.id}) < (${query.before.at}::timestamptz, ${query.before.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(table.createdAt), desc(table.id))
    .limit(query.limit);
}

export async function findWalletTransaction(db: Queryable, customerId: string, id: string): Promise<TransactionRow | undefined> {
  const [row] = await db
    .select()
    .from(walletTransactions)
    .where(and(eq(walletTransactions.id, id), eq(walletTransactions.customerId, customerId)));
  return row;
}

/** The latest of everything, newest first: what an agent sees beside a conversation. */
export async function listRecentTransactions(db: Queryable, customerId: string, limit: number): Promise<TransactionRow[]> {
  return db
    .select()
    .from(walletTransactions)
    .where(eq(walletTransactions.customerId, customerId))
    .orderBy(desc(walletTransactions.createdAt), desc(walletTransactions.id))
    .limit(limit);
}

/** The last 90 days for the chat picker: failed top-ups first (what people usually ask about), then the latest. */
export async function listPickerTransactions(db: Queryable, customerId: string, limit: number): Promise<TransactionRow[]> {
  const table = walletTransactions;
  return db
    .select()
    .from(table)
    .where(and(eq(table.customerId, customerId), sql`${table.createdAt} > now() - interval '90 days'`))
    .orderBy(sql`(${table.type} = 'top_up' AND ${table.status} = 'failed') DESC`, desc(table.createdAt))
    .limit(limit);
}

/** SQL for 10^exponent of a currency column, from the one currency table in contracts. */
function minorUnitsPerMajorSql(column: string): string {
  const cases = currencyCodes.map((code) => `WHEN '${code}' THEN ${10 ** currencies[code].exponent}`).join(' ');
  return `(CASE ${column} ${cases} END)`;
}

/**
 * Money that came in to the customer (top-ups and transfers received) since `since`, valued in CNY
 * at mid rates with PostgreSQL's exact numeric arithmetic. On the transfer path: one statement.
 */
export async function sumInflowInCny(db: Queryable, customerId: string, since: Date): Promise<number> {
  const inflow = await db.$client.query<{ total_cny: string | null }>({
    name: 'okpay_inflow_cny',
    text: `SELECT sum(t.amount::numeric / ${minorUnitsPerMajorSql('t.currency')} / r.units_per_usd * cny.units_per_usd)::text AS total_cny
     FROM wallet_transactions t
     JOIN fx_rates r ON r.currency = t.currency
     JOIN fx_rates cny ON cny.currency = 'CNY'
     WHERE t.customer_id = $1 AND t.status = 'succeeded' AND t.type IN ('top_up', 'transfer_in') AND t.created_at >= $2`,
    values: [customerId, since],
  });
  return Number.parseFloat(inflow.rows[0]?.total_cny ?? '0');
}
