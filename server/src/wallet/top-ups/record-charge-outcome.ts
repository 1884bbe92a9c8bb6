import type pg from 'pg';
import type { Config } from '../../platform/config.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import type { Logger } from '../../platform/logger.js';
import type { ChargeResult } from '../cards/acquirer.js';
import { failTopUp } from './fail-top-up.js';
import { markRefundNeeded } from './refund-top-ups.js';
import { settleTopUp } from './settle-top-up.js';

/** What we know about a charge: the bank's answer, that it never saw the charge, or nothing yet. */
export type ChargeOutcome = ChargeResult | { status: 'not_found' } | { status: 'unknown'; error: string };

export type OutcomeContext = { pool: pg.Pool; risk: Config['risk']; at: Date; logger: Logger };

/**
 * Applies what the bank said to a pending top-up, in one transaction: credit, fail, or keep
 * waiting (the customer reads "awaiting_bank" and reconciliation asks again later).
 */
export async function recordChargeOutcome(context: OutcomeContext, topUpId: string, outcome: ChargeOutcome): Promise<void> {
  await withTransaction(context.pool, async (tx) => {
    switch (outcome.status) {
      case 'succeeded': {
        const settled = await settleTopUp(tx, { topUpId, acquirerReference: outcome.reference, at: context.at, risk: context.risk });
        if (settled === 'account_frozen') {
          // The money left the card but a frozen account cannot receive it: it goes back to the card.
          await failTopUp(tx, {
            topUpId,
            code: 'account_frozen',
            acquirerReference: outcome.reference,
            at: context.at,
            risk: context.risk,
            isRefundNeeded: true,
          });
        } else if (settled === 'already_final') {
          await flagChargeAfterFailure(tx.client, context.logger, topUpId, outcome.reference);
        }
        return;
      }
      case 'declined':
        await failTopUp(tx, { topUpId, code: outcome.code, acquirerReference: outcome.reference, at: context.at, risk: context.risk });
        return;
      case 'not_found':
        // The bank never received the charge, so nothing was taken: the customer may simply retry.
        await failTopUp(tx, { topUpId, code: 'processing_error', acquirerReference: null, at: context.at, risk: context.risk });
        return;
      case 'unknown':
        await tx.client.query(
          "UPDATE top_ups SET last_error = $2, failure_code_public = 'awaiting_bank' WHERE id = $1 AND status = 'pending'",
          [topUpId, outcome.error.slice(0, 500)],
        );
        await tx.client.query(
          `UPDATE wallet_transactions SET failure_code_public = 'awaiting_bank'
           WHERE top_up_id = $1 AND type = 'top_up' AND status = 'pending'`,
          [topUpId],
        );
        return;
    }
  });
}

/**
 * The bank reports a charge on a top-up we already failed (its answer came after reconciliation
 * gave up on it): the customer paid and got nothing, so the money must go back.
 */
async function flagChargeAfterFailure(client: pg.PoolClient, logger: Logger, topUpId: string, reference: string) {
  const found = await client.query<{ customer_id: string; amount: string; currency: string; failure_code: string | null }>(
    "SELECT customer_id, amount, currency, failure_code FROM top_ups WHERE id = $1 AND status = 'failed'",
    [topUpId],
  );
  const topUp = found.rows[0];
  // account_frozen failures were flagged when they happened.
  if (!topUp || topUp.failure_code === 'account_frozen') return;
  logger.error({ topUpId, acquirerReference: reference }, 'the bank charged a top-up that had already failed; refunding it');
  await markRefundNeeded(client, topUpId);
  await publishEvent(client, {
    type: 'wallet.top-up.refund-needed',
    subject: { type: 'top_up', id: topUpId },
    payload: {
      topUpId,
      customerId: topUp.customer_id,
      amount: Number(topUp.amount),
      currency: topUp.currency,
      acquirerReference: reference,
      reason: 'charged_after_failure',
    },
  });
}
