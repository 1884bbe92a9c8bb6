import type { Locale } from '@okpay/contracts';
import type { StoredResponse } from '../idempotency/idempotency.js';
import { type ReconcileDeps, reconcileTopUp } from './reconcile-top-ups.js';
import { topUpAnswer } from './top-up-view.js';
import { findTopUpOfKey } from './top-ups.repository.js';

export type ClaimedTopUpAnswer = { response: StoredResponse; isFinal: boolean };

/**
 * The answer for a top-up request whose Idempotency-Key another request holds, or held and died
 * with: the top-up that request started. A final top-up answers at once. One still pending after
 * the reconciliation delay is asked about at the bank now, as the minute job would. Undefined
 * while the other request may still be talking to the bank, or has not started a top-up yet (409).
 */
export async function answerClaimedTopUp(
  deps: ReconcileDeps,
  input: { customerId: string; key: string; locale: Locale },
): Promise<ClaimedTopUpAnswer | undefined> {
  let found = await findTopUpOfKey(deps.db, input.customerId, input.key);
  if (!found) return undefined;
  if (found.topUp.status === 'pending') {
    const age = deps.clock.now().getTime() - found.topUp.createdAt.getTime();
    // Younger top-ups may still be talking to the bank; asking now could fail a charge about to land.
    if (age < deps.config.reconcileAfterSeconds * 1000) return undefined;
    found = (await reconcileTopUp(deps, found.topUp.id)) ?? found;
  }
  return {
    response: topUpAnswer(found, input.locale),
    isFinal: found.topUp.status !== 'pending',
  };
}
