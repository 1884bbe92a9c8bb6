import { type CurrencyCode, exponentOf, type FxQuote, formatMinorUnits } from '@okpay/contracts';
import type pg from 'pg';
import { maxAmountPerTransaction } from '../limits.js';
import { WalletError } from '../wallet.errors.js';
import { FxError } from './fx.errors.js';
import { computeQuote } from './fx-math.js';
import { type QuoteRow, toQuoteView } from './quote-view.js';
import type { RateProvider } from './rate-provider.js';

export type QuoteInput = { customerId: string; from: CurrencyCode; to: CurrencyCode; amount: number; at: Date };

/** Prices an exchange and fixes the rate until the quote expires. */
export async function createFxQuote(
  db: pg.Pool,
  rates: RateProvider,
  settings: { spreadBps: number; quoteTtlSeconds: number },
  input: QuoteInput,
): Promise<FxQuote> {
  if (input.from === input.to) throw FxError('same_currency');
  const limit = maxAmountPerTransaction[input.from];
  if (input.amount > limit) throw WalletError('amount_too_large', { limit: `${formatMinorUnits(limit, input.from)} ${input.from}` });
  const [sourceUnitsPerUsd, targetUnitsPerUsd] = await Promise.all([rates.unitsPerUsd(input.from), rates.unitsPerUsd(input.to)]);
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
  const result = await db.query<QuoteRow>(
    `INSERT INTO fx_quotes (customer_id, source_currency, target_currency, source_amount, target_amount,
                            mid_target_amount, mid_rate, client_rate, spread_bps, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     RETURNING *`,
    [
      input.customerId,
      input.from,
      input.to,
      input.amount,
      math.targetAmount,
      math.midTargetAmount,
      math.midRate,
      math.clientRate,
      settings.spreadBps,
      expiresAt,
      input.at,
    ],
  );
  const row = result.rows[0];
  if (!row) throw new Error('quote insert returned nothing');
  return toQuoteView(row, input.at);
}
