import { describe, expect, it } from 'vitest';
import { notBefore } from './quiet-hours.js';

const night = { start: 22 * 60, end: 7 * 60 + 30 };

describe('quiet hours', () => {
  it.each([
    ['before they start', '2026-03-10T13:59:00Z', 'Asia/Shanghai', '2026-03-10T13:59:00.000Z'],
    ['at 22:00 on the device’s clock', '2026-03-10T14:00:00Z', 'Asia/Shanghai', '2026-03-10T23:30:00.000Z'],
    ['after midnight', '2026-03-10T18:15:20Z', 'Asia/Shanghai', '2026-03-10T23:30:00.000Z'],
    ['at 07:30, when they end', '2026-03-10T23:30:00Z', 'Asia/Shanghai', '2026-03-10T23:30:00.000Z'],
    ['in the customer’s own zone, not the server’s', '2026-03-10T14:00:00Z', 'Europe/London', '2026-03-10T14:00:00.000Z'],
    ['in London at 23:00', '2026-03-10T23:00:00Z', 'Europe/London', '2026-03-11T07:30:00.000Z'],
  ])('hold a notification %s until they end', (_case, at, zone, expected) => {
    expect(notBefore(new Date(at), night, zone).toISOString()).toBe(expected);
  });

  it('end at 07:30 local across a daylight-saving change (New York springs forward on 8 March 2026)', () => {
    // 23:00 EST on 7 March; the night is an hour shorter, and 07:30 is EDT (UTC-4).
    expect(notBefore(new Date('2026-03-08T04:00:00Z'), night, 'America/New_York').toISOString()).toBe('2026-03-08T11:30:00.000Z');
  });

  it('work within one day too (13:00–14:00) and send at once without quiet hours or with an unknown zone', () => {
    const lunch = { start: 13 * 60, end: 14 * 60 };
    expect(notBefore(new Date('2026-03-10T05:10:00Z'), lunch, 'Asia/Shanghai').toISOString()).toBe('2026-03-10T06:00:00.000Z');
    expect(notBefore(new Date('2026-03-10T15:00:00Z'), null, 'Asia/Shanghai').toISOString()).toBe('2026-03-10T15:00:00.000Z');
    expect(notBefore(new Date('2026-03-10T15:00:00Z'), night, 'Mars/Olympus').toISOString()).toBe('2026-03-10T15:00:00.000Z');
  });
});
