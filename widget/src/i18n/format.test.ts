import { describe, expect, it } from 'vitest';
import { checkImage, maxImageBytes } from '../chat/image-check';
import { detectLocale, formatDateTime, formatMoney, formatTime, waitMinutes } from './format';

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

describe('money and time', () => {
  it('shows money the way the web app does', () => {
    expect(formatMoney({ amount: 123456, currency: 'CNY' })).toBe('1,234.56 CNY');
    expect(formatMoney({ amount: 500, currency: 'JPY' })).toBe('500 JPY');
  });

  it('shows times in the account’s zone, not the browser’s', () => {
    expect(formatTime('2026-04-03T08:05:00Z', 'zh-CN', 'Asia/Shanghai')).toBe('16:05');
    expect(formatTime('2026-04-03T08:05:00Z', 'en', 'Europe/London')).toBe('09:05');
    expect(formatDateTime('2026-04-03T08:05:00Z', 'zh-CN', 'Asia/Shanghai')).toBe('4月3日 16:05');
    expect(formatTime('garbage', 'en', 'Asia/Shanghai')).toBe('');
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
