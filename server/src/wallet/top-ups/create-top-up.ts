import { type CurrencyCode, formatMinorUnits } from '@okpay/contracts';
import type pg from 'pg';
import type { Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Logger } from '../../platform/logger.js';
import { type Acquirer, AcquirerTimeoutError } from '../cards/acquirer.js';
import { isCardExpired } from '../cards/card-number.js';
import { CardError, cardRefusal } from '../cards/cards.errors.js';
import { findCard } from '../cards/find-card.js';
import { assertClaimHeld } from '../idempotency/idempotency.js';
import { maxAmountPerTransaction } from '../limits.js';
import { WalletError } from '../wallet.errors.js';
import { findTopUp } from './get-top-up.js';
import { type ChargeOutcome, recordChargeOutcome } from './record-charge-outcome.js';
import type { TopUpRow } from './top-up-view.js';
import { TopUpError } from './top-ups.errors.js';

export type TopUpContext = {
  pool: pg.Pool;
  acquirer: Acquirer;
  config: Pick<Config, 'risk' | 'timeZone'>;
  clock: Clock;
  logger: Logger;
};

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
export async function createTopUp(context: TopUpContext, input: TopUpInput): Promise<TopUpRow> {
  const startedAt = context.clock.now();
  const started = await withTransaction(context.pool, async (tx) => {
    const card = await findCard(tx.client, input.customerId, input.cardId);
    if (!card) throw CardError('card_not_found');
    if (card.status !== 'active') throw TopUpError('card_removed');
    if (isCardExpired({ expMonth: card.exp_month, expYear: card.exp_year }, startedAt, context.config.timeZone)) {
      throw cardRefusal('expired_card');
    }
    const limit = maxAmountPerTransaction[input.currency];
    if (input.amount > limit) {
      throw WalletError('amount_too_large', { limit: `${formatMinorUnits(limit, input.currency)} ${input.currency}` });
    }
    // A frozen account receives nothing, so its card is never charged.
    const frozen = await tx.client.query('SELECT 1 FROM customer_freezes WHERE customer_id = $1 AND lifted_at IS NULL LIMIT 1', [
      input.customerId,
    ]);
    if ((frozen.rowCount ?? 0) > 0) throw WalletError('account_frozen');
    // A retry may have taken over a claim it thought dead; then this request must not start a second top-up.
    if (input.claimToken)
      await assertClaimHeld(tx.client, { customerId: input.customerId, key: input.idempotencyKey, token: input.claimToken });
    const inserted = await tx.client.query<{ id: string }>(
      `INSERT INTO top_ups (customer_id, card_id, amount, currency, status, attempts, idempotency_key, created_at)
       VALUES ($1, $2, $3, $4, 'pending', 1, $5, $6) RETURNING id`,
      [input.customerId, card.id, input.amount, input.currency, input.idempotencyKey, startedAt],
    );
    const topUpId = inserted.rows[0]?.id ?? '';
    await tx.client.query(
      `INSERT INTO wallet_transactions (customer_id, type, status, amount, currency, top_up_id, card_last4, details, created_at)
       VALUES ($1, 'top_up', 'pending', $2, $3, $4, $5, $6, $7)`,
      [
        input.customerId,
        input.amount,
        input.currency,
        topUpId,
        card.last4,
        JSON.stringify({ cardId: card.id, brand: card.brand }),
        startedAt,
      ],
    );
    return { topUpId, token: card.acquirer_token };
  });

  let outcome: ChargeOutcome;
  try {
    outcome = await context.acquirer.charge({
      token: started.token,
      amount: input.amount,
      currency: input.currency,
      idempotencyKey: started.topUpId,
    });
  } catch (error) {
    // The charge may or may not have happened: never guess, ask the bank again later.
    if (!(error instanceof AcquirerTimeoutError)) context.logger.error({ err: error, topUpId: started.topUpId }, 'acquirer charge failed');
    outcome = { status: 'unknown', error: error instanceof Error ? error.message : String(error) };
  }
  await recordChargeOutcome(
    { pool: context.pool, risk: context.config.risk, at: context.clock.now(), logger: context.logger },
    started.topUpId,
    outcome,
  );
  const topUp = await findTopUp(context.pool, started.topUpId);
  if (!topUp) throw new Error(`top-up ${started.topUpId} vanished`);
  return topUp;
}
