import type { CurrencyCode } from '@okpay/contracts';

/**
 * Card data as typed, held in memory only while the acquirer tokenizes it. The CVC is sent to the
 * bank once and never stored or logged (PCI DSS 3.3.1, 3.3.1.2).
 */
export type CardDetails = { number: string; expMonth: number; expYear: number; cvc: string; holderName: string };

export type TokenizeResult = { status: 'tokenized'; token: string } | { status: 'refused'; code: string };

export type ChargeRequest = {
  token: string;
  /** Integer minor units. */
  amount: number;
  currency: CurrencyCode;
  /** The top-up id: the bank charges at most once per key and replays the first outcome. */
  idempotencyKey: string;
};

/** `code` is the bank's real reason (lost_card, insufficient_funds, …); customers see a public one. */
export type ChargeResult = { status: 'succeeded'; reference: string } | { status: 'declined'; code: string; reference: string };

export type RefundRequest = {
  /** Which charge to give back: the key it was made with (the top-up id). */
  chargeIdempotencyKey: string;
  /** The refund's own key (`refund:<top-up id>`): asking twice returns the first refund. */
  idempotencyKey: string;
  amount: number;
  currency: CurrencyCode;
};

/** `not_charged`: the bank holds no successful charge under that key, so nothing is owed back. */
export type RefundResult = { status: 'refunded'; reference: string } | { status: 'not_charged' };

/**
 * The bank that turns card numbers into tokens and charges them. Declines are answers, not
 * errors; an unknown outcome (the answer was lost) throws AcquirerTimeoutError, and
 * `findCharge` asks later what happened.
 */
export interface Acquirer {
  tokenize(card: CardDetails): Promise<TokenizeResult>;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** The outcome recorded for the key, or undefined when the bank never received the charge. */
  findCharge(idempotencyKey: string): Promise<ChargeResult | undefined>;
  /** Gives a charge's money back to the card; throws when the bank cannot be reached (try again later). */
  refund(request: RefundRequest): Promise<RefundResult>;
}

/** The request may or may not have reached the bank; only `findCharge` can tell. */
export class AcquirerTimeoutError extends Error {
  constructor(message = 'the acquirer did not answer in time') {
    super(message);
    this.name = 'AcquirerTimeoutError';
  }
}
