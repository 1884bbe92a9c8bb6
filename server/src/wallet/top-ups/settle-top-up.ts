import type { Config, Transaction } from '../../platform/index.js';
import { applyUnverifiedInflowRule } from '../compliance/risk-rules.js';
import { settlePendingTopUps } from './top-ups.repository.js';

export type SettleResult = 'settled' | 'already_final' | 'account_frozen';

/**
 * Credits a top-up the bank charged: an acquirer-clearing sub-account → the customer's account.
 * Moving the top-up out of pending is the guard: whoever does it first posts the entry, so the
 * route and any number of reconciliation runs credit it exactly once. When the account froze after
 * the top-up started, nothing is posted and the caller fails it instead.
 */
export async function settleTopUp(
  tx: Transaction,
  input: { topUpId: string; acquirerReference: string; at: Date; risk: Config['risk'] },
): Promise<SettleResult> {
  const [settled] = await settlePendingTopUps(tx, [{ topUpId: input.topUpId, acquirerReference: input.acquirerReference, at: input.at }], {
    requireVerified: false,
  });
  if (!settled || settled.outcome === 'unverified') throw new Error(`top-up ${input.topUpId} was not settled`);
  // Money in can trip the unverified-inflow rule; the freeze commits with the credit.
  if (settled.outcome === 'settled' && settled.customerId) await applyUnverifiedInflowRule(tx, input.risk, settled.customerId, input.at);
  return settled.outcome;
}
