import type { CurrencyCode } from '@okpay/contracts';
import type pg from 'pg';
import { withTransaction } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import type { Acquirer } from '../cards/acquirer.js';
import type { ReconcileDeps } from './reconcile-top-ups.js';

/**
 * Marks a failed top-up whose money the bank took anyway as owed back to the card. Called in the
 * transaction that finds out, so the debt is recorded exactly when the failure is.
 */
export async function markRefundNeeded(client: pg.PoolClient, topUpId: string): Promise<void> {
  const marked = await client.query(
    "UPDATE top_ups SET refund_status = 'pending' WHERE id = $1 AND status = 'failed' AND refund_status IS NULL",
    [topUpId],
  );
  if ((marked.rowCount ?? 0) === 0) return;
  await client.query("UPDATE wallet_transactions SET refund_status = 'pending' WHERE top_up_id = $1 AND type = 'top_up'", [topUpId]);
}

export type RefundSummary = { refunded: number; notCharged: number; stillOwed: number };

/**
 * Gives back to the card every top-up marked as owed. The bank refunds at most once per charge
 * (the top-up id is the key), and the conditional update lets one run record it, so any number of
 * runs on any nodes are safe; a bank that cannot be reached leaves the debt for the next run.
 */
export async function refundTopUps(deps: ReconcileDeps, acquirer: Acquirer, options: { limit?: number } = {}): Promise<RefundSummary> {
  const owed = await deps.pool.query<{ id: string; customer_id: string; amount: string; currency: string }>(
    "SELECT id, customer_id, amount, currency FROM top_ups WHERE refund_status = 'pending' ORDER BY created_at LIMIT $1",
    [options.limit ?? 200],
  );
  const summary: RefundSummary = { refunded: 0, notCharged: 0, stillOwed: 0 };
  for (const topUp of owed.rows) {
    let result: Awaited<ReturnType<Acquirer['refund']>>;
    try {
      result = await acquirer.refund({
        chargeIdempotencyKey: topUp.id,
        idempotencyKey: `refund:${topUp.id}`,
        amount: Number(topUp.amount),
        currency: topUp.currency as CurrencyCode,
      });
    } catch (error) {
      deps.logger.warn({ err: error, topUpId: topUp.id }, 'refund to the card failed; it will be tried again');
      summary.stillOwed += 1;
      continue;
    }
    const at = deps.clock.now();
    const status = result.status === 'refunded' ? 'refunded' : 'not_charged';
    const isRecorded = await withTransaction(deps.pool, async (tx) => {
      const recorded = await tx.client.query(
        `UPDATE top_ups SET refund_status = $2, refund_reference = $3, refunded_at = $4
         WHERE id = $1 AND refund_status = 'pending'`,
        [topUp.id, status, result.status === 'refunded' ? result.reference : null, status === 'refunded' ? at : null],
      );
      // Another run recorded it first (the bank replayed the same refund to both).
      if ((recorded.rowCount ?? 0) === 0) return false;
      await tx.client.query(
        "UPDATE wallet_transactions SET refund_status = $2, refunded_at = $3 WHERE top_up_id = $1 AND type = 'top_up'",
        [topUp.id, status, status === 'refunded' ? at : null],
      );
      await publishEvent(tx.client, {
        type: status === 'refunded' ? 'wallet.top-up.refunded' : 'wallet.top-up.refund-not-needed',
        subject: { type: 'top_up', id: topUp.id },
        payload: { topUpId: topUp.id, customerId: topUp.customer_id, amount: Number(topUp.amount), currency: topUp.currency },
      });
      return true;
    });
    if (!isRecorded) continue;
    if (status === 'refunded') summary.refunded += 1;
    else summary.notCharged += 1;
  }
  return summary;
}
