import type { FxQuote } from '@okpay/contracts';
import type { FxQuoteRow } from './fx.repository.js';

/** Trims a numeric(30,12) to the 8 decimals a quote shows. */
function rateText(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  return `${whole}.${fraction.padEnd(8, '0').slice(0, 8)}`;
}

export function toQuoteView(row: FxQuoteRow, now: Date): FxQuote {
  return {
    id: row.id,
    from: row.sourceCurrency,
    to: row.targetCurrency,
    sourceAmount: { amount: row.sourceAmount, currency: row.sourceCurrency },
    amountReceived: { amount: row.targetAmount, currency: row.targetCurrency },
    midRate: rateText(row.midRate),
    rate: rateText(row.clientRate),
    spreadBps: row.spreadBps,
    fee: { amount: row.midTargetAmount - row.targetAmount, currency: row.targetCurrency },
    expiresAt: row.expiresAt.toISOString(),
    status: row.status === 'executed' ? 'executed' : row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'open',
  };
}
