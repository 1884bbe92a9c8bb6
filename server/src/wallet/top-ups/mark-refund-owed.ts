import type { Queryable } from '../../platform/index.js';
import { updateTopUpTransaction } from '../history/history.repository.js';
import { markTopUpRefundOwed } from './top-ups.repository.js';

/**
 * Marks a failed top-up whose money the bank took anyway as owed back to the card, and its history
 * row with it. Called in the transaction that finds out, so the debt is recorded exactly when the
 * failure is.
 */
export async function markRefundOwed(db: Queryable, topUpId: string): Promise<void> {
  if (!(await markTopUpRefundOwed(db, topUpId))) return;
  await updateTopUpTransaction(db, topUpId, { refundStatus: 'pending' });
}
