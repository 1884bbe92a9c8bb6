import type { CurrencyCode } from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import { bigint, char, check, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Customer-to-customer transfers. The customers are named without foreign keys: each key cost every
 * transfer a row lock on the customer (a probe, a lock and a WAL record), the rows are written only
 * by okpay_transfer_batch and okpay_transfer from customers they just found, customers are never
 * deleted, and ledger:verify checks that every transfer names two that exist.
 */
export const transfers = pgTable(
  'transfers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    senderId: uuid('sender_id').notNull(),
    recipientId: uuid('recipient_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).$type<CurrencyCode>().notNull(),
    note: text('note'),
    journalEntryId: bigint('journal_entry_id', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // No index on sender or recipient: a customer's transfers are read from their history
  // (wallet_transactions, by customer), so each would only cost every transfer two more index
  // insertions at random places (bench:ledger: about 2.5 buffer pages each per transfer).
  (table) => [
    check('transfers_not_self', sql`${table.senderId} <> ${table.recipientId}`),
    check('transfers_amount_positive', sql`${table.amount} > 0`),
  ],
);
