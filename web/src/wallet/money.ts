import { type CurrencyCode, currencies, defaultTimeZone, formatInstant, type Locale } from '@okpay/contracts';

export { formatMoney, formatSignedMoney } from '@okpay/contracts';

export function currencyName(currency: CurrencyCode, locale: Locale): string {
  return currencies[currency][locale];
}

/** Basis points as a percentage with two decimals, in integers only: 50 → "0.50%". */
export function formatBasisPoints(basisPoints: number): string {
  const sign = basisPoints < 0 ? '-' : '';
  const absolute = Math.abs(basisPoints);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}%`;
}

let accountTimeZone = defaultTimeZone;

/**
 * Times are shown in the account's time zone, which `/api/me` (or `/api/agent/me`) names: the server
 * reads date filters and writes the CSV statement in that zone, so the page, the filters and the
 * export agree on what "a day" is. China Standard Time until the answer arrives.
 */
export function displayTimeZone(): string {
  return accountTimeZone;
}

export function setDisplayTimeZone(timeZone: string): void {
  accountTimeZone = timeZone;
}

export function formatDateTime(iso: string, locale: Locale): string {
  return formatInstant(iso, locale, accountTimeZone);
}
