import { z } from 'zod';
import { refundSchema } from './cards.js';
import { phoneSchema } from './identity.js';
import { currencySchema, moneySchema, positiveMinorUnitsSchema } from './money.js';

export const balanceSchema = z.object({
  currency: currencySchema,
  available: moneySchema,
  isFrozen: z.boolean(),
});
export const balancesResponseSchema = z.object({ balances: z.array(balanceSchema), isFrozen: z.boolean() });

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

const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const transactionFiltersSchema = z.strictObject({
  from: dateOrDateTime.optional(),
  to: dateOrDateTime.optional(),
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
