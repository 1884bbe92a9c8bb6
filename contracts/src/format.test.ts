import { describe, expect, it } from 'vitest';
import { formatInstant, formatMoney, formatSignedMoney } from './format.js';

describe('money as customers read it, in the web app and the widget alike', () => {
  it.each([
    [123456, 'CNY', '1,234.56 CNY'],
    [5, 'USD', '0.05 USD'],
    [500, 'JPY', '500 JPY'],
    [1234, 'KWD', '1.234 KWD'],
    [-2500, 'EUR', '-25.00 EUR'],
    [123456789, 'XYZ', '1,234,567.89 XYZ'],
    // Names every object has are not currencies the wallet holds.
    [1050, 'constructor', '10.50 constructor'],
    [1050, 'toString', '10.50 toString'],
  ])('shows %i minor units of %s as %s', (amount, currency, expected) => {
    expect(formatMoney({ amount, currency })).toBe(expected);
  });

  it('signs money that came in or went out with a real minus sign', () => {
    expect(formatSignedMoney({ amount: 10000, currency: 'CNY' })).toBe('+100.00 CNY');
    expect(formatSignedMoney({ amount: -5000, currency: 'CNY' })).toBe('−50.00 CNY');
    expect(formatSignedMoney({ amount: 0, currency: 'CNY' })).toBe('0.00 CNY');
  });
});

describe('times in the account’s zone, not the browser’s', () => {
  const instant = '2026-04-03T08:05:09Z';

  it('shows the same instant in Shanghai and in London', () => {
    expect(formatInstant(instant, 'zh-CN', 'Asia/Shanghai')).toBe('2026/04/03 16:05:09');
    expect(formatInstant(instant, 'en', 'Europe/London')).toBe('03/04/2026, 09:05:09');
  });

  it('has a short form for lists and a time-only form for messages', () => {
    expect(formatInstant(instant, 'zh-CN', 'Asia/Shanghai', 'short')).toBe('4月3日 16:05');
    expect(formatInstant(instant, 'en', 'Asia/Shanghai', 'time')).toBe('16:05');
  });

  it('falls back to China Standard Time for a zone it does not know, and to nothing for a broken instant', () => {
    expect(formatInstant(instant, 'zh-CN', 'Mars/Olympus', 'time')).toBe('16:05');
    expect(formatInstant('not a date', 'en', 'Asia/Shanghai')).toBe('');
  });
});
