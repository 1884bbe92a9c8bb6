import type { CurrencyCode } from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import { bigint, char, check, index, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers, staffMembers } from '../../identity/identity.tables.js';

/** Mid-market rates, each currency against USD; cross rates are derived. Editable by admins. */
export const fxRates = pgTable('fx_rates', {
  currency: char('currency', { length: 3 }).$type<CurrencyCode>().primaryKey(),
  unitsPerUsd: numeric('units_per_usd', { precision: 24, scale: 10 }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => staffMembers.id),
});

/**
 * A rate change too far from the current rate to apply on one admin's word: it waits for a second
 * admin (maker ≠ checker, enforced by a CHECK), one pending change per currency at a time.
 */
export const fxRateChanges = pgTable(
  'fx_rate_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    currency: char('currency', { length: 3 }).$type<CurrencyCode>().notNull(),
    /** The rate the change was proposed against (null for a currency without one); approval needs it unchanged. */
    fromUnitsPerUsd: numeric('from_units_per_usd', { precision: 24, scale: 10 }),
    toUnitsPerUsd: numeric('to_units_per_usd', { precision: 24, scale: 10 }).notNull(),
    status: text('status').$type<'pending' | 'approved' | 'rejected'>().notNull().default('pending'),
    proposedBy: uuid('proposed_by')
      .notNull()
      .references(() => staffMembers.id),
    proposalNote: text('proposal_note'),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid('decided_by').references(() => staffMembers.id),
    decisionNote: text('decision_note'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('fx_rate_changes_one_pending_key').on(table.currency).where(sql`${table.status} = 'pending'`),
    index('fx_rate_changes_proposed_idx').on(table.proposedAt),
    check('fx_rate_changes_status_check', sql`${table.status} in ('pending', 'approved', 'rejected')`),
    check('fx_rate_changes_four_eyes', sql`${table.decidedBy} is null or ${table.decidedBy} <> ${table.proposedBy}`),
    check('fx_rate_changes_positive', sql`${table.toUnitsPerUsd} > 0`),
  ],
);

/** A quote fixes the rate until it expires; executing it is single-use. */
export const fxQuotes = pgTable(
  'fx_quotes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    sourceCurrency: char('source_currency', { length: 3 }).$type<CurrencyCode>().notNull(),
    targetCurrency: char('target_currency', { length: 3 }).$type<CurrencyCode>().notNull(),
    sourceAmount: bigint('source_amount', { mode: 'number' }).notNull(),
    targetAmount: bigint('target_amount', { mode: 'number' }).notNull(),
    /** What the source amount is worth at the mid rate; the difference is the spread we keep. */
    midTargetAmount: bigint('mid_target_amount', { mode: 'number' }).notNull(),
    midRate: numeric('mid_rate', { precision: 30, scale: 12 }).notNull(),
    clientRate: numeric('client_rate', { precision: 30, scale: 12 }).notNull(),
    spreadBps: integer('spread_bps').notNull(),
    status: text('status').$type<'open' | 'executed'>().notNull().default('open'),
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
