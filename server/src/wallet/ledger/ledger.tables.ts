import type { CurrencyCode } from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  char,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers } from '../../identity/identity.tables.js';

export type SystemAccountCode = 'acquirer_clearing' | 'fx_liquidity' | 'fx_revenue' | 'fees';

/**
 * Acquirer clearing is split into this many sub-accounts per currency (0 … n−1, created by the
 * migrations), so concurrent top-ups do not all queue on one row's lock; reports and
 * `ledger:verify` add them up to the one clearing balance. Other system accounts have only 0.
 */
export const acquirerClearingSubAccounts = 32;
export type EntryKind = 'top_up' | 'transfer' | 'exchange' | 'reversal' | 'adjustment';

/**
 * One account per customer per currency, plus system accounts (acquirer clearing, FX liquidity,
 * FX revenue, fees). Balances change only through `okpay_post_entry`, which locks rows in id order.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: uuid('customer_id').references(() => customers.id),
    systemCode: text('system_code').$type<SystemAccountCode>(),
    /** Which part of a system account split to spread its row locks (0 for everything else). */
    subAccount: integer('sub_account').notNull().default(0),
    currency: char('currency', { length: 3 }).$type<CurrencyCode>().notNull(),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    /** Number of postings; with balance_after on each posting this proves the entry chain. */
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    allowNegative: boolean('allow_negative').notNull().default(false),
    /** Mirrors an active freeze on the customer; checked under the row lock when posting. */
    isFrozen: boolean('is_frozen').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('ledger_accounts_customer_currency_key').on(table.customerId, table.currency).where(sql`${table.customerId} is not null`),
    uniqueIndex('ledger_accounts_system_currency_key')
      .on(table.systemCode, table.currency, table.subAccount)
      .where(sql`${table.systemCode} is not null`),
    check('ledger_accounts_sub_account', sql`${table.subAccount} >= 0 and (${table.systemCode} is not null or ${table.subAccount} = 0)`),
    check('ledger_accounts_owner', sql`(${table.customerId} is null) <> (${table.systemCode} is null)`),
    // Customer money can never go below zero, whatever code path runs.
    check('ledger_accounts_no_overdraft', sql`${table.allowNegative} or ${table.balance} >= 0`),
  ],
);

/** A journal entry: one business event whose postings sum to zero per currency. Append-only. */
export const journalEntries = pgTable(
  'journal_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').$type<EntryKind>().notNull(),
    reference: text('reference'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Entries without a reference (every transfer's) add nothing to the index.
  (table) => [index('journal_entries_reference_idx').on(table.reference).where(sql`${table.reference} IS NOT NULL`)],
);

/**
 * Postings: signed amounts added to an account's balance. Append-only. Entry and account are named
 * without foreign keys (each cost every posting a probe and a row lock): postings are written only by
 * okpay_post_entry and okpay_post_pairs, with their entry in the same statement and on accounts they
 * hold locked; entries are append-only and accounts are never deleted (triggers refuse both), and
 * ledger:verify checks that every posting names an entry and an account that exist.
 */
export const postings = pgTable(
  'postings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryId: bigint('entry_id', { mode: 'number' }).notNull(),
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).$type<CurrencyCode>().notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    balanceAfter: bigint('balance_after', { mode: 'number' }).notNull(),
    accountVersion: bigint('account_version', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('postings_entry_idx').on(table.entryId),
    uniqueIndex('postings_account_version_key').on(table.accountId, table.accountVersion),
    check('postings_nonzero', sql`${table.amount} <> 0`),
  ],
);
