import { sql } from 'drizzle-orm';
import { bigint, char, check, index, integer, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customers, staffMembers } from '../../identity/identity.tables.js';

/** Mid-market rates, each currency against USD; cross rates are derived. Editable by admins. */
export const fxRates = pgTable('fx_rates', {
  currency: char('currency', { length: 3 }).primaryKey(),
  unitsPerUsd: numeric('units_per_usd', { precision: 24, scale: 10 }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => staffMembers.id),
});

/** A quote fixes the rate until it expires; executing it is single-use. */
export const fxQuotes = pgTable(
  'fx_quotes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    sourceCurrency: char('source_currency', { length: 3 }).notNull(),
    targetCurrency: char('target_currency', { length: 3 }).notNull(),
    sourceAmount: bigint('source_amount', { mode: 'number' }).notNull(),
    targetAmount: bigint('target_amount', { mode: 'number' }).notNull(),
    /** What the source amount is worth at the mid rate; the difference is the spread we keep. */
    midTargetAmount: bigint('mid_target_amount', { mode: 'number' }).notNull(),
    midRate: numeric('mid_rate', { precision: 30, scale: 12 }).notNull(),
    clientRate: numeric('client_rate', { precision: 30, scale: 12 }).notNull(),
    spreadBps: integer('spread_bps').notNull(),
    status: text('status').notNull().default('open'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    executedAt: timestamp('executed_at', { withTimezone: true }),
    journalEntryId: bigint('journal_entry_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('fx_quotes_customer_idx').on(table.customerId, table.createdAt),
    check('fx_quotes_status_check', sql`${table.status} in ('open', 'executed')`),
    check('fx_quotes_amounts_positive', sql`${table.sourceAmount} > 0 and ${table.targetAmount} > 0`),
  ],
);
