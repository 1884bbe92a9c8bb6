import type { Locale } from '@okpay/contracts';
import type { Acquirer } from '../cards/acquirer.js';
import type { StoredResponse } from '../idempotency/idempotency.js';
import { findTopUpOfKey } from './get-top-up.js';
import { type ReconcileDeps, reconcileTopUp } from './reconcile-top-ups.js';
import { topUpAnswer } from './top-up-view.js';

export type ClaimedTopUpAnswer = { response: StoredResponse; isFinal: boolean };

/**
 * The answer for a top-up request whose Idempotency-Key another request holds, or held and died
 * with: the top-up that request started. A final top-up answers at once. One still pending after
 * the reconciliation delay is asked about at the bank now, as the minute job would. Undefined
 * while the other request may still be talking to the bank, or has not started a top-up yet (409).
 */
export async function answerClaimedTopUp(
  deps: ReconcileDeps & { acquirer: Acquirer },
  input: { customerId: string; key: string; locale: Locale },
): Promise<ClaimedTopUpAnswer | undefined> {
  let topUp = await findTopUpOfKey(deps.pool, input.customerId, input.key);
  if (!topUp) return undefined;
  if (topUp.status === 'pending') {
    const age = deps.clock.now().getTime() - topUp.created_at.getTime();
    // Younger top-ups may still be talking to the bank; asking now could fail a charge about to land.
    if (age < deps.config.reconcileAfterSeconds * 1000) return undefined;
    topUp = (await reconcileTopUp(deps, deps.acquirer, topUp.id)) ?? topUp;
  }
  return {
    response: topUpAnswer(topUp, input.locale),
    isFinal: topUp.status !== 'pending',
  };
}
