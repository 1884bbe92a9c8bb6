import { type CurrencyCode, formatMinorUnits } from '@okpay/contracts';
import { withTransaction } from '../../platform/index.js';
import { AcquirerTimeoutError } from '../cards/acquirer.js';
import { isCardExpired } from '../cards/card-number.js';
import { CardError, cardRefusal } from '../cards/cards.errors.js';
import { findCard } from '../cards/cards.repository.js';
import { hasActiveFreeze } from '../compliance/compliance.repository.js';
import { insertWalletTransaction } from '../history/history.repository.js';
import { assertClaimHeld } from '../idempotency/idempotency.js';
import { maxAmountPerTransaction } from '../limits.js';
import { WalletError } from '../wallet.errors.js';
import type { WalletDeps } from '../wallet-deps.js';
import { type ChargeOutcome, recordChargeOutcome } from './record-charge-outcome.js';
import { TopUpError } from './top-ups.errors.js';
import { findTopUpWithCard, insertTopUp, type TopUpWithCard } from './top-ups.repository.js';

export type TopUpDeps = Pick<WalletDeps, 'db' | 'pool' | 'acquirer' | 'config' | 'clock' | 'logger'>;

export type TopUpInput = {
  customerId: string;
  cardId: string;
  amount: number;
  currency: CurrencyCode;
  idempotencyKey: string;
  /** The request's claim on its Idempotency-Key: the top-up starts only while the claim still holds. */
  claimToken?: string;
};

/**
 * Tops up the wallet from a bound card in two phases. First the top-up and its history row commit
 * as pending, so a crash while the bank is talking leaves a record for reconciliation. Then the
 * bank is charged with the top-up id as its idempotency key, and the answer is applied.
 * Every refusal (an AppError) happens before the bank is called.
 */
export async function createTopUp(deps: TopUpDeps, input: TopUpInput): Promise<TopUpWithCard> {
  const startedAt = deps.clock.now();
  const started = await withTransaction(deps.pool, async (tx) => {
    const card = await findCard(tx, input.customerId, input.cardId);
    if (!card) throw CardError('card_not_found');
    if (card.status !== 'active') throw TopUpError('card_removed');
    if (isCardExpired(card, startedAt, deps.config.timeZone)) throw cardRefusal('expired_card');
    const limit = maxAmountPerTransaction[input.currency];
    if (input.amount > limit) {
      throw WalletError('amount_too_large', { limit: `${formatMinorUnits(limit, input.currency)} ${input.currency}` });
    }
    // A frozen account receives nothing, so its card is never charged.
    if (await hasActiveFreeze(tx, input.customerId)) throw WalletError('account_frozen');
    // A retry may have taken over a claim it thought dead; then this request must not start a second top-up.
    if (input.claimToken) await assertClaimHeld(tx, { customerId: input.customerId, key: input.idempotencyKey, token: input.claimToken });
    const topUp = await insertTopUp(tx, {
      customerId: input.customerId,
      cardId: card.id,
      amount: input.amount,
      currency: input.currency,
      status: 'pending',
      attempts: 1,
      idempotencyKey: input.idempotencyKey,
      createdAt: startedAt,
    });
    await insertWalletTransaction(tx, {
      customerId: input.customerId,
      type: 'top_up',
      status: 'pending',
      amount: input.amount,
      currency: input.currency,
      topUpId: topUp.id,
      cardLast4: card.last4,
      details: { cardId: card.id, brand: card.brand },
      createdAt: startedAt,
    });
    return { topUpId: topUp.id, token: card.acquirerToken };
  });

  let outcome: ChargeOutcome;
  try {
    outcome = await deps.acquirer.charge({
      token: started.token,
      amount: input.amount,
      currency: input.currency,
      idempotencyKey: started.topUpId,
    });
  } catch (error) {
    // The charge may or may not have happened: never guess, ask the bank again later.
    if (!(error instanceof AcquirerTimeoutError)) deps.logger.error({ err: error, topUpId: started.topUpId }, 'acquirer charge failed');
    outcome = { status: 'unknown', error: error instanceof Error ? error.message : String(error) };
  }
  await recordChargeOutcome({ db: deps.db, risk: deps.config.risk, at: deps.clock.now(), logger: deps.logger }, started.topUpId, outcome);
  const topUp = await findTopUpWithCard(deps.db, started.topUpId);
  if (!topUp) throw new Error(`top-up ${started.topUpId} vanished`);
  return topUp;
}
