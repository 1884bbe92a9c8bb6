import type { Locale } from '@okpay/contracts';

/** zh-CN unless the host page says it is in English; `setLocale` overrides both. */
export function detectLocale(htmlLang: string | null | undefined): Locale {
  return htmlLang?.trim().toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** Whole minutes, rounded up: "about 1 minute" for 20 seconds rather than a falsely precise "0". */
export function waitMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

/**
 * Minor units as the currency's decimal amount, using the digits Intl knows for it (JPY 0, KWD 3),
 * without floating-point division.
 */
export function formatMoney(amount: number, currency: string, locale: Locale): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown code: show it with two decimals.
  }
  const negative = amount < 0;
  const text = Math.abs(Math.trunc(amount))
    .toString()
    .padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  const number = `${negative ? '-' : ''}${whole}${fraction}`;
  return locale === 'en' ? `${currency} ${number}` : `${number} ${currency}`;
}

export function formatTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString(locale === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit' });
}

export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
