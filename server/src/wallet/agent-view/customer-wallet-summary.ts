import type { CurrencyCode, Locale } from '@okpay/contracts';
import type pg from 'pg';
import type { FreezeReason } from '../compliance/compliance.tables.js';
import { describeFreeze } from '../compliance/customer-texts.js';
import { findLatestVerifications, verificationLevel } from '../compliance/verification-status.js';
import { describeCustomerFailure } from '../failure-reasons.js';
import { listCustomerBalances } from '../ledger/accounts.js';
import { toRefundView } from '../top-ups/top-up-view.js';

export type WalletSummary = {
  verification: { level: string; latestStatus: string | null; submittedAt: string | null };
  isFrozen: boolean;
  freezes: Array<{
    id: string;
    reason: FreezeReason;
    since: string;
    note: string | null;
    setBy: string;
    rule: string | null;
    meaning: string;
  }>;
  balances: Array<{ currency: CurrencyCode; amount: number; isFrozen: boolean }>;
  cards: Array<{ id: string; brand: string; last4: string; expMonth: number; expYear: number; status: string; createdAt: string }>;
  transactions: Array<{
    id: string;
    type: string;
    status: string;
    amount: { amount: number; currency: CurrencyCode };
    counterAmount: { amount: number; currency: CurrencyCode } | null;
    counterparty: string | null;
    /** The real reason (agents see risk codes such as lost_card); the customer saw the public one. */
    failureCode: string | null;
    failureCodePublic: string | null;
    failureMessage: string | null;
    cardLast4: string | null;
    topUpId: string | null;
    createdAt: string;
  }>;
};

/**
 * What an agent needs beside a conversation: verification, freezes with their internal notes,
 * balances, cards by last four only, and recent transactions with real failure codes.
 */
export async function customerWalletSummary(db: pg.Pool, customerId: string, locale: Locale): Promise<WalletSummary> {
  const [verifications, freezes, balances, cards, transactions] = await Promise.all([
    findLatestVerifications(db, [customerId]),
    db.query<{ id: string; reason: FreezeReason; created_at: Date; note: string | null; set_by_type: string; rule: string | null }>(
      'SELECT id, reason, created_at, note, set_by_type, rule FROM customer_freezes WHERE customer_id = $1 AND lifted_at IS NULL ORDER BY created_at',
      [customerId],
    ),
    listCustomerBalances(db, customerId),
    db.query<{ id: string; brand: string; last4: string; exp_month: number; exp_year: number; status: string; created_at: Date }>(
      'SELECT id, brand, last4, exp_month, exp_year, status, created_at FROM cards WHERE customer_id = $1 ORDER BY status, created_at DESC LIMIT 20',
      [customerId],
    ),
    db.query<{
      id: string;
      type: string;
      status: string;
      amount: string;
      currency: CurrencyCode;
      counter_amount: string | null;
      counter_currency: CurrencyCode | null;
      counterparty_name: string | null;
      failure_code: string | null;
      failure_code_public: string | null;
      card_last4: string | null;
      top_up_id: string | null;
      refund_status: string | null;
      refunded_at: Date | null;
      created_at: Date;
    }>('SELECT * FROM wallet_transactions WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT 25', [customerId]),
  ]);
  const latest = verifications.get(customerId);
  return {
    verification: {
      level: verificationLevel(latest),
      latestStatus: latest?.status ?? null,
      submittedAt: latest?.submittedAt.toISOString() ?? null,
    },
    isFrozen: freezes.rows.length > 0,
    freezes: freezes.rows.map((row) => ({
      id: row.id,
      reason: row.reason,
      since: row.created_at.toISOString(),
      note: row.note,
      setBy: row.set_by_type,
      rule: row.rule,
      meaning: describeFreeze(row.reason, locale).meaning,
    })),
    balances: balances.map((row) => ({ currency: row.currency, amount: row.balance, isFrozen: row.isFrozen })),
    cards: cards.rows.map((row) => ({
      id: row.id,
      brand: row.brand,
      last4: row.last4,
      expMonth: row.exp_month,
      expYear: row.exp_year,
      status: row.status,
      createdAt: row.created_at.toISOString(),
    })),
    transactions: transactions.rows.map((row) => ({
      id: row.id,
      type: row.type,
      status: row.status,
      amount: { amount: Number(row.amount), currency: row.currency },
      counterAmount:
        row.counter_amount !== null && row.counter_currency ? { amount: Number(row.counter_amount), currency: row.counter_currency } : null,
      counterparty: row.counterparty_name,
      failureCode: row.failure_code,
      failureCodePublic: row.failure_code_public,
      failureMessage: describeCustomerFailure(row, locale)?.message ?? null,
      refund: toRefundView(row),
      cardLast4: row.card_last4,
      topUpId: row.top_up_id,
      createdAt: row.created_at.toISOString(),
    })),
  };
}

/** A customer's recent history for the chat picker: failed top-ups first, then the latest of everything. */
export async function supportPickerItems(db: pg.Pool, customerId: string, locale: Locale) {
  const result = await db.query<{
    id: string;
    type: string;
    status: string;
    amount: string;
    currency: CurrencyCode;
    failure_code_public: string | null;
    refund_status: string | null;
    top_up_id: string | null;
    card_last4: string | null;
    counterparty_name: string | null;
    created_at: Date;
  }>(
    `SELECT * FROM wallet_transactions WHERE customer_id = $1 AND created_at > now() - interval '90 days'
     ORDER BY (type = 'top_up' AND status = 'failed') DESC, created_at DESC LIMIT 12`,
    [customerId],
  );
  return result.rows.map((row) => ({
    transactionId: row.id,
    topUpId: row.top_up_id,
    type: row.type,
    status: row.status,
    amount: { amount: Number(row.amount), currency: row.currency },
    cardLast4: row.card_last4,
    counterparty: row.counterparty_name,
    failure: describeCustomerFailure(row, locale),
    createdAt: row.created_at.toISOString(),
  }));
}
