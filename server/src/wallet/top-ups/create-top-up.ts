import { randomUUID } from 'node:crypto';
import { type CurrencyCode, formatMinorUnits, type Locale } from '@okpay/contracts';
import { AcquirerTimeoutError } from '../cards/acquirer.js';
import { isCardExpired, monthNumber } from '../cards/card-number.js';
import { CardError, cardRefusal } from '../cards/cards.errors.js';
import { type CardRow, findCard } from '../cards/cards.repository.js';
import type { StoredResponse } from '../idempotency/idempotency.js';
import { maxAmountPerTransaction } from '../limits.js';
import { WalletError } from '../wallet.errors.js';
import type { WalletDeps } from '../wallet-deps.js';
import { type ChargeOutcome, recordChargeOutcome } from './record-charge-outcome.js';
import { topUpAnswer } from './top-up-view.js';
import { TopUpError } from './top-ups.errors.js';
import {
  type CreditOutcome,
  findTopUpWithCard,
  insertPendingTopUps,
  type StartOutcome,
  settlePendingTopUps,
  type TopUpRow,
  type TopUpToCredit,
  type TopUpToStart,
  type TopUpWithCard,
} from './top-ups.repository.js';

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

/** A top-up recorded as pending, and the card the bank is to charge. */
export type StartedTopUp = { topUp: TopUpRow; card: CardRow };

/**
 * Where a top-up's two database calls go: straight to the database, one top-up per call, or to the
 * node's group commits (top-up-batchers.ts), which send concurrent top-ups together.
 */
export type TopUpCalls = {
  start(topUp: TopUpToStart): Promise<StartOutcome>;
  credit(credit: TopUpToCredit): Promise<CreditOutcome>;
};

/** One top-up per database call. */
export function singleTopUpCalls(deps: Pick<TopUpDeps, 'db' | 'clock' | 'config'>): TopUpCalls {
  const only = <T>(answers: T[]) => {
    const [answer] = answers;
    if (answer === undefined) throw new Error('a top-up call returned nothing');
    return answer;
  };
  return {
    start: async (topUp) => only(await insertPendingTopUps(deps.db, [topUp], startedAt(deps))),
    credit: async (credit) => only(await settlePendingTopUps(deps.db, [credit], { requireVerified: true })),
  };
}

/** When a first phase is recorded, and the month its cards must not have expired before (monthNumber). */
export function startedAt(deps: Pick<TopUpDeps, 'clock' | 'config'>): { at: Date; month: number } {
  const at = deps.clock.now();
  return { at, month: monthNumber(at, deps.config.timeZone) };
}

/**
 * Tops up the wallet from a bound card in two phases. First the top-up and its history row commit
 * as pending, so a crash while the bank is talking leaves a record for reconciliation. Then the
 * bank is charged with the top-up id as its idempotency key, and the answer is applied.
 * Every refusal (an AppError) happens before the bank is called.
 */
export async function createTopUp(deps: TopUpDeps, input: TopUpInput): Promise<TopUpWithCard> {
  const calls = singleTopUpCalls(deps);
  await checkTopUpCard(deps, input);
  const started = await startTopUp(calls, input, input.claimToken ? { token: input.claimToken } : undefined);
  if (started === 'key_taken') throw new Error('a top-up without a new claim always starts');
  if (started === 'card_refused') {
    // Removed or expired since it was checked: the check names why.
    await checkTopUpCard(deps, input);
    throw TopUpError('card_removed');
  }
  return (await chargeTopUp(deps, calls, started)).topUp;
}

/** The card to charge, refused when it is someone else's, removed or expired, or the amount is above the limit. */
export async function checkTopUpCard(
  deps: Pick<TopUpDeps, 'db' | 'clock' | 'config'>,
  input: Pick<TopUpInput, 'customerId' | 'cardId' | 'amount' | 'currency'>,
): Promise<CardRow> {
  const card = await findCard(deps.db, input.customerId, input.cardId);
  if (!card) throw CardError('card_not_found');
  if (card.status !== 'active') throw TopUpError('card_removed');
  if (isCardExpired(card, deps.clock.now(), deps.config.timeZone)) throw cardRefusal('expired_card');
  if (!isWithinLimit(input)) {
    const limit = maxAmountPerTransaction[input.currency];
    throw WalletError('amount_too_large', { limit: `${formatMinorUnits(limit, input.currency)} ${input.currency}` });
  }
  return card;
}

/** Whether the amount is within the limit for one top-up in its currency. */
export function isWithinLimit(input: Pick<TopUpInput, 'amount' | 'currency'>): boolean {
  return input.amount <= maxAmountPerTransaction[input.currency];
}

/**
 * The first phase, one commit: the card checked, the pending top-up and its history row, with the
 * request's claim on its key. With `requestHash` the key is claimed now, in the same commit
 * ('key_taken' when it already is: the caller answers from it); with only `token` it was claimed
 * before and must still be held, since a retry may have taken over a claim it thought dead.
 * 'card_refused': the card is not the customer's, removed or expired (checkTopUpCard says which);
 * nothing was written and no key claimed.
 */
export async function startTopUp(
  calls: TopUpCalls,
  input: Pick<TopUpInput, 'customerId' | 'cardId' | 'amount' | 'currency' | 'idempotencyKey'>,
  claim?: { token: string; requestHash?: string },
): Promise<StartedTopUp | 'key_taken' | 'card_refused'> {
  const started = await calls.start({
    id: randomUUID(),
    customerId: input.customerId,
    cardId: input.cardId,
    amount: input.amount,
    currency: input.currency,
    idempotencyKey: input.idempotencyKey,
    claim,
  });
  switch (started.outcome) {
    case 'started':
      return { topUp: started.topUp, card: started.card };
    case 'key_taken':
    case 'card_refused':
      return started.outcome;
    // A frozen account receives nothing, so its card is never charged.
    case 'account_frozen':
      throw WalletError('account_frozen');
    case 'claim_lost':
      throw WalletError('idempotency_key_in_progress');
  }
}

/**
 * The second phase: the bank charged with the top-up id as its idempotency key, and its answer
 * applied. A charge that went through for a verified customer is credited in one call and one
 * commit, with `answer`'s request answered (stored under its key) in that commit; anything else
 * (a decline, no answer, an unverified customer's inflow rule, a freeze meanwhile) is recorded in
 * a transaction of its own and `storedAnswer` is left to the caller.
 */
export async function chargeTopUp(
  deps: TopUpDeps,
  calls: TopUpCalls,
  started: StartedTopUp,
  answer?: { key: string; locale: Locale },
): Promise<{ topUp: TopUpWithCard; storedAnswer?: StoredResponse }> {
  const { topUp, card } = started;
  let outcome: ChargeOutcome;
  try {
    outcome = await deps.acquirer.charge({
      token: card.acquirerToken,
      amount: topUp.amount,
      currency: topUp.currency,
      idempotencyKey: topUp.id,
    });
  } catch (error) {
    // The charge may or may not have happened: never guess, ask the bank again later.
    if (!(error instanceof AcquirerTimeoutError)) deps.logger.error({ err: error, topUpId: topUp.id }, 'acquirer charge failed');
    outcome = { status: 'unknown', error: error instanceof Error ? error.message : String(error) };
  }
  const at = deps.clock.now();
  if (outcome.status === 'succeeded') {
    const credited: TopUpWithCard = {
      topUp: {
        ...topUp,
        status: 'succeeded',
        acquirerReference: outcome.reference,
        completedAt: at,
        lastError: null,
        failureCodePublic: null,
      },
      card: { brand: card.brand, last4: card.last4 },
    };
    const response = answer ? topUpAnswer(credited, answer.locale) : undefined;
    const settled = await calls.credit({
      topUpId: topUp.id,
      acquirerReference: outcome.reference,
      at,
      answer: answer && response ? { key: answer.key, ...response } : undefined,
    });
    if (settled.outcome === 'settled') {
      return { topUp: { ...credited, topUp: { ...credited.topUp, journalEntryId: settled.journalEntryId } }, storedAnswer: response };
    }
  }
  // Declines, lost answers, an unverified customer (the inflow rule), a freeze meanwhile, or a credit
  // someone else made: recorded in a transaction of its own.
  await recordChargeOutcome({ db: deps.db, risk: deps.config.risk, at, logger: deps.logger }, topUp.id, outcome);
  const recorded = await findTopUpWithCard(deps.db, topUp.id);
  if (!recorded) throw new Error(`top-up ${topUp.id} vanished`);
  return { topUp: recorded };
}
