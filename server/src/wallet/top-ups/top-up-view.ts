import type { DeclinedTopUp, Locale, TopUp } from '@okpay/contracts';
import { describeCustomerFailure, toRefundView } from '../failure-reasons.js';
import type { TopUpWithCard } from './top-ups.repository.js';

/** The top-up as its owner sees it, with the reason and next step when money did not (yet) move. */
export function toTopUpView({ topUp, card }: TopUpWithCard, locale: Locale): TopUp {
  return {
    id: topUp.id,
    status: topUp.status,
    amount: { amount: topUp.amount, currency: topUp.currency },
    card: { id: topUp.cardId, brand: card.brand, last4: card.last4 },
    failure: describeCustomerFailure(topUp, locale),
    refund: toRefundView(topUp),
    createdAt: topUp.createdAt.toISOString(),
    completedAt: topUp.completedAt?.toISOString() ?? null,
  };
}

/** 201 credited, 202 still waiting for the bank, 402 declined (Stripe's "request failed"): the body is the top-up each time. */
export function topUpHttpStatus(row: Pick<TopUpWithCard['topUp'], 'status'>): 201 | 202 | 402 {
  return row.status === 'succeeded' ? 201 : row.status === 'pending' ? 202 : 402;
}

/** The answer to a top-up request; a decline also carries its failure as `error`, the shape of every refusal. */
export function topUpAnswer(row: TopUpWithCard, locale: Locale): { status: 201 | 202 | 402; body: TopUp | DeclinedTopUp } {
  const status = topUpHttpStatus(row.topUp);
  const body = toTopUpView(row, locale);
  if (status !== 402 || !body.failure) return { status, body };
  return { status, body: { ...body, error: { code: body.failure.code, message: body.failure.message } } };
}
