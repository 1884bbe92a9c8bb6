import { type CurrencyCode, currencies, formatMinorUnits } from './currency.js';
import type { Locale } from './locale.js';

/**
 * How OKPay shows money and time, one way for the web app and the chat widget alike. Money is the
 * amount and the ISO code ("1,234.50 CNY"), since ¥ is both the yuan and the yen; times are shown
 * in the account's time zone (from `/api/me` or the widget's `/api/support/me`), never the
 * browser's, so a page, a statement and a chat agree on what "today" is.
 */

/** The zone shown when the account has none: China Standard Time. */
export const defaultTimeZone = 'Asia/Shanghai';

/** "1,234.50 CNY"; a code the wallet does not hold is shown with two decimals. */
export function formatMoney(money: { amount: number; currency: string }): string {
  const amount = Math.trunc(money.amount);
  const number = Object.hasOwn(currencies, money.currency) ? formatMinorUnits(amount, money.currency as CurrencyCode) : twoDecimals(amount);
  return `${number} ${money.currency}`;
}

function twoDecimals(amount: number): string {
  const digits = Math.abs(amount).toString().padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount < 0 ? '-' : ''}${whole}.${digits.slice(-2)}`;
}

/** "+100.00 CNY" or "−50.00 CNY" (a real minus sign), for amounts that came in or went out. */
export function formatSignedMoney(money: { amount: number; currency: string }): string {
  const sign = money.amount > 0 ? '+' : money.amount < 0 ? '−' : '';
  return `${sign}${formatMoney({ amount: Math.abs(money.amount), currency: money.currency })}`;
}

export type TimeStyle = 'full' | 'short' | 'time';

const styles: Record<TimeStyle, Intl.DateTimeFormatOptions> = {
  /** 2026/04/03 16:05:09: statements, audit trails, anything that must be exact. */
  full: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
  /** 4月3日 16:05: lists and pickers. */
  short: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  /** 16:05: messages of today's conversation. */
  time: { hour: '2-digit', minute: '2-digit' },
};

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(locale: Locale, timeZone: string, style: TimeStyle): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  let format = formats.get(key);
  if (!format) {
    const options = { ...styles[style], hourCycle: 'h23' as const };
    try {
      format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { ...options, timeZone });
    } catch {
      // A zone this browser does not know: China Standard Time rather than nothing.
      format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { ...options, timeZone: defaultTimeZone });
    }
    formats.set(key, format);
  }
  return format;
}

/** An instant in the account's zone; an unreadable one as the empty string. */
export function formatInstant(iso: string | Date, locale: Locale, timeZone: string, style: TimeStyle = 'full'): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return '';
  return formatOf(locale, timeZone, style).format(date);
}
