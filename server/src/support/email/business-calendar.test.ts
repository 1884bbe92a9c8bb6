import { describe, expect, it } from 'vitest';
import { fixedWeekdayCalendar } from './business-calendar.js';
import { formatDue, replyDueAt } from './reply-promise.js';

const shanghai = fixedWeekdayCalendar('Asia/Shanghai');

describe('the 48-hour promise in business days (Mon–Fri 09:00–18:00 Shanghai)', () => {
  it.each([
    ['Monday 10:00 is due Wednesday 10:00', '2026-12-07T02:00:00Z', '2026-12-09T02:00:00.000Z'],
    ['Friday 17:00 is due Tuesday 17:00', '2026-12-04T09:00:00Z', '2026-12-08T09:00:00.000Z'],
    ['Saturday counts from Monday 09:00: due Tuesday 18:00', '2026-12-05T02:00:00Z', '2026-12-08T10:00:00.000Z'],
    ['Friday 19:00 counts from Monday: due Tuesday 18:00', '2026-12-04T11:00:00Z', '2026-12-08T10:00:00.000Z'],
    ['Wednesday 07:00 counts from 09:00: due Thursday 18:00', '2026-12-08T23:00:00Z', '2026-12-10T10:00:00.000Z'],
  ])('%s', (_name, received, due) => {
    expect(replyDueAt(shanghai, new Date(received)).toISOString()).toBe(due);
  });

  it('follows a zone with daylight saving across its change', () => {
    const newYork = fixedWeekdayCalendar('America/New_York');
    // Friday 15:00 EST + 9 business hours: 3 on Friday, 6 on Monday after clocks went forward.
    expect(newYork.addBusinessDays(new Date('2026-03-06T20:00:00Z'), 1).toISOString()).toBe('2026-03-09T19:00:00.000Z');
  });

  it('says the expected date in the customer language and the centre time zone', () => {
    const due = new Date('2026-12-08T10:00:00Z');
    expect(formatDue(due, 'zh-CN', 'Asia/Shanghai')).toBe('2026年12月8日星期二 18:00（中国标准时间）');
    expect(formatDue(due, 'en', 'Asia/Shanghai')).toBe('Tuesday, 8 December 2026 at 18:00 (China Standard Time)');
  });
});
