import type { CustomerWalletSummary, Locale, SupportPickerItem } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { listCustomerCards } from '../cards/cards.repository.js';
import { findLatestVerifications, listActiveFreezes } from '../compliance/compliance.repository.js';
import { describeFreeze } from '../compliance/customer-texts.js';
import { verificationLevel } from '../compliance/verification-status.js';
import { describeCustomerFailure } from '../failure-reasons.js';
import { listPickerTransactions, listRecentTransactions } from '../history/history.repository.js';
import { toTransactionView } from '../history/list-transactions.js';
import { listCustomerAccounts } from '../ledger/ledger.repository.js';

/**
 * What an agent needs beside a conversation: verification, freezes with their internal notes,
 * balances, cards by last four only, and recent transactions with real failure codes.
 */
export async function customerWalletSummary(db: Queryable, customerId: string, locale: Locale): Promise<CustomerWalletSummary> {
  const [verifications, freezes, accounts, cards, transactions] = await Promise.all([
    findLatestVerifications(db, [customerId]),
    listActiveFreezes(db, customerId),
    listCustomerAccounts(db, customerId),
    listCustomerCards(db, customerId, 20),
    listRecentTransactions(db, customerId, 25),
  ]);
  const latest = verifications.get(customerId);
  return {
    verification: {
      level: verificationLevel(latest),
      latestStatus: latest?.status ?? null,
      submittedAt: latest?.submittedAt.toISOString() ?? null,
    },
    isFrozen: freezes.length > 0,
    freezes: freezes.map((row) => ({
      id: row.id,
      reason: row.reason,
      since: row.createdAt.toISOString(),
      note: row.note,
      setBy: row.setByType,
      rule: row.rule,
      meaning: describeFreeze(row.reason, locale).meaning,
    })),
    balances: accounts.map((row) => ({ currency: row.currency, amount: row.balance, isFrozen: row.isFrozen })),
    cards: cards.map((row) => ({
      id: row.id,
      brand: row.brand,
      last4: row.last4,
      expMonth: row.expMonth,
      expYear: row.expYear,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
    })),
    transactions: transactions.map((row) => {
      // What the customer sees of it, plus the real reason behind a failure.
      const { note: _note, failure, completedAt: _completedAt, ...seen } = toTransactionView(row, locale);
      return { ...seen, failureCode: row.failureCode, failureCodePublic: row.failureCodePublic, failureMessage: failure?.message ?? null };
    }),
  };
}

/** A customer's recent history for the chat picker: failed top-ups first, then the latest of everything. */
export async function supportPickerItems(db: Queryable, customerId: string, locale: Locale): Promise<SupportPickerItem[]> {
  const rows = await listPickerTransactions(db, customerId, 12);
  return rows.map((row) => ({
    transactionId: row.id,
    topUpId: row.topUpId,
    type: row.type,
    status: row.status,
    amount: { amount: row.amount, currency: row.currency },
    cardLast4: row.cardLast4,
    counterparty: row.counterpartyName,
    failure: describeCustomerFailure(row, locale),
    createdAt: row.createdAt.toISOString(),
  }));
}
