import { isResidentIdValid } from '@okpay/contracts';
import { describe, expect, it } from 'vitest';
import { maskSensitive } from './mask-sensitive.js';

describe('masking card numbers and resident IDs before storage', () => {
  it.each([
    ['plain 16 digits', '我的卡号是4242424242424242，请查一下', '**** 4242'],
    ['grouped with spaces', 'card 4242 4242 4242 4242 please', '**** 4242'],
    ['grouped with dashes', '5555-5555-5555-4444', '**** 4444'],
    ['full-width digits', '卡号４２４２４２４２４２４２４２４２', '**** 4242'],
    ['UnionPay 19 digits', '6212345678901234569', '**** 4569'],
    ['Amex 15 digits', '3782 822463 10005', '**** 0005'],
    ['between punctuation', '(4000000000000002)', '**** 0002'],
  ])('masks a card number: %s', (_label, text, lastFour) => {
    const masked = maskSensitive(text);
    expect(masked.redactions).toEqual({ card: 1 });
    expect(masked.text).toContain(lastFour);
    expect(masked.text).not.toMatch(/\d{5,}/);
  });

  it.each([
    ['an 18-digit resident ID', '身份证 110101199003074573 谢谢', '4573'],
    ['one ending in X', '11010519491231002X', '002X'],
    ['with spaces', '110101 19900307 4573', '4573'],
  ])('masks %s', (_label, text, lastFour) => {
    const masked = maskSensitive(text);
    expect(masked.redactions).toEqual({ resident_id: 1 });
    expect(masked.text).toContain(lastFour);
    expect(masked.text).not.toContain('19900307');
  });

  it.each([
    ['an order number that fails Luhn', '订单号 4242424242424241'],
    ['an order number glued to letters', 'ORDER20261125000123456'],
    ['a Chinese mobile number', '请打 13800138000 或 +86 138 0013 8000'],
    ['an international number that happens to pass Luhn', '+86 138 0013 8002'],
    ['a bank reference starting with 9', '9242424242424241'],
    ['an amount', '充值了 1,234,567.89 元'],
    ['a timestamp', '2026-11-25 10:00:00'],
    ['a short number', '验证码 123456'],
    ['an ID-shaped number with a wrong checksum', '110101199003074578'],
    ['an ID-shaped number with an impossible date', '110101199013324573'],
    ['a URL with digits', 'https://okpay.example/t/4242424242424242x'],
  ])('leaves %s alone', (_label, text) => {
    expect(maskSensitive(text)).toEqual({ text, redactions: null });
  });

  it('masks several numbers in one message and counts them', () => {
    const masked = maskSensitive('卡 4242424242424242 和 5555 5555 5555 4444，身份证 110101199003074573');
    expect(masked.redactions).toEqual({ card: 2, resident_id: 1 });
  });

  it('checks resident ID checksums', () => {
    expect(isResidentIdValid('110101199003074573', '2026-01-01')).toBe(true);
    expect(isResidentIdValid('11010519491231002x', '2026-01-01')).toBe(true);
    expect(isResidentIdValid('110101199003074570', '2026-01-01')).toBe(false);
  });
});
