import { publishEvent, withTransaction } from '../../platform/index.js';
import type { Acquirer } from '../cards/acquirer.js';
import { updateTopUpTransaction } from '../history/history.repository.js';
import type { WalletDeps } from '../wallet-deps.js';
import { listTopUpsOwedRefunds, recordTopUpRefund } from './top-ups.repository.js';

export type RefundSummary = { refunded: number; notCharged: number; stillOwed: number };

/**
 * Gives back to the card every top-up marked as owed. The bank refunds at most once per charge
 * (the top-up id is the key), and the conditional update lets one run record it, so any number of
 * runs on any nodes are safe; a bank that cannot be reached leaves the debt for the next run.
 */
export async function refundTopUps(
  deps: Pick<WalletDeps, 'db' | 'pool' | 'clock' | 'logger' | 'acquirer'>,
  options: { limit?: number } = {},
): Promise<RefundSummary> {
  const owed = await listTopUpsOwedRefunds(deps.db, options.limit ?? 200);
  const summary: RefundSummary = { refunded: 0, notCharged: 0, stillOwed: 0 };
  for (const topUp of owed) {
    let result: Awaited<ReturnType<Acquirer['refund']>>;
    try {
      result = await deps.acquirer.refund({
        chargeIdempotencyKey: topUp.id,
        idempotencyKey: `refund:${topUp.id}`,
        amount: topUp.amount,
        currency: topUp.currency,
      });
    } catch (error) {
      deps.logger.warn({ err: error, topUpId: topUp.id }, 'refund to the card failed; it will be tried again');
      summary.stillOwed += 1;
      continue;
    }
    const at = deps.clock.now();
    const status = result.status === 'refunded' ? 'refunded' : 'not_charged';
    const isRecorded = await withTransaction(deps.pool, async (tx) => {
      const recorded = await recordTopUpRefund(tx, topUp.id, {
        status,
        reference: result.status === 'refunded' ? result.reference : null,
        at: status === 'refunded' ? at : null,
      });
      // Another run recorded it first (the bank replayed the same refund to both).
      if (!recorded) return false;
      await updateTopUpTransaction(tx, topUp.id, { refundStatus: status, refundedAt: status === 'refunded' ? at : null });
      await publishEvent(tx, {
        type: status === 'refunded' ? 'wallet.top-up.refunded' : 'wallet.top-up.refund-not-needed',
        subject: { type: 'top_up', id: topUp.id },
        payload: { topUpId: topUp.id, customerId: topUp.customerId, amount: topUp.amount, currency: topUp.currency },
      });
      return true;
    });
    if (!isRecorded) continue;
    if (status === 'refunded') summary.refunded += 1;
    else summary.notCharged += 1;
  }
  return summary;
}
