import { randomUUID } from 'node:crypto';
import type { Locale } from '@okpay/contracts';
import { AppError } from '../../platform/index.js';
import { claimIdempotencyKey, type IdempotencyClaim, type StoredResponse } from '../idempotency/idempotency.js';
import { completeIdempotencyKey } from '../idempotency/idempotency.repository.js';
import { WalletError } from '../wallet.errors.js';
import { answerClaimedTopUp } from './answer-claimed-top-up.js';
import { chargeTopUp, createTopUp, isWithinLimit, singleTopUpCalls, startTopUp, type TopUpDeps, type TopUpInput } from './create-top-up.js';
import type { TopUpBatchers } from './top-up-batchers.js';
import { topUpAnswer } from './top-up-view.js';
import { findTopUpOfKey } from './top-ups.repository.js';

/**
 * A top-up asked for with an Idempotency-Key: the key is claimed and committed before the bank is
 * called, so a duplicate meanwhile hears 409, not a second charge; a repeat afterwards hears the
 * stored answer. A retry of a request that died is answered from the top-up it started, or takes
 * over a claim that never started one. The answer is the top-up itself: 201 credited, 202 waiting
 * for the bank, 402 declined.
 */
export async function topUpOnce(
  deps: TopUpDeps,
  input: Omit<TopUpInput, 'idempotencyKey' | 'claimToken'> & { claim: IdempotencyClaim; locale: Locale },
  batches?: TopUpBatchers,
): Promise<StoredResponse & { isReplay: boolean }> {
  const { claim: ref, locale, ...topUp } = input;
  // A key not seen before, for a card that passes its checks (made in the same call): claimed in the
  // same commit as the pending top-up, and answered in the same commit as the credit. Anything else
  // goes the long way below, which claims the key first (so a refusal for a key already answered
  // replays the answer) and then names the refusal.
  if (isWithinLimit(topUp)) {
    const calls = batches ? { start: batches.start.send, credit: batches.credit.send } : singleTopUpCalls(deps);
    const started = await startTopUp(calls, { ...topUp, idempotencyKey: ref.key }, { token: randomUUID(), requestHash: ref.hash });
    if (typeof started !== 'string') {
      const charged = await chargeTopUp(deps, calls, started, { key: ref.key, locale });
      if (charged.storedAnswer) return { ...charged.storedAnswer, isReplay: false };
      const response = topUpAnswer(charged.topUp, locale);
      await completeIdempotencyKey(deps.db, ref, response, { onlyInProgress: true });
      return { ...response, isReplay: false };
    }
  }
  const claim = await claimIdempotencyKey(deps.db, ref, {
    at: deps.clock.now(),
    staleAfterSeconds: deps.config.reconcileAfterSeconds,
    hasStarted: async (tx) => (await findTopUpOfKey(tx, ref.customerId, ref.key)) !== undefined,
  });
  if (claim.stored) return { ...claim.stored, isReplay: true };
  if (!claim.isOwner) {
    // Another request holds the key (or held it and died): answer from the top-up it started.
    const answer = await answerClaimedTopUp(deps, { customerId: ref.customerId, key: ref.key, locale });
    if (!answer) throw WalletError('idempotency_key_in_progress');
    if (answer.isFinal) await claim.complete(answer.response);
    return { ...answer.response, isReplay: true };
  }
  let created: Awaited<ReturnType<typeof createTopUp>>;
  try {
    created = await createTopUp(deps, { ...topUp, idempotencyKey: ref.key, claimToken: claim.token });
  } catch (error) {
    // Refused before the bank was called: nothing happened, so a corrected retry may reuse the key.
    if (error instanceof AppError && error.status < 500) await claim.release();
    // Failed unexpectedly: if no top-up was recorded, nothing happened either; otherwise the top-up
    // is pending and reconciliation completes the key with its final answer.
    else if (!(await findTopUpOfKey(deps.db, ref.customerId, ref.key))) await claim.release();
    throw error;
  }
  const response = topUpAnswer(created, locale);
  await claim.complete(response);
  return { ...response, isReplay: false };
}
