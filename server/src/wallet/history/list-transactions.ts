import type { Locale, TransactionFilters, WalletTransaction } from '@okpay/contracts';
import { decodeCursor, encodeCursor, type Queryable } from '../../platform/index.js';
import { describeCustomerFailure, toRefundView } from '../failure-reasons.js';
import { WalletError } from '../wallet.errors.js';
import { findWalletTransaction, listWalletTransactions, type TransactionRow } from './history.repository.js';

export type { TransactionRow };

export function toTransactionView(row: TransactionRow, locale: Locale): WalletTransaction {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    amount: { amount: row.amount, currency: row.currency },
    counterAmount: row.counterAmount !== null && row.counterCurrency ? { amount: row.counterAmount, currency: row.counterCurrency } : null,
    counterparty: row.counterpartyName,
    note: row.note,
    failure: describeCustomerFailure(row, locale),
    refund: toRefundView(row),
    cardLast4: row.cardLast4,
    topUpId: row.topUpId,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

/** Filters the customer's history; newest first, keyset-paginated by (created_at, id). */
export async function queryTransactions(
  db: Queryable,
  customerId: string,
  filters: Omit<TransactionFilters, 'limit'> & { limit: number },
  timeZone: string,
): Promise<{ rows: TransactionRow[]; nextCursor: string | null }> {
  const { cursor, limit, ...rest } = filters;
  const found = await listWalletTransactions(
    db,
    customerId,
    { ...rest, limit: limit + 1, ...(cursor ? { before: decodeCursor(cursor) } : {}) },
    timeZone,
  );
  const rows = found.slice(0, limit);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: found.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
}

/** One of the customer's own transactions; another customer's reads as not found. */
export async function getTransaction(db: Queryable, customerId: string, id: string): Promise<TransactionRow> {
  const row = await findWalletTransaction(db, customerId, id);
  if (!row) throw WalletError('transaction_not_found');
  return row;
}
