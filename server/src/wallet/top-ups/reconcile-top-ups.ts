import type { Deps } from '../../platform/deps.js';
import type { Acquirer } from '../cards/acquirer.js';
import { createAcquirer } from '../cards/create-acquirer.js';
import { completeIdempotencyKey } from '../idempotency/idempotency.js';
import { findTopUp } from './get-top-up.js';
import { type ChargeOutcome, recordChargeOutcome } from './record-charge-outcome.js';
import { type RefundSummary, refundTopUps } from './refund-top-ups.js';
import { type TopUpRow, topUpAnswer } from './top-up-view.js';

export type ReconcileDeps = Pick<Deps, 'pool' | 'config' | 'clock' | 'logger'>;
export type ReconcileOptions = { olderThanSeconds?: number; limit?: number; acquirer?: Acquirer };
export type ReconcileSummary = { checked: number; succeeded: number; failed: number; stillPending: number } & RefundSummary;

/**
 * Settles top-ups left pending (the bank's answer was lost, or the node stopped mid-way) by asking
 * the bank what happened to each charge, then refunds those the bank charged but we could not
 * credit. Safe to run anywhere, any number of times at once: the conditional updates in settling,
 * failing and refunding let exactly one run finish each top-up.
 */
export async function reconcileTopUps(deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<ReconcileSummary> {
  const acquirer = options.acquirer ?? createAcquirer(deps);
  const olderThanSeconds = options.olderThanSeconds ?? deps.config.reconcileAfterSeconds;
  // Younger top-ups may still be talking to the bank; asking now could fail a charge about to land.
  const cutoff = new Date(deps.clock.now().getTime() - olderThanSeconds * 1000);
  const pending = await deps.pool.query<{ id: string }>(
    "SELECT id FROM top_ups WHERE status = 'pending' AND created_at <= $1 ORDER BY created_at LIMIT $2",
    [cutoff, options.limit ?? 200],
  );
  const summary = { checked: 0, succeeded: 0, failed: 0, stillPending: 0 };
  for (const { id } of pending.rows) {
    const topUp = await reconcileTopUp(deps, acquirer, id);
    if (!topUp) continue;
    summary.checked += 1;
    if (topUp.status === 'pending') summary.stillPending += 1;
    else if (topUp.status === 'succeeded') summary.succeeded += 1;
    else summary.failed += 1;
  }
  // Failures found above (and earlier) whose money the bank kept go back to the card.
  return { ...summary, ...(await refundTopUps(deps, acquirer, { limit: options.limit })) };
}

/**
 * Asks the bank what happened to one pending top-up and applies the answer. Once the top-up is
 * final, a request cut off before it stored its answer gets that answer stored for its
 * Idempotency-Key, so retries replay it instead of hearing 409 for ever.
 */
export async function reconcileTopUp(deps: ReconcileDeps, acquirer: Acquirer, topUpId: string): Promise<TopUpRow | undefined> {
  await deps.pool.query('UPDATE top_ups SET attempts = attempts + 1 WHERE id = $1', [topUpId]);
  let outcome: ChargeOutcome;
  try {
    outcome = (await acquirer.findCharge(topUpId)) ?? { status: 'not_found' };
  } catch (error) {
    outcome = { status: 'unknown', error: error instanceof Error ? error.message : String(error) };
  }
  await recordChargeOutcome({ pool: deps.pool, risk: deps.config.risk, at: deps.clock.now(), logger: deps.logger }, topUpId, outcome);
  const topUp = await findTopUp(deps.pool, topUpId);
  if (topUp?.idempotency_key && topUp.status !== 'pending') {
    await completeIdempotencyKey(
      deps.pool,
      { customerId: topUp.customer_id, key: topUp.idempotency_key },
      topUpAnswer(topUp, deps.config.defaultLocale),
    );
  }
  return topUp;
}
