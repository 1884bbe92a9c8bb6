import type { Locale } from '@okpay/contracts';
import { formatInstant } from '@okpay/contracts/format';

/** zh-CN unless the host page says it is in English; `setLocale` overrides both. */
export function detectLocale(htmlLang: string | null | undefined): Locale {
  return htmlLang?.trim().toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** Whole minutes, rounded up: "about 1 minute" for 20 seconds rather than a falsely precise "0". */
export function waitMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

export { formatMoney } from '@okpay/contracts/format';

/** A message's time ("16:05") in the account's zone. */
export function formatTime(iso: string, locale: Locale, timeZone: string): string {
  return formatInstant(iso, locale, timeZone, 'time');
}

/** A transaction's time in a list ("4月3日 16:05") in the account's zone. */
export function formatDateTime(iso: string, locale: Locale, timeZone: string): string {
  return formatInstant(iso, locale, timeZone, 'short');
}
