import { createHmac } from 'node:crypto';
import type { CardBrand } from '@okpay/contracts';

/** The digits of a PAN as people type it: spaces and dashes between groups are dropped. */
export function normalizeCardNumber(typed: string): string {
  return typed.replace(/[\s-]/g, '');
}

type BrandRule = { brand: CardBrand; lengths: readonly number[]; matches: (pan: string) => boolean };

const prefixBetween = (pan: string, digits: number, low: number, high: number) => {
  const prefix = Number(pan.slice(0, digits));
  return prefix >= low && prefix <= high;
};

// Order matters: UnionPay's 62 range overlaps Discover's co-branded 622126–622925.
const brandRules: readonly BrandRule[] = [
  { brand: 'visa', lengths: [13, 16, 19], matches: (pan) => pan.startsWith('4') },
  {
    brand: 'mastercard',
    lengths: [16],
    matches: (pan) => prefixBetween(pan, 2, 51, 55) || prefixBetween(pan, 4, 2221, 2720),
  },
  { brand: 'amex', lengths: [15], matches: (pan) => pan.startsWith('34') || pan.startsWith('37') },
  { brand: 'unionpay', lengths: [16, 17, 18, 19], matches: (pan) => pan.startsWith('62') || pan.startsWith('81') },
  { brand: 'jcb', lengths: [16, 17, 18, 19], matches: (pan) => prefixBetween(pan, 4, 3528, 3589) },
  {
    brand: 'discover',
    lengths: [16, 19],
    matches: (pan) => pan.startsWith('6011') || pan.startsWith('65') || prefixBetween(pan, 3, 644, 649),
  },
  {
    brand: 'diners',
    lengths: [14, 16, 19],
    matches: (pan) => pan.startsWith('36') || pan.startsWith('38') || pan.startsWith('39') || prefixBetween(pan, 3, 300, 305),
  },
];

/** The card scheme from the number's prefix (IIN ranges) and length; undefined when none fits. */
export function detectBrand(pan: string): CardBrand | undefined {
  return brandRules.find((rule) => rule.matches(pan) && rule.lengths.includes(pan.length))?.brand;
}

/**
 * A keyed HMAC-SHA256 of the whole PAN, to find the same card bound twice without keeping the
 * number: a plain hash of a PAN can be reversed by brute force (PCI DSS 3.5.1.1 wants it keyed).
 */
export function cardFingerprint(pan: string, secret: string): string {
  return createHmac('sha256', secret).update(pan).digest('hex');
}

/** A card is valid through the last day of its expiry month, in the operator's time zone. */
export function isCardExpired(expiry: { expMonth: number; expYear: number }, at: Date, timeZone: string): boolean {
  return expiry.expYear * 12 + expiry.expMonth < monthNumber(at, timeZone);
}

const monthFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The month `at` falls in, in the time zone, as year * 12 + month: a card is expired when its own
 * expiry's number is below it (okpay_begin_top_ups applies the same rule to the number it is given).
 */
export function monthNumber(at: Date, timeZone: string): number {
  let format = monthFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' });
    monthFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const year = Number(parts.find((part) => part.type === 'year')?.value);
  const month = Number(parts.find((part) => part.type === 'month')?.value);
  return year * 12 + month;
}
