import type { CurrencyCode } from '@okpay/contracts';
import type { Config } from '../../platform/config.js';
import type { Tx } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import { applyUnverifiedInflowRule } from '../compliance/risk-rules.js';
import { customerAccountId, systemAccountId } from '../ledger/accounts.js';
import { FrozenAccountError, postEntry } from '../ledger/post-entry.js';

export type SettleResult = 'settled' | 'already_final' | 'account_frozen';

/**
 * Credits a top-up the bank charged: acquirer clearing → the customer's account. The conditional
 * UPDATE is the guard: whoever moves the top-up out of pending first posts the entry, so the route
 * and any number of reconciliation runs credit it exactly once. When the account froze after the
 * top-up started, nothing is posted and the caller fails it instead.
 */
export async function settleTopUp(
  tx: Tx,
  input: { topUpId: string; acquirerReference: string; at: Date; risk: Config['risk'] },
): Promise<SettleResult> {
  await tx.client.query('SAVEPOINT settle_top_up');
  const claimed = await tx.client.query<{ customer_id: string; amount: string; currency: CurrencyCode }>(
    `UPDATE top_ups SET status = 'succeeded', acquirer_reference = $2, completed_at = $3, last_error = NULL, failure_code_public = NULL
     WHERE id = $1 AND status = 'pending' RETURNING customer_id, amount, currency`,
    [input.topUpId, input.acquirerReference, input.at],
  );
  const topUp = claimed.rows[0];
  if (!topUp) return 'already_final';
  const amount = Number(topUp.amount);
  const customerAccount = await customerAccountId(tx.client, topUp.customer_id, topUp.currency);
  const clearing = await systemAccountId(tx.client, 'acquirer_clearing', topUp.currency);
  let entryId: number;
  try {
    entryId = await postEntry(tx.client, {
      kind: 'top_up',
      reference: `top_up:${input.topUpId}`,
      metadata: { acquirerReference: input.acquirerReference },
      postings: [
        { accountId: clearing, amount: -amount },
        { accountId: customerAccount, amount },
      ],
    });
  } catch (error) {
    if (!(error instanceof FrozenAccountError)) throw error;
    await tx.client.query('ROLLBACK TO SAVEPOINT settle_top_up');
    return 'account_frozen';
  }
  await tx.client.query('UPDATE top_ups SET journal_entry_id = $2 WHERE id = $1', [input.topUpId, entryId]);
  await tx.client.query(
    `UPDATE wallet_transactions SET status = 'succeeded', journal_entry_id = $2, completed_at = $3, failure_code = NULL, failure_code_public = NULL
     WHERE top_up_id = $1 AND type = 'top_up'`,
    [input.topUpId, entryId, input.at],
  );
  await publishEvent(tx.client, {
    type: 'wallet.top-up.succeeded',
    subject: { type: 'top_up', id: input.topUpId },
    payload: { topUpId: input.topUpId, customerId: topUp.customer_id, amount, currency: topUp.currency },
  });
  // Money in can trip the unverified-inflow rule; the freeze commits with the credit.
  await applyUnverifiedInflowRule(tx, input.risk, topUp.customer_id, input.at);
  return 'settled';
}
