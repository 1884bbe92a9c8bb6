import type { CurrencyCode, FxQuote } from '@okpay/contracts';

export type QuoteRow = {
  id: string;
  source_currency: CurrencyCode;
  target_currency: CurrencyCode;
  source_amount: string | number;
  target_amount: string | number;
  mid_target_amount: string | number;
  mid_rate: string;
  client_rate: string;
  spread_bps: number;
  status: 'open' | 'executed';
  expires_at: Date;
};

/** Trims a numeric(30,12) to the 8 decimals a quote shows. */
function rateText(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  return `${whole}.${fraction.padEnd(8, '0').slice(0, 8)}`;
}

export function toQuoteView(row: QuoteRow, now: Date): FxQuote {
  const targetAmount = Number(row.target_amount);
  return {
    id: row.id,
    from: row.source_currency,
    to: row.target_currency,
    sourceAmount: { amount: Number(row.source_amount), currency: row.source_currency },
    amountReceived: { amount: targetAmount, currency: row.target_currency },
    midRate: rateText(row.mid_rate),
    rate: rateText(row.client_rate),
    spreadBps: row.spread_bps,
    fee: { amount: Number(row.mid_target_amount) - targetAmount, currency: row.target_currency },
    expiresAt: row.expires_at.toISOString(),
    status: row.status === 'executed' ? 'executed' : row.expires_at.getTime() <= now.getTime() ? 'expired' : 'open',
  };
}
