import { describe, expect, it } from 'vitest';
import { checkImage, maxImageBytes } from '../chat/image-check';
import { detectLocale, formatMoney, waitMinutes } from './format';

describe('locale', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['de', 'zh-CN'],
    ['en', 'en'],
    ['en-GB', 'en'],
    ['EN-us', 'en'],
  ])('reads <html lang="%s"> as %s', (lang, expected) => {
    expect(detectLocale(lang)).toBe(expected);
  });
});

describe('waiting time', () => {
  it.each([
    [0, 1],
    [20, 1],
    [60, 1],
    [61, 2],
    [600, 10],
  ])('shows %i seconds as about %i minutes', (seconds, minutes) => {
    expect(waitMinutes(seconds)).toBe(minutes);
  });
});

describe('money', () => {
  it.each([
    [123456, 'CNY', 'zh-CN', '1,234.56 CNY'],
    [5, 'USD', 'en', 'USD 0.05'],
    [500, 'JPY', 'en', 'JPY 500'],
    [1234, 'KWD', 'en', 'KWD 1.234'],
    [-2500, 'EUR', 'en', 'EUR -25.00'],
  ])('shows %i minor units of %s in %s as %s', (amount, currency, locale, expected) => {
    expect(formatMoney(amount, currency, locale as 'en' | 'zh-CN')).toBe(expected);
  });
});

describe('image check', () => {
  it.each([
    ['receipt.png', 'image/png', 1000, true],
    ['photo.JPG', 'image/jpeg', maxImageBytes, true],
    ['anim.gif', 'image/gif', 10, true],
    ['shot.webp', '', 10, true],
    ['statement.pdf', 'application/pdf', 10, false],
    ['icon.svg', 'image/svg+xml', 10, false],
    ['huge.png', 'image/png', maxImageBytes + 1, false],
  ])('%s (%s, %i bytes) allowed: %s', (name, type, size, allowed) => {
    expect(checkImage({ name, type, size }).ok).toBe(allowed);
  });

  it('says why a file is refused', () => {
    expect(checkImage({ name: 'a.pdf', type: 'application/pdf', size: 1 })).toEqual({ ok: false, reason: 'type' });
    expect(checkImage({ name: 'a.png', type: 'image/png', size: maxImageBytes + 1 })).toEqual({ ok: false, reason: 'size' });
  });
});
