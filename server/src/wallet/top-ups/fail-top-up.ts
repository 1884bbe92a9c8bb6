import type { Config } from '../../platform/config.js';
import type { Tx } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import { applyFailedTopUpRule } from '../compliance/risk-rules.js';
import { publicFailureCode } from '../failure-reasons.js';
import { markRefundNeeded } from './refund-top-ups.js';

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
export async function failTopUp(tx: Tx, input: FailTopUpInput): Promise<boolean> {
  const publicCode = publicFailureCode(input.code);
  const failed = await tx.client.query<{ customer_id: string; amount: string; currency: string }>(
    `UPDATE top_ups SET status = 'failed', failure_code = $2, failure_code_public = $3, acquirer_reference = $4,
                        completed_at = $5, last_error = NULL
     WHERE id = $1 AND status = 'pending' RETURNING customer_id, amount, currency`,
    [input.topUpId, input.code, publicCode, input.acquirerReference, input.at],
  );
  const topUp = failed.rows[0];
  if (!topUp) return false;
  await tx.client.query(
    `UPDATE wallet_transactions SET status = 'failed', failure_code = $2, failure_code_public = $3, completed_at = $4
     WHERE top_up_id = $1 AND type = 'top_up'`,
    [input.topUpId, input.code, publicCode, input.at],
  );
  await publishEvent(tx.client, {
    type: 'wallet.top-up.failed',
    subject: { type: 'top_up', id: input.topUpId },
    payload: { topUpId: input.topUpId, customerId: topUp.customer_id, code: input.code, publicCode },
  });
  if (input.isRefundNeeded) {
    await markRefundNeeded(tx.client, input.topUpId);
    await publishEvent(tx.client, {
      type: 'wallet.top-up.refund-needed',
      subject: { type: 'top_up', id: input.topUpId },
      payload: {
        topUpId: input.topUpId,
        customerId: topUp.customer_id,
        amount: Number(topUp.amount),
        currency: topUp.currency,
        acquirerReference: input.acquirerReference,
        reason: input.code,
      },
    });
  } else {
    // Many declines in a few minutes look like card testing: the rule may freeze the account.
    await applyFailedTopUpRule(tx, input.risk, topUp.customer_id, input.at);
  }
  return true;
}
