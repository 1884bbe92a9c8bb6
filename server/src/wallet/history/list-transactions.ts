import type { CurrencyCode, Locale, TransactionFilters, WalletTransaction } from '@okpay/contracts';
import type pg from 'pg';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { describeCustomerFailure } from '../failure-reasons.js';
import { toRefundView } from '../top-ups/top-up-view.js';

export type TransactionRow = {
  id: string;
  customer_id: string;
  type: WalletTransaction['type'];
  status: WalletTransaction['status'];
  amount: string;
  currency: CurrencyCode;
  counter_amount: string | null;
  counter_currency: CurrencyCode | null;
  counterparty_name: string | null;
  note: string | null;
  failure_code: string | null;
  failure_code_public: string | null;
  top_up_id: string | null;
  card_last4: string | null;
  refund_status: string | null;
  refunded_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
};

export function toTransactionView(row: TransactionRow, locale: Locale): WalletTransaction {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    amount: { amount: Number(row.amount), currency: row.currency },
    counterAmount:
      row.counter_amount !== null && row.counter_currency ? { amount: Number(row.counter_amount), currency: row.counter_currency } : null,
    counterparty: row.counterparty_name,
    note: row.note,
    failure: describeCustomerFailure(row, locale),
    refund: toRefundView(row),
    cardLast4: row.card_last4,
    topUpId: row.top_up_id,
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

/** Filters the customer's history; newest first, keyset-paginated by (created_at, id). */
export async function queryTransactions(
  db: pg.Pool,
  customerId: string,
  filters: Omit<TransactionFilters, 'limit'> & { limit: number },
  timeZone: string,
): Promise<{ rows: TransactionRow[]; nextCursor: string | null }> {
  const conditions = ['customer_id = $1'];
  const values: unknown[] = [customerId];
  const add = (clause: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(clause(`$${values.length}`));
  };
  if (filters.from) {
    if (filters.from.includes('T')) add((p) => `created_at >= ${p}::timestamptz`, filters.from);
    else add((p) => `created_at >= (${p}::date)::timestamp AT TIME ZONE '${timeZone.replace(/'/g, "''")}'`, filters.from);
  }
  if (filters.to) {
    if (filters.to.includes('T')) add((p) => `created_at <= ${p}::timestamptz`, filters.to);
    else add((p) => `created_at < (${p}::date + 1)::timestamp AT TIME ZONE '${timeZone.replace(/'/g, "''")}'`, filters.to);
  }
  if (filters.type) add((p) => `type = ${p}`, filters.type);
  if (filters.status) add((p) => `status = ${p}`, filters.status);
  if (filters.currency) add((p) => `(currency = ${p} OR counter_currency = ${p})`, filters.currency);
  if (filters.cursor) {
    const cursor = decodeCursor(filters.cursor);
    values.push(cursor.at.toISOString(), cursor.id);
    conditions.push(`(created_at, id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
  }
  values.push(filters.limit + 1);
  const result = await db.query<TransactionRow>(
    `SELECT * FROM wallet_transactions WHERE ${conditions.join(' AND ')}
     ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  const rows = result.rows.slice(0, filters.limit);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: result.rows.length > filters.limit && last ? encodeCursor({ at: last.created_at, id: last.id }) : null };
}

export async function findTransaction(db: pg.Pool, customerId: string, id: string): Promise<TransactionRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const result = await db.query<TransactionRow>('SELECT * FROM wallet_transactions WHERE id = $1 AND customer_id = $2', [id, customerId]);
  return result.rows[0];
}
