/** Currencies and minor units as plain functions: no schema library, so the chat widget can use them. */

/** ISO 4217 currencies the wallet holds, with their minor-unit exponents. */
export const currencies = {
  CNY: { exponent: 2, symbol: '¥', 'zh-CN': '人民币', en: 'Chinese yuan' },
  USD: { exponent: 2, symbol: '$', 'zh-CN': '美元', en: 'US dollar' },
  EUR: { exponent: 2, symbol: '€', 'zh-CN': '欧元', en: 'Euro' },
  HKD: { exponent: 2, symbol: 'HK$', 'zh-CN': '港元', en: 'Hong Kong dollar' },
  JPY: { exponent: 0, symbol: '¥', 'zh-CN': '日元', en: 'Japanese yen' },
  KWD: { exponent: 3, symbol: 'KD', 'zh-CN': '科威特第纳尔', en: 'Kuwaiti dinar' },
} as const;

export type CurrencyCode = keyof typeof currencies;
export const currencyCodes = Object.keys(currencies) as CurrencyCode[];

export function exponentOf(currency: CurrencyCode): number {
  return currencies[currency].exponent;
}

/** Renders minor units as a decimal string with the currency's exponent, without floating point. */
export function formatMinorUnits(amount: number | bigint, currency: CurrencyCode): string {
  const exponent = exponentOf(currency);
  const value = BigInt(amount);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent) || '0';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${negative ? '-' : ''}${grouped}${fraction}`;
}

/** Parses a decimal string typed by a person ("12.5") into minor units, or undefined if it has too many decimals. */
export function parseMajorUnits(text: string, currency: CurrencyCode): number | undefined {
  const exponent = exponentOf(currency);
  const match = /^\s*(\d{1,15})(?:\.(\d+))?\s*$/.exec(text.replace(/,/g, ''));
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return undefined;
  const minor = BigInt(match[1] ?? '0') * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
  return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : undefined;
}
