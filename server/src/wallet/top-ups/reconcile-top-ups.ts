import type { Locale } from '@okpay/contracts';
import type pg from 'pg';
import type { Deps } from '../../platform/deps.js';
import type { Acquirer } from '../cards/acquirer.js';
import { createAcquirer } from '../cards/create-acquirer.js';
import { findTopUp } from './get-top-up.js';
import { type ChargeOutcome, recordChargeOutcome } from './record-charge-outcome.js';
import { type RefundSummary, refundTopUps } from './refund-top-ups.js';
import { type TopUpRow, topUpHttpStatus, toTopUpView } from './top-up-view.js';

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
    await deps.pool.query('UPDATE top_ups SET attempts = attempts + 1 WHERE id = $1', [id]);
    let outcome: ChargeOutcome;
    try {
      outcome = (await acquirer.findCharge(id)) ?? { status: 'not_found' };
    } catch (error) {
      outcome = { status: 'unknown', error: error instanceof Error ? error.message : String(error) };
    }
    await recordChargeOutcome({ pool: deps.pool, risk: deps.config.risk, at: deps.clock.now(), logger: deps.logger }, id, outcome);
    const topUp = await findTopUp(deps.pool, id);
    if (!topUp) continue;
    summary.checked += 1;
    if (topUp.status === 'pending') summary.stillPending += 1;
    else {
      if (topUp.status === 'succeeded') summary.succeeded += 1;
      else summary.failed += 1;
      await completeIdempotencyKey(deps.pool, topUp, deps.config.defaultLocale);
    }
  }
  // Failures found above (and earlier) whose money the bank kept go back to the card.
  return { ...summary, ...(await refundTopUps(deps, acquirer, { limit: options.limit })) };
}

/**
 * A request cut off before it stored its answer leaves its Idempotency-Key in progress; retries
 * would hear 409 for ever. Once the top-up is final, store the answer the request would have given.
 */
async function completeIdempotencyKey(pool: pg.Pool, topUp: TopUpRow, locale: Locale): Promise<void> {
  if (!topUp.idempotency_key) return;
  await pool.query(
    `UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4, completed_at = now()
     WHERE customer_id = $1 AND key = $2 AND state = 'in_progress'`,
    [topUp.customer_id, topUp.idempotency_key, topUpHttpStatus(topUp), JSON.stringify(toTopUpView(topUp, locale))],
  );
}
