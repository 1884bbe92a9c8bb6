import { type Config, type Database, type Logger, publishEvent, type Transaction, withTransaction } from '../../platform/index.js';
import type { ChargeResult } from '../cards/acquirer.js';
import { updateTopUpTransaction } from '../history/history.repository.js';
import { failTopUp } from './fail-top-up.js';
import { markRefundOwed } from './mark-refund-owed.js';
import { settleTopUp } from './settle-top-up.js';
import { findFailedTopUp, markTopUpAwaitingBank } from './top-ups.repository.js';

/** What we know about a charge: the bank's answer, that it never saw the charge, or nothing yet. */
export type ChargeOutcome = ChargeResult | { status: 'not_found' } | { status: 'unknown'; error: string };

export type OutcomeContext = { db: Database; risk: Config['risk']; at: Date; logger: Logger };

/**
 * Applies what the bank said to a pending top-up, in one transaction: credit, fail, or keep
 * waiting (the customer reads "awaiting_bank" and reconciliation asks again later).
 */
export async function recordChargeOutcome(context: OutcomeContext, topUpId: string, outcome: ChargeOutcome): Promise<void> {
  await withTransaction(context.db.$client, async (tx) => {
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
          await flagChargeAfterFailure(tx, context.logger, topUpId, outcome.reference);
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
        await markTopUpAwaitingBank(tx, topUpId, outcome.error.slice(0, 500));
        await updateTopUpTransaction(tx, topUpId, { failureCodePublic: 'awaiting_bank' }, { onlyWhilePending: true });
        return;
    }
  });
}

/**
 * The bank reports a charge on a top-up we already failed (its answer came after reconciliation
 * gave up on it): the customer paid and got nothing, so the money must go back.
 */
async function flagChargeAfterFailure(tx: Transaction, logger: Logger, topUpId: string, reference: string) {
  const topUp = await findFailedTopUp(tx, topUpId);
  // account_frozen failures were flagged when they happened.
  if (!topUp || topUp.failureCode === 'account_frozen') return;
  logger.error({ topUpId, acquirerReference: reference }, 'the bank charged a top-up that had already failed; refunding it');
  await markRefundOwed(tx, topUpId);
  await publishEvent(tx, {
    type: 'wallet.top-up.refund-needed',
    subject: { type: 'top_up', id: topUpId },
    payload: {
      topUpId,
      customerId: topUp.customerId,
      amount: topUp.amount,
      currency: topUp.currency,
      acquirerReference: reference,
      reason: 'charged_after_failure',
    },
  });
}
