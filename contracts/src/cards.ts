import { z } from 'zod';
import { currencySchema, moneySchema, positiveMinorUnitsSchema } from './money.js';

export const cardBrands = ['visa', 'mastercard', 'unionpay', 'amex', 'jcb', 'discover', 'diners'] as const;
export const cardBrandSchema = z.enum(cardBrands);
export type CardBrand = z.infer<typeof cardBrandSchema>;

/**
 * A payment card number's own check: 12–19 digits (the lengths ISO/IEC 7812 allows) whose last is
 * the Luhn (mod 10) check digit. One check for binding a card and for masking numbers in chat.
 */
export function isLuhnValid(pan: string): boolean {
  if (!/^\d{12,19}$/.test(pan)) return false;
  let sum = 0;
  for (let index = 0; index < pan.length; index += 1) {
    let digit = pan.charCodeAt(pan.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * What the customer types to bind a card. Loose on purpose: the server checks the number (Luhn),
 * brand, expiry and CVC in that order and answers each with its own code.
 */
export const bindCardRequestSchema = z.strictObject({
  /** Digits, optionally grouped with spaces or dashes. */
  number: z.string().max(40),
  expMonth: z.number().int().min(1).max(12),
  expYear: z.number().int().min(2000).max(2100),
  cvc: z.string().max(8),
  holderName: z.string().trim().min(1).max(100),
});
export type BindCardRequest = z.infer<typeof bindCardRequestSchema>;

/** A bound card as its owner sees it: the last four digits only. */
export const cardSchema = z.object({
  id: z.string(),
  brand: cardBrandSchema,
  last4: z.string(),
  expMonth: z.number().int(),
  expYear: z.number().int(),
  holderName: z.string(),
  createdAt: z.string(),
});
export type Card = z.infer<typeof cardSchema>;

export const cardListSchema = z.object({ cards: z.array(cardSchema) });

export const topUpRequestSchema = z.strictObject({
  cardId: z.uuid(),
  amount: positiveMinorUnitsSchema,
  currency: currencySchema,
});
export type TopUpRequest = z.infer<typeof topUpRequestSchema>;

export const topUpStatuses = ['pending', 'succeeded', 'failed'] as const;

/** Why money did not move (or not yet), in the caller's language, with what to do next. */
export const topUpFailureSchema = z.object({ code: z.string(), message: z.string(), nextStep: z.string() });

/**
 * A failed top-up whose money the bank took anyway goes back to the card: pending until the bank
 * confirms, then refunded. Null when nothing is owed.
 */
export const refundSchema = z.object({ status: z.enum(['pending', 'refunded']), refundedAt: z.string().nullable() });
export type Refund = z.infer<typeof refundSchema>;

export const topUpSchema = z.object({
  id: z.string(),
  status: z.enum(topUpStatuses),
  amount: moneySchema,
  card: z.object({ id: z.string(), brand: cardBrandSchema, last4: z.string() }),
  failure: topUpFailureSchema.nullable(),
  refund: refundSchema.nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
export type TopUp = z.infer<typeof topUpSchema>;
/** A declined top-up (402) is the top-up itself, with its failure also in the error shape every refusal has. */
export const declinedTopUpSchema = topUpSchema.extend({ error: z.object({ code: z.string(), message: z.string() }) });
export type DeclinedTopUp = z.infer<typeof declinedTopUpSchema>;
