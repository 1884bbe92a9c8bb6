import { type CurrencyCode, exponentOf, type FxQuote, formatMinorUnits } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { maxAmountPerTransaction } from '../limits.js';
import { WalletError } from '../wallet.errors.js';
import { FxError } from './fx.errors.js';
import { insertFxQuote } from './fx.repository.js';
import { computeQuote } from './fx-math.js';
import { toQuoteView } from './quote-view.js';
import type { RateProvider } from './rate-provider.js';

export type QuoteInput = { customerId: string; from: CurrencyCode; to: CurrencyCode; amount: number; at: Date };

/** Prices an exchange and fixes the rate until the quote expires. */
export async function createFxQuote(
  deps: { db: Queryable; fxRates: RateProvider; config: { fx: { spreadBps: number; quoteTtlSeconds: number } } },
  input: QuoteInput,
): Promise<FxQuote> {
  const settings = deps.config.fx;
  if (input.from === input.to) throw FxError('same_currency');
  const limit = maxAmountPerTransaction[input.from];
  if (input.amount > limit) throw WalletError('amount_too_large', { limit: `${formatMinorUnits(limit, input.from)} ${input.from}` });
  const [sourceUnitsPerUsd, targetUnitsPerUsd] = await Promise.all([
    deps.fxRates.unitsPerUsd(input.from),
    deps.fxRates.unitsPerUsd(input.to),
  ]);
  if (!sourceUnitsPerUsd || !targetUnitsPerUsd) throw FxError('rate_unavailable');
  const math = computeQuote({
    sourceAmount: input.amount,
    sourceExponent: exponentOf(input.from),
    targetExponent: exponentOf(input.to),
    sourceUnitsPerUsd,
    targetUnitsPerUsd,
    spreadBps: settings.spreadBps,
  });
  if (math.targetAmount <= 0) throw FxError('amount_too_small_to_exchange');
  const expiresAt = new Date(input.at.getTime() + settings.quoteTtlSeconds * 1000);
  const row = await insertFxQuote(deps.db, {
    customerId: input.customerId,
    sourceCurrency: input.from,
    targetCurrency: input.to,
    sourceAmount: input.amount,
    targetAmount: math.targetAmount,
    midTargetAmount: math.midTargetAmount,
    midRate: math.midRate,
    clientRate: math.clientRate,
    spreadBps: settings.spreadBps,
    expiresAt,
    createdAt: input.at,
  });
  return toQuoteView(row, input.at);
}
