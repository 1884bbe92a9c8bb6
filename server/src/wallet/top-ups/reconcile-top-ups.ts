import { completeIdempotencyKey } from '../idempotency/idempotency.repository.js';
import type { WalletDeps } from '../wallet-deps.js';
import { type ChargeOutcome, recordChargeOutcome } from './record-charge-outcome.js';
import { type RefundSummary, refundTopUps } from './refund-top-ups.js';
import { topUpAnswer } from './top-up-view.js';
import { countTopUpAttempt, findTopUpWithCard, listPendingTopUpIds, type TopUpWithCard } from './top-ups.repository.js';

export type ReconcileDeps = Pick<WalletDeps, 'db' | 'pool' | 'config' | 'clock' | 'logger' | 'acquirer'>;
export type ReconcileOptions = { olderThanSeconds?: number; limit?: number };
export type ReconcileSummary = { checked: number; succeeded: number; failed: number; stillPending: number } & RefundSummary;

/**
 * Settles top-ups left pending (the bank's answer was lost, or the node stopped mid-way) by asking
 * the bank what happened to each charge, then refunds those the bank charged but we could not
 * credit. Safe to run anywhere, any number of times at once: the conditional updates in settling,
 * failing and refunding let exactly one run finish each top-up.
 */
export async function reconcileTopUps(deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<ReconcileSummary> {
  const olderThanSeconds = options.olderThanSeconds ?? deps.config.reconcileAfterSeconds;
  // Younger top-ups may still be talking to the bank; asking now could fail a charge about to land.
  const cutoff = new Date(deps.clock.now().getTime() - olderThanSeconds * 1000);
  const pending = await listPendingTopUpIds(deps.db, cutoff, options.limit ?? 200);
  const summary = { checked: 0, succeeded: 0, failed: 0, stillPending: 0 };
  for (const id of pending) {
    const found = await reconcileTopUp(deps, id);
    if (!found) continue;
    summary.checked += 1;
    if (found.topUp.status === 'pending') summary.stillPending += 1;
    else if (found.topUp.status === 'succeeded') summary.succeeded += 1;
    else summary.failed += 1;
  }
  // Failures found above (and earlier) whose money the bank kept go back to the card.
  return { ...summary, ...(await refundTopUps(deps, { limit: options.limit })) };
}

/**
 * Asks the bank what happened to one pending top-up and applies the answer. Once the top-up is
 * final, a request cut off before it stored its answer gets that answer stored for its
 * Idempotency-Key, so retries replay it instead of hearing 409 for ever.
 */
export async function reconcileTopUp(deps: ReconcileDeps, topUpId: string): Promise<TopUpWithCard | undefined> {
  await countTopUpAttempt(deps.db, topUpId);
  let outcome: ChargeOutcome;
  try {
    outcome = (await deps.acquirer.findCharge(topUpId)) ?? { status: 'not_found' };
  } catch (error) {
    outcome = { status: 'unknown', error: error instanceof Error ? error.message : String(error) };
  }
  await recordChargeOutcome({ db: deps.db, risk: deps.config.risk, at: deps.clock.now(), logger: deps.logger }, topUpId, outcome);
  const found = await findTopUpWithCard(deps.db, topUpId);
  if (found?.topUp.idempotencyKey && found.topUp.status !== 'pending') {
    await completeIdempotencyKey(
      deps.db,
      { customerId: found.topUp.customerId, key: found.topUp.idempotencyKey },
      topUpAnswer(found, deps.config.defaultLocale),
      { onlyInProgress: true },
    );
  }
  return found;
}
