import { type Config, publishEvent, type Transaction, withSavepoint } from '../../platform/index.js';
import { applyUnverifiedInflowRule } from '../compliance/risk-rules.js';
import { updateTopUpTransaction } from '../history/history.repository.js';
import { acquirerClearingSubAccount, customerAccountId, systemAccountId } from '../ledger/ledger.repository.js';
import { FrozenAccountError, postEntry } from '../ledger/post-entry.js';
import { claimTopUpSucceeded, setTopUpJournalEntry } from './top-ups.repository.js';

export type SettleResult = 'settled' | 'already_final' | 'account_frozen';

/**
 * Credits a top-up the bank charged: acquirer clearing → the customer's account. The conditional
 * UPDATE is the guard: whoever moves the top-up out of pending first posts the entry, so the route
 * and any number of reconciliation runs credit it exactly once. When the account froze after the
 * top-up started, nothing is posted and the caller fails it instead.
 */
export async function settleTopUp(
  tx: Transaction,
  input: { topUpId: string; acquirerReference: string; at: Date; risk: Config['risk'] },
): Promise<SettleResult> {
  try {
    return await withSavepoint(tx, async () => {
      const topUp = await claimTopUpSucceeded(tx, input.topUpId, { acquirerReference: input.acquirerReference, at: input.at });
      if (!topUp) return 'already_final';
      const customerAccount = await customerAccountId(tx, topUp.customerId, topUp.currency);
      const clearing = await systemAccountId(tx, 'acquirer_clearing', topUp.currency, acquirerClearingSubAccount(input.topUpId));
      const entryId = await postEntry(tx, {
        kind: 'top_up',
        reference: `top_up:${input.topUpId}`,
        metadata: { acquirerReference: input.acquirerReference },
        postings: [
          { accountId: clearing, amount: -topUp.amount },
          { accountId: customerAccount, amount: topUp.amount },
        ],
      });
      await setTopUpJournalEntry(tx, input.topUpId, entryId);
      await updateTopUpTransaction(tx, input.topUpId, {
        status: 'succeeded',
        journalEntryId: entryId,
        completedAt: input.at,
        failureCode: null,
        failureCodePublic: null,
      });
      await publishEvent(tx, {
        type: 'wallet.top-up.succeeded',
        subject: { type: 'top_up', id: input.topUpId },
        payload: { topUpId: input.topUpId, customerId: topUp.customerId, amount: topUp.amount, currency: topUp.currency },
      });
      // Money in can trip the unverified-inflow rule; the freeze commits with the credit.
      await applyUnverifiedInflowRule(tx, input.risk, topUp.customerId, input.at);
      return 'settled';
    });
  } catch (error) {
    // The account froze after the top-up started: the claim is undone and the caller fails it instead.
    if (error instanceof FrozenAccountError) return 'account_frozen';
    throw error;
  }
}
