import type { CardBrand, CurrencyCode, DeclinedTopUp, Locale, Refund, TopUp } from '@okpay/contracts';
import { describeCustomerFailure } from '../failure-reasons.js';

export type TopUpStatus = TopUp['status'];

export type TopUpRow = {
  id: string;
  customer_id: string;
  card_id: string;
  amount: string;
  currency: CurrencyCode;
  status: TopUpStatus;
  /** The bank's real reason, for agents. */
  failure_code: string | null;
  /** What the customer is told (risk declines read as card_declined). */
  failure_code_public: string | null;
  acquirer_reference: string | null;
  idempotency_key: string | null;
  refund_status: string | null;
  refunded_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
  card_brand: CardBrand;
  card_last4: string;
  card_token: string;
};

export const topUpSelect = `
  SELECT t.id, t.customer_id, t.card_id, t.amount, t.currency, t.status, t.failure_code, t.failure_code_public,
         t.acquirer_reference, t.idempotency_key, t.refund_status, t.refunded_at, t.created_at, t.completed_at,
         c.brand AS card_brand, c.last4 AS card_last4, c.acquirer_token AS card_token
  FROM top_ups t JOIN cards c ON c.id = t.card_id`;

/** The top-up as its owner sees it, with the reason and next step when money did not (yet) move. */
export function toTopUpView(row: TopUpRow, locale: Locale): TopUp {
  return {
    id: row.id,
    status: row.status,
    amount: { amount: Number(row.amount), currency: row.currency },
    card: { id: row.card_id, brand: row.card_brand, last4: row.card_last4 },
    failure: describeCustomerFailure(row, locale),
    refund: toRefundView(row),
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

/** Money owed back to the card, or null when nothing is (`not_charged`: the bank kept nothing). */
export function toRefundView(row: { refund_status: string | null; refunded_at: Date | null }): Refund | null {
  if (row.refund_status !== 'pending' && row.refund_status !== 'refunded') return null;
  return { status: row.refund_status, refundedAt: row.refunded_at?.toISOString() ?? null };
}

/** 201 credited, 202 still waiting for the bank, 402 declined (Stripe's "request failed"): the body is the top-up each time. */
export function topUpHttpStatus(row: Pick<TopUpRow, 'status'>): 201 | 202 | 402 {
  return row.status === 'succeeded' ? 201 : row.status === 'pending' ? 202 : 402;
}

/** The answer to a top-up request; a decline also carries its failure as `error`, the shape of every refusal. */
export function topUpAnswer(row: TopUpRow, locale: Locale): { status: 201 | 202 | 402; body: TopUp | DeclinedTopUp } {
  const status = topUpHttpStatus(row);
  const body = toTopUpView(row, locale);
  if (status !== 402 || !body.failure) return { status, body };
  return { status, body: { ...body, error: { code: body.failure.code, message: body.failure.message } } };
}
