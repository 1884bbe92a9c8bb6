import { isLuhnValid } from '@okpay/contracts';
import { describe, expect, it } from 'vitest';
import { cardFingerprint, detectBrand, isCardExpired, normalizeCardNumber } from './card-number.js';
import { sandboxTestCards } from './sandbox-acquirer.js';

describe('card numbers', () => {
  it.each([
    ['4242424242424242', true],
    ['4242424242424241', false],
    ['4000000000000002', true],
    ['6200000000000005', true],
    ['378282246310005', true],
    ['79927398713', false], // valid Luhn, too short for a payment card
    ['4242 4242 4242 4242', false], // spaces are stripped before the check, not by it
    ['', false],
    ['42424242424242424242', false], // 20 digits
  ])('Luhn check of %s is %s', (number, expected) => {
    expect(isLuhnValid(number)).toBe(expected);
  });

  it('passes every sandbox test card through Luhn', () => {
    for (const card of sandboxTestCards) expect(isLuhnValid(card.number), card.number).toBe(true);
  });

  it.each([
    ['4242 4242 4242 4242', '4242424242424242'],
    ['4242-4242-4242-4242', '4242424242424242'],
    [' 6200 0000-0000 0005 ', '6200000000000005'],
    ['4242\t4242\n4242 4242', '4242424242424242'],
  ])('normalizes %j to the digits', (typed, digits) => {
    expect(normalizeCardNumber(typed)).toBe(digits);
  });

  it.each([
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'],
    ['3566002020360505', 'jcb'],
    ['6200000000000005', 'unionpay'],
    ['6205500000000000004', 'unionpay'],
    ['6011111111111117', 'discover'],
    ['36227206271667', 'diners'],
    ['9999999999999995', undefined],
    ['378282246310005000', undefined], // an Amex prefix with the wrong length
  ])('detects the brand of %s as %s', (number, brand) => {
    expect(detectBrand(number)).toBe(brand);
  });

  it('fingerprints with a key: same card and key match, another key does not, and the PAN is not in it', () => {
    const first = cardFingerprint('4242424242424242', 'key-one-0123456789abcdef0123456789');
    expect(cardFingerprint('4242424242424242', 'key-one-0123456789abcdef0123456789')).toBe(first);
    expect(cardFingerprint('4242424242424242', 'key-two-0123456789abcdef0123456789')).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(first).not.toContain('4242');
  });

  it.each([
    // 2030-06-15 12:00 in Shanghai
    ['2030-06-15T04:00:00Z', { expMonth: 6, expYear: 2030 }, false],
    ['2030-06-15T04:00:00Z', { expMonth: 5, expYear: 2030 }, true],
    ['2030-06-15T04:00:00Z', { expMonth: 1, expYear: 2031 }, false],
    ['2030-06-15T04:00:00Z', { expMonth: 12, expYear: 2029 }, true],
    // 31 May 20:00 UTC is already 1 June in Shanghai: a May card has run out there.
    ['2030-05-31T20:00:00Z', { expMonth: 5, expYear: 2030 }, true],
  ])('at %s a card expiring %o is expired: %s', (at, expiry, expected) => {
    expect(isCardExpired(expiry, new Date(at), 'Asia/Shanghai')).toBe(expected);
  });
});
