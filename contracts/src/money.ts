import { z } from 'zod';
import { type CurrencyCode, currencyCodes } from './currency.js';

export * from './currency.js';

export const currencySchema = z.enum(currencyCodes as [CurrencyCode, ...CurrencyCode[]]);

/** Integer minor units: 12.34 CNY is 1234, 500 JPY is 500. Never a float. */
export const minorUnitsSchema = z.number().int().safe();
export const positiveMinorUnitsSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const moneySchema = z.object({ amount: minorUnitsSchema, currency: currencySchema });
export type Money = z.infer<typeof moneySchema>;
