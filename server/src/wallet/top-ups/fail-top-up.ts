import { type Config, publishEvent, type Transaction } from '../../platform/index.js';
import { applyFailedTopUpRule } from '../compliance/risk-rules.js';
import { publicFailureCode } from '../failure-reasons.js';
import { updateTopUpTransaction } from '../history/history.repository.js';
import { markRefundOwed } from './mark-refund-owed.js';
import { claimTopUpFailed } from './top-ups.repository.js';

export type FailTopUpInput = {
  topUpId: string;
  /** The real reason (lost_card, insufficient_funds, account_frozen, …). */
  code: string;
  acquirerReference: string | null;
  at: Date;
  risk: Config['risk'];
  /** The bank did take the money (the account froze meanwhile): it has to go back to the card. */
  isRefundNeeded?: boolean;
};

/**
 * Fails a pending top-up: the real code stays for agents, the customer reads the public one (risk
 * declines read as card_declined). Guarded like settling, so a top-up ends exactly once.
 */
export async function failTopUp(tx: Transaction, input: FailTopUpInput): Promise<boolean> {
  const publicCode = publicFailureCode(input.code);
  const topUp = await claimTopUpFailed(tx, input.topUpId, {
    failureCode: input.code,
    failureCodePublic: publicCode,
    acquirerReference: input.acquirerReference,
    at: input.at,
  });
  if (!topUp) return false;
  await updateTopUpTransaction(tx, input.topUpId, {
    status: 'failed',
    failureCode: input.code,
    failureCodePublic: publicCode,
    completedAt: input.at,
  });
  await publishEvent(tx, {
    type: 'wallet.top-up.failed',
    subject: { type: 'top_up', id: input.topUpId },
    payload: { topUpId: input.topUpId, customerId: topUp.customerId, code: input.code, publicCode },
  });
  if (input.isRefundNeeded) {
    await markRefundOwed(tx, input.topUpId);
    await publishEvent(tx, {
      type: 'wallet.top-up.refund-needed',
      subject: { type: 'top_up', id: input.topUpId },
      payload: {
        topUpId: input.topUpId,
        customerId: topUp.customerId,
        amount: topUp.amount,
        currency: topUp.currency,
        acquirerReference: input.acquirerReference,
        reason: input.code,
      },
    });
  } else {
    // Many declines in a few minutes look like card testing: the rule may freeze the account.
    await applyFailedTopUpRule(tx, input.risk, topUp.customerId, input.at);
  }
  return true;
}
