import type { CurrencyCode, TopUp } from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import { bigint, char, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../../identity/identity.tables.js';
import { cards } from '../cards/cards.tables.js';

/** `not_charged`: the bank held no charge, so nothing was owed back after all. */
export type RefundStatus = 'pending' | 'refunded' | 'not_charged';

/** Two-phase top-ups: pending until the acquirer answers (or reconciliation asks it), then succeeded or failed. */
export const topUps = pgTable(
  'top_ups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    cardId: uuid('card_id')
      .notNull()
      .references(() => cards.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).$type<CurrencyCode>().notNull(),
    status: text('status').$type<TopUp['status']>().notNull().default('pending'),
    /** The acquirer's real reason; risk declines show the customer failure_code_public instead. */
    failureCode: text('failure_code'),
    failureCodePublic: text('failure_code_public'),
    acquirerReference: text('acquirer_reference'),
    /** The customer's Idempotency-Key, so reconciliation can store the final answer for a request cut off mid-way. */
    idempotencyKey: text('idempotency_key'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    journalEntryId: bigint('journal_entry_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /**
     * A failed top-up whose money the bank took anyway (the account froze meanwhile, or the charge
     * landed after we gave up): pending until the refund job has it back on the card.
     */
    refundStatus: text('refund_status').$type<RefundStatus>(),
    refundReference: text('refund_reference'),
    refundedAt: timestamp('refunded_at', { withTimezone: true }),
  },
  (table) => [
    index('top_ups_customer_idx').on(table.customerId, table.createdAt),
    index('top_ups_pending_idx').on(table.createdAt).where(sql`${table.status} = 'pending'`),
    check('top_ups_status_check', sql`${table.status} in ('pending', 'succeeded', 'failed')`),
    check('top_ups_amount_positive', sql`${table.amount} > 0`),
    check('top_ups_refund_status_check', sql`${table.refundStatus} in ('pending', 'refunded', 'not_charged')`),
    index('top_ups_refund_pending_idx').on(table.createdAt).where(sql`${table.refundStatus} = 'pending'`),
  ],
);
