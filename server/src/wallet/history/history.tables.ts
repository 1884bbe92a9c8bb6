import type { CurrencyCode, WalletTransaction } from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import { bigint, char, check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { RefundStatus } from '../top-ups/top-ups.tables.js';

/**
 * The customer's transaction history: one row per thing the customer sees (a top-up, a transfer
 * sent or received, an exchange), written in the same database transaction as its postings.
 * Customers are named without foreign keys, as in transfers (ledger:verify checks them).
 */
export const walletTransactions = pgTable(
  'wallet_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id').notNull(),
    type: text('type').$type<WalletTransaction['type']>().notNull(),
    status: text('status').$type<WalletTransaction['status']>().notNull(),
    /** Signed minor units from the customer's point of view: money in is positive. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).$type<CurrencyCode>().notNull(),
    /** The other leg of an exchange (money received). */
    counterAmount: bigint('counter_amount', { mode: 'number' }),
    counterCurrency: char('counter_currency', { length: 3 }).$type<CurrencyCode>(),
    counterpartyCustomerId: uuid('counterparty_customer_id'),
    counterpartyName: text('counterparty_name'),
    note: text('note'),
    /** The real reason code (agents see it); the customer sees failure_code_public. */
    failureCode: text('failure_code'),
    failureCodePublic: text('failure_code_public'),
    topUpId: uuid('top_up_id'),
    transferId: uuid('transfer_id'),
    fxQuoteId: uuid('fx_quote_id'),
    cardLast4: text('card_last4'),
    journalEntryId: bigint('journal_entry_id', { mode: 'number' }),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** For a failed top-up whose money the bank did take: pending until it is back on the card. */
    refundStatus: text('refund_status').$type<RefundStatus>(),
    refundedAt: timestamp('refunded_at', { withTimezone: true }),
  },
  (table) => [
    index('wallet_transactions_customer_created_idx').on(table.customerId, table.createdAt.desc(), table.id.desc()),
    // Only top-ups have one: transfers and exchanges add nothing to this index.
    index('wallet_transactions_top_up_idx').on(table.topUpId).where(sql`${table.topUpId} IS NOT NULL`),
    check('wallet_transactions_type_check', sql`${table.type} in ('top_up', 'transfer_out', 'transfer_in', 'exchange')`),
    check('wallet_transactions_status_check', sql`${table.status} in ('pending', 'succeeded', 'failed')`),
  ],
);
