import { createHash } from 'node:crypto';

export { e164Pattern } from '@okpay/contracts';

/** "+8613800138000" → "+86 138****8000": enough to recognise, not enough to copy. */
export function maskPhoneNumber(number: string): string {
  const mainland = /^\+86(1[3-9][0-9])([0-9]{4})([0-9]{4})$/.exec(number);
  if (mainland) return `+86 ${mainland[1]}****${mainland[3]}`;
  if (number.length <= 6) return number.replace(/[0-9]/g, '*');
  return `${number.slice(0, 4)}${'*'.repeat(number.length - 7)}${number.slice(-3)}`;
}

/**
 * The visitor a caller we cannot match to a customer is filed under: the same number always gives
 * the same id, so an unknown number's calls share one history.
 */
export function callerVisitorId(number: string): string {
  const hex = createHash('sha256').update(`phone-caller:${number}`).digest('hex');
  // A UUID of version 8 (custom) and the RFC 4122 variant, from the hash.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
