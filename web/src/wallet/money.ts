import { type CurrencyCode, currencies, formatMinorUnits, type Locale, type Money } from '@okpay/contracts';

/** "1,234.50 CNY": the code rather than a symbol, since ¥ is both the yuan and the yen. */
export function formatMoney(money: Money): string {
  return `${formatMinorUnits(money.amount, money.currency)} ${money.currency}`;
}

/** "+100.00 CNY" or "−50.00 CNY" (a real minus sign), for amounts that came in or went out. */
export function formatSignedMoney(money: Money): string {
  const sign = money.amount > 0 ? '+' : money.amount < 0 ? '−' : '';
  return `${sign}${formatMoney({ amount: Math.abs(money.amount), currency: money.currency })}`;
}

export function currencyName(currency: CurrencyCode, locale: Locale): string {
  return currencies[currency][locale];
}

/** Basis points as a percentage with two decimals, in integers only: 50 → "0.50%". */
export function formatBasisPoints(basisPoints: number): string {
  const sign = basisPoints < 0 ? '-' : '';
  const absolute = Math.abs(basisPoints);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}%`;
}

/**
 * Times are shown in China Standard Time: the server reads date filters and writes the CSV
 * statement in that zone, so the page, the filters and the export agree on what "a day" is.
 */
export const displayTimeZone = 'Asia/Shanghai';

export function formatDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: displayTimeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}
