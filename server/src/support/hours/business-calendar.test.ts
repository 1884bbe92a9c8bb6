import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, BusinessCalendar, businessMinutesBetween, type CalendarDefinition } from './business-calendar.js';
import { chinaHolidays } from './china-holidays.js';
import { everyDay, mondayToFriday, shippedCalendars } from './shipped-calendars.js';

const office = new BusinessCalendar(shippedCalendars()[0] as CalendarDefinition);
const iso = (instant: number | Date | null) => (instant === null ? null : new Date(instant).toISOString());
const due = (calendar: BusinessCalendar, from: string, minutes: number) => iso(addBusinessMinutes(calendar, new Date(from), minutes));

function calendar(overrides: Partial<CalendarDefinition>): BusinessCalendar {
  return new BusinessCalendar({
    name: 'test',
    timeZone: 'Asia/Shanghai',
    weekly: mondayToFriday([{ start: 540, end: 1080 }]),
    publicHolidays: null,
    overrides: [],
    ...overrides,
  });
}

describe('the default calendar (Mon–Fri 09:00–18:00 Asia/Shanghai, China holidays and 调休)', () => {
  it('answers the operators’ example: 240 business minutes from Friday 16:00 before Qingming is Tuesday 11:00', () => {
    expect(due(office, '2026-04-03T16:00:00+08:00', 240)).toBe('2026-04-07T03:00:00.000Z');
  });

  it('New Year 2026: closed 1–3 January, open on the make-up Sunday 4 January', () => {
    expect(office.day('2026-01-01').kind).toBe('public_holiday');
    expect(office.day('2026-01-04')).toMatchObject({ kind: 'make_up_workday', periods: [{ start: 540, end: 1080 }] });
    expect(office.isOpen(new Date('2026-01-02T10:00:00+08:00'))).toBe(false);
    expect(office.isOpen(new Date('2026-01-04T10:00:00+08:00'))).toBe(true);
    expect(due(office, '2025-12-31T17:00:00+08:00', 120)).toBe('2026-01-04T02:00:00.000Z');
    expect(iso(office.state(new Date('2025-12-31T18:00:00+08:00')).nextChange)).toBe('2026-01-04T01:00:00.000Z');
  });

  it('Spring Festival 2026: open on the make-up Saturdays 14 and 28 February, closed 15–23 February', () => {
    expect(due(office, '2026-02-13T17:00:00+08:00', 120)).toBe('2026-02-14T02:00:00.000Z');
    expect(due(office, '2026-02-14T17:00:00+08:00', 120)).toBe('2026-02-24T02:00:00.000Z');
    for (const date of ['2026-02-15', '2026-02-18', '2026-02-20', '2026-02-23']) expect(office.day(date).periods).toEqual([]);
    expect(office.isOpen(new Date('2026-02-28T09:00:00+08:00'))).toBe(true);
    // 14 Feb, 24–27 Feb and 28 Feb: six days of nine hours.
    expect(businessMinutesBetween(office, new Date('2026-02-14T00:00:00+08:00'), new Date('2026-03-01T00:00:00+08:00'))).toBe(6 * 9 * 60);
  });

  it('National Day 2026: closed 1–7 October, open on the make-up days 20 September and 10 October', () => {
    expect(due(office, '2026-09-30T17:00:00+08:00', 120)).toBe('2026-10-08T02:00:00.000Z');
    expect(office.isOpen(new Date('2026-09-20T12:00:00+08:00'))).toBe(true);
    expect(office.isOpen(new Date('2026-10-10T12:00:00+08:00'))).toBe(true);
    expect(office.isOpen(new Date('2026-10-11T12:00:00+08:00'))).toBe(false);
    expect(iso(office.nextOpening(new Date('2026-10-01T00:00:00+08:00')))).toBe('2026-10-08T01:00:00.000Z');
  });

  it('is exact at the edges: open at 09:00, closed at 18:00, and an amount that ends at closing gives the closing time', () => {
    expect(office.isOpen(new Date('2026-04-08T09:00:00+08:00'))).toBe(true);
    expect(office.isOpen(new Date('2026-04-08T08:59:59.999+08:00'))).toBe(false);
    expect(office.isOpen(new Date('2026-04-08T18:00:00+08:00'))).toBe(false);
    expect(due(office, '2026-04-08T14:00:00+08:00', 240)).toBe('2026-04-08T10:00:00.000Z');
    expect(due(office, '2026-04-08T14:00:00+08:00', 241)).toBe('2026-04-09T01:01:00.000Z');
    expect(due(office, '2026-04-11T10:00:00+08:00', 0)).toBe('2026-04-11T02:00:00.000Z');
  });

  it('counts business days as open local dates and keeps the point of the working day', () => {
    // Friday 16:00 before Qingming: Tue 7, Wed 8, Thu 9 April.
    expect(iso(office.addBusinessDays(new Date('2026-04-03T16:00:00+08:00'), 3))).toBe('2026-04-09T08:00:00.000Z');
    // From a Saturday the clock starts at Monday's opening, so one business day later is Tuesday 09:00.
    expect(iso(office.addBusinessDays(new Date('2026-04-11T10:00:00+08:00'), 1))).toBe('2026-04-14T01:00:00.000Z');
    // Across Spring Festival the make-up Saturday counts.
    expect(iso(office.addBusinessDays(new Date('2026-02-13T10:00:00+08:00'), 2))).toBe('2026-02-24T02:00:00.000Z');
  });

  it('lists the open intervals of a week with a holiday', () => {
    const intervals = [...office.openIntervals(new Date('2026-04-03T00:00:00+08:00'), new Date('2026-04-08T00:00:00+08:00'))];
    expect(intervals.map(([start, end]) => [iso(start), iso(end)])).toEqual([
      ['2026-04-03T01:00:00.000Z', '2026-04-03T10:00:00.000Z'],
      ['2026-04-07T01:00:00.000Z', '2026-04-07T10:00:00.000Z'],
    ]);
  });

  it('knows which years the holiday data covers', () => {
    const feed = chinaHolidays();
    expect(feed.lastYear).toBeGreaterThanOrEqual(2026);
    expect(feed.firstYear).toBeLessThanOrEqual(2010);
    expect(feed.source).toMatch(/^chinese-days \d+\.\d+\.\d+$/);
  });
});

describe('a split-shift day (09:00–12:00 and 13:00–18:00)', () => {
  const split = calendar({
    weekly: mondayToFriday([
      { start: 540, end: 720 },
      { start: 780, end: 1080 },
    ]),
  });

  it('is closed over lunch and says when it reopens', () => {
    expect(split.state(new Date('2026-04-08T12:30:00+08:00'))).toEqual({
      open: false,
      nextChange: Date.parse('2026-04-08T13:00:00+08:00'),
    });
    expect(split.state(new Date('2026-04-08T11:00:00+08:00'))).toEqual({ open: true, nextChange: Date.parse('2026-04-08T12:00:00+08:00') });
  });

  it('skips lunch when counting', () => {
    expect(due(split, '2026-04-08T11:00:00+08:00', 120)).toBe('2026-04-08T06:00:00.000Z');
    expect(businessMinutesBetween(split, new Date('2026-04-08T11:00:00+08:00'), new Date('2026-04-08T14:00:00+08:00'))).toBe(120);
  });
});

describe('zones with daylight saving time', () => {
  it('America/New_York keeps 09:00 local across the March change (−05:00 → −04:00)', () => {
    const newYork = calendar({ timeZone: 'America/New_York', weekly: everyDay([{ start: 540, end: 1020 }]) });
    expect(iso(newYork.nextOpening(new Date('2026-03-07T12:00:00Z')))).toBe('2026-03-07T14:00:00.000Z');
    expect(iso(newYork.nextOpening(new Date('2026-03-08T12:00:00Z')))).toBe('2026-03-08T13:00:00.000Z');
    // Saturday 09:00 to Monday 09:00 local is two eight-hour days, though only 47 hours pass.
    expect(businessMinutesBetween(newYork, new Date('2026-03-07T14:00:00Z'), new Date('2026-03-09T13:00:00Z'))).toBe(16 * 60);
  });

  it('a 24-hour day lasts 23 hours in spring and 25 in autumn', () => {
    const allDay = calendar({ timeZone: 'America/New_York', weekly: everyDay([{ start: 0, end: 1440 }]) });
    const hours = (from: string, to: string) => businessMinutesBetween(allDay, allDay.startOfDay(from), allDay.startOfDay(to)) / 60;
    expect(allDay.startOfDay('2026-03-09') - allDay.startOfDay('2026-03-08')).toBe(23 * 3_600_000);
    expect(allDay.startOfDay('2026-11-02') - allDay.startOfDay('2026-11-01')).toBe(25 * 3_600_000);
    expect(hours('2026-03-08', '2026-03-09')).toBe(23);
    expect(hours('2026-11-01', '2026-11-02')).toBe(25);
    expect(allDay.state(new Date('2026-06-01T00:00:00Z'))).toEqual({ open: true, nextChange: null });
  });

  it('Europe/Berlin: a period in the spring-forward gap opens when the clock reaches it; one in the autumn hour is open twice', () => {
    const berlin = calendar({
      timeZone: 'Europe/Berlin',
      weekly: everyDay([{ start: 150, end: 210 }]),
    });
    // 29 March 2026: 02:00 CET becomes 03:00 CEST, so 02:30–03:30 is open 03:00–03:30 local.
    expect(iso(berlin.nextOpening(new Date('2026-03-28T23:00:00Z')))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(berlin.state(new Date('2026-03-29T01:00:00Z')).nextChange)).toBe('2026-03-29T01:30:00.000Z');
    // 25 October 2026: 03:00 CEST becomes 02:00 CET; the clock shows 02:30–03:00 twice and then 03:00–03:30.
    const october = [...berlin.openIntervals(new Date('2026-10-24T22:00:00Z'), new Date('2026-10-25T06:00:00Z'))];
    expect(october.map(([start, end]) => [iso(start), iso(end)])).toEqual([
      ['2026-10-25T00:30:00.000Z', '2026-10-25T01:00:00.000Z'],
      ['2026-10-25T01:30:00.000Z', '2026-10-25T02:30:00.000Z'],
    ]);
  });
});

describe('overrides', () => {
  it('an administrator’s day wins over the holiday feed and the weekly periods', () => {
    const withOverrides = new BusinessCalendar({
      ...(shippedCalendars()[0] as CalendarDefinition),
      overrides: [
        { date: '2026-04-08', periods: [], note: 'Company day' },
        { date: '2026-04-05', periods: [{ start: 600, end: 660 }] },
      ],
    });
    expect(withOverrides.isOpen(new Date('2026-04-08T10:00:00+08:00'))).toBe(false);
    expect(withOverrides.isOpen(new Date('2026-04-05T10:30:00+08:00'))).toBe(true);
    expect(withOverrides.day('2026-04-08')).toMatchObject({ kind: 'override', note: 'Company day' });
  });

  it('changes its version when a day is set by hand, and keeps it otherwise', () => {
    const same = new BusinessCalendar(shippedCalendars()[0] as CalendarDefinition);
    const changed = new BusinessCalendar({
      ...(shippedCalendars()[0] as CalendarDefinition),
      overrides: [{ date: '2026-04-08', periods: [] }],
    });
    expect(same.version).toBe(office.version);
    expect(changed.version).not.toBe(office.version);
    expect(office.version).toMatch(/^[0-9a-f]{8}$/);
  });

  it('refuses instants outside the supported years', () => {
    expect(() => office.isOpen(new Date('2300-01-01T00:00:00Z'))).toThrow(/between 1971 and 2199/);
    expect(() => office.isOpen(Number.NaN)).toThrow(/valid instant/);
  });
});

describe('the holiday feed is not copied', () => {
  it('reads 2026 from the package', () => {
    expect(chinaHolidays().holidays.get('2026-10-01')).toEqual({ en: 'National Day', zh: '国庆节' });
    expect([...chinaHolidays().makeUpWorkdays.keys()].filter((date) => date.startsWith('2026'))).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });
});
