import type { CardBrand, CurrencyCode } from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import { bigint, char, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../../identity/identity.tables.js';

/**
 * Bound bank cards. The PAN is never stored: only the acquirer's token, a keyed HMAC of the PAN
 * for duplicate detection (PCI DSS 3.5.1.1), the BIN and the last four. No CVV column anywhere (3.3.1).
 */
export const cards = pgTable(
  'cards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    acquirerToken: text('acquirer_token').notNull(),
    fingerprint: text('fingerprint').notNull(),
    brand: text('brand').$type<CardBrand>().notNull(),
    bin: char('bin', { length: 6 }).notNull(),
    last4: char('last4', { length: 4 }).notNull(),
    expMonth: integer('exp_month').notNull(),
    expYear: integer('exp_year').notNull(),
    holderName: text('holder_name').notNull(),
    status: text('status').$type<'active' | 'removed'>().notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (table) => [
    index('cards_customer_idx').on(table.customerId),
    uniqueIndex('cards_customer_fingerprint_key').on(table.customerId, table.fingerprint).where(sql`${table.status} = 'active'`),
    check('cards_status_check', sql`${table.status} in ('active', 'removed')`),
  ],
);

/** The sandbox bank's own card vault: what each token will do when charged. */
export const sandboxAcquirerCards = pgTable('sandbox_acquirer_cards', {
  token: text('token').primaryKey(),
  scenario: text('scenario').notNull(),
  brand: text('brand').notNull(),
  last4: char('last4', { length: 4 }).notNull(),
  expMonth: integer('exp_month').notNull(),
  expYear: integer('exp_year').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The sandbox bank's charges, keyed by the caller's idempotency key (the top-up id). */
export const sandboxAcquirerCharges = pgTable('sandbox_acquirer_charges', {
  idempotencyKey: text('idempotency_key').primaryKey(),
  token: text('token').notNull(),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  currency: char('currency', { length: 3 }).$type<CurrencyCode>().notNull(),
  outcome: text('outcome').notNull(),
  reference: text('reference').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  refundReference: text('refund_reference'),
  refundedAt: timestamp('refunded_at', { withTimezone: true }),
});
