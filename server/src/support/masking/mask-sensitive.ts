import { isLuhnValid, isResidentIdValid } from '@okpay/contracts';

/**
 * Masks card numbers and Chinese resident ID numbers in free text before it is stored, in every
 * channel. Card numbers must pass the Luhn check and start like a card network's numbers (13–19
 * digits, spaces, dashes or full-width digits allowed); ID numbers must carry a valid GB 11643 checksum and birth date. Order numbers,
 * phone numbers and amounts do not pass those tests and are left alone.
 */
export type Redactions = { card?: number; resident_id?: number };
export type Masked = { text: string; redactions: Redactions | null };

const fullWidthZero = 0xff10;

/** Full-width digits (０-９) as ASCII, one character for one, so positions stay aligned. */
function toAsciiDigits(text: string): string {
  return text.replace(/[\uff10-\uff19]/g, (digit) => String.fromCharCode(48 + digit.charCodeAt(0) - fullWidthZero));
}

// Masking errs towards hiding: any birth date up to the end of the century passes, not only past ones.
const latestBirthDate = '2100-12-31';

// A run of digits with single spaces or dashes between groups.
const digitRun = /\d(?:[ -]?\d){11,22}[xX]?/g;

export function maskSensitive(input: string): Masked {
  const ascii = toAsciiDigits(input);
  const redactions: Redactions = {};
  let output = '';
  let cursor = 0;
  for (const match of ascii.matchAll(digitRun)) {
    const start = match.index ?? 0;
    const raw = match[0];
    // Digits glued to Latin letters or more digits are part of something else (an order number,
    // a URL). Chinese text runs straight into numbers, so Han characters do not count.
    const before = ascii[start - 1] ?? '';
    const after = ascii[start + raw.length] ?? '';
    if (/[A-Za-z0-9/_=+]/.test(before) || /[A-Za-z0-9/_=]/.test(after)) continue;
    const compact = raw.replace(/[ -]/g, '');
    let replacement: string | undefined;
    if (/^\d{17}[\dX]$/i.test(compact) && isResidentIdValid(compact, latestBirthDate)) {
      // Language-neutral: customers and agents of either locale read it; the UI explains the mask.
      replacement = `${compact.slice(0, 1)}${'*'.repeat(13)}${compact.slice(-4)}`;
      redactions.resident_id = (redactions.resident_id ?? 0) + 1;
    } else if (/^[2-6]\d{12,18}$/.test(compact) && isLuhnValid(compact)) {
      // Card networks issue from 2–6 (Mastercard 2-series, Amex/JCB 3, Visa 4, Mastercard 5, UnionPay/Discover 6).
      replacement = `**** **** **** ${compact.slice(-4)}`;
      redactions.card = (redactions.card ?? 0) + 1;
    }
    if (replacement) {
      output += input.slice(cursor, start) + replacement;
      cursor = start + raw.length;
    }
  }
  output += input.slice(cursor);
  return { text: output, redactions: Object.keys(redactions).length > 0 ? redactions : null };
}
