import { z } from 'zod';
import { refundSchema } from './cards.js';
import { staffRefSchema } from './compliance.js';
import { dateOrInstantSchema } from './dates.js';
import { phoneSchema } from './identity.js';
import { currencySchema, moneySchema, positiveMinorUnitsSchema } from './money.js';

export const balanceSchema = z.object({
  currency: currencySchema,
  available: moneySchema,
  isFrozen: z.boolean(),
});
export const balancesResponseSchema = z.object({ balances: z.array(balanceSchema), isFrozen: z.boolean() });
export type BalancesResponse = z.infer<typeof balancesResponseSchema>;

/** Recipient by email or phone; `recipient` takes either, the named fields one each. */
export const transferRequestSchema = z
  .strictObject({
    recipient: z.string().trim().min(3).max(254).optional(),
    recipientEmail: z.email().max(254).optional(),
    recipientPhone: phoneSchema.optional(),
    amount: positiveMinorUnitsSchema,
    currency: currencySchema,
    note: z.string().trim().max(140).optional(),
  })
  .refine((value) => [value.recipient, value.recipientEmail, value.recipientPhone].filter(Boolean).length === 1, {
    message: 'give exactly one of recipient, recipientEmail or recipientPhone',
    path: ['recipient'],
  });
export type TransferRequest = z.infer<typeof transferRequestSchema>;

export const transferSchema = z.object({
  id: z.string(),
  status: z.literal('succeeded'),
  amount: moneySchema,
  recipient: z.object({ displayName: z.string(), maskedContact: z.string() }),
  note: z.string().nullable(),
  transactionId: z.string(),
  createdAt: z.string(),
});
export type Transfer = z.infer<typeof transferSchema>;

export const fxQuoteRequestSchema = z.strictObject({
  from: currencySchema,
  to: currencySchema,
  amount: positiveMinorUnitsSchema,
});
export type FxQuoteRequest = z.infer<typeof fxQuoteRequestSchema>;

export const fxQuoteSchema = z.object({
  id: z.string(),
  from: currencySchema,
  to: currencySchema,
  sourceAmount: moneySchema,
  amountReceived: moneySchema,
  /** Mid-market rate and the rate you get, as decimal strings: units of `to` per unit of `from`. */
  midRate: z.string(),
  rate: z.string(),
  spreadBps: z.number().int(),
  /** What the spread costs, in the target currency. */
  fee: moneySchema,
  expiresAt: z.string(),
  status: z.enum(['open', 'executed', 'expired']),
});
export type FxQuote = z.infer<typeof fxQuoteSchema>;

/** A mid rate, units of a currency per US dollar, as an exact decimal string (up to 10 decimals). */
export const fxRateSchema = z.object({
  currency: currencySchema,
  unitsPerUsd: z.string(),
  updatedAt: z.string(),
  /** The staff member who set it (id and name); null for the rate shipped with OKPay. */
  updatedBy: z.string().nullable(),
  updatedByName: z.string().nullable(),
});
export const fxRatesResponseSchema = z.object({
  spreadBps: z.number().int(),
  quoteTtlSeconds: z.number().int(),
  /** A change within this many percent of the current rate applies at once; a bigger one needs a second admin. */
  bandPercent: z.number().int(),
  rates: z.array(fxRateSchema),
});
export type FxRates = z.infer<typeof fxRatesResponseSchema>;

export const fxRateChangeStatuses = ['pending', 'approved', 'rejected'] as const;
/** A rate change outside the band, waiting for (or decided by) a second admin. */
export const fxRateChangeSchema = z.object({
  id: z.string(),
  currency: currencySchema,
  fromUnitsPerUsd: z.string().nullable(),
  toUnitsPerUsd: z.string(),
  /** How far it moves the rate, e.g. "-99.99" (null for a currency that had no rate). */
  changePercent: z.string().nullable(),
  status: z.enum(fxRateChangeStatuses),
  proposedBy: staffRefSchema,
  proposalNote: z.string().nullable(),
  proposedAt: z.string(),
  decidedBy: staffRefSchema.nullable(),
  decisionNote: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type FxRateChange = z.infer<typeof fxRateChangeSchema>;
export const fxRateChangeListSchema = z.object({ changes: z.array(fxRateChangeSchema) });

export const setFxRateRequestSchema = z.strictObject({
  unitsPerUsd: z.string().max(30),
  /** Why, kept with a change that needs a second admin. */
  note: z.string().trim().max(500).optional(),
});
/** `applied` at once (within the band), or `pending_approval` by a second admin, with the change to decide. */
export const setFxRateResponseSchema = z.object({
  currency: currencySchema,
  unitsPerUsd: z.string(),
  status: z.enum(['applied', 'pending_approval']),
  change: fxRateChangeSchema.nullable(),
});
export const fxRateDecisionSchema = z.strictObject({ note: z.string().trim().max(500).optional() });
export const fxRateRejectionSchema = z.strictObject({ note: z.string().trim().min(1).max(500) });

export const transactionTypes = ['top_up', 'transfer_out', 'transfer_in', 'exchange'] as const;
export const transactionStatuses = ['pending', 'succeeded', 'failed'] as const;

export const walletTransactionSchema = z.object({
  id: z.string(),
  type: z.enum(transactionTypes),
  status: z.enum(transactionStatuses),
  amount: moneySchema,
  counterAmount: moneySchema.nullable(),
  counterparty: z.string().nullable(),
  note: z.string().nullable(),
  failure: z.object({ code: z.string(), message: z.string(), nextStep: z.string() }).nullable(),
  refund: refundSchema.nullable(),
  cardLast4: z.string().nullable(),
  topUpId: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
export type WalletTransaction = z.infer<typeof walletTransactionSchema>;

export const transactionFiltersSchema = z.strictObject({
  from: dateOrInstantSchema.optional(),
  to: dateOrInstantSchema.optional(),
  type: z.enum(transactionTypes).optional(),
  status: z.enum(transactionStatuses).optional(),
  currency: currencySchema.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type TransactionFilters = z.infer<typeof transactionFiltersSchema>;

export const transactionPageSchema = z.object({
  transactions: z.array(walletTransactionSchema),
  nextCursor: z.string().nullable(),
});
