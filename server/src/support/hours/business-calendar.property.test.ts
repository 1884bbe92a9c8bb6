import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar, type CalendarDefinition, type Period, resolveDay, wallReading } from './business-calendar.js';
import { chinaHolidays } from './china-holidays.js';
import { dayMs, formatLocalDate, parseLocalDate } from './zoned-time.js';

// The engine against the plainest possible model: read the wall clock of every minute with Intl and
// ask whether that local date's periods contain it.

const minute = 60_000;
const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata'];
// Windows start near the zone's DST changes, holiday runs and the turn of the year as often as anywhere else.
const holidayAnchors = ['2026-01-01', '2026-02-14', '2026-10-01', '2026-12-31'];
const transitions: Record<string, string[]> = {
  'America/New_York': ['2026-03-08', '2026-11-01'],
  'Europe/Berlin': ['2026-03-29', '2026-10-25'],
  'Australia/Lord_Howe': ['2026-04-05', '2026-10-04'],
  'America/Santiago': ['2026-04-05', '2026-09-06'],
};

const periodsArbitrary = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 })
  .map((edges) => edges.sort((left, right) => left - right))
  .map((edges) => {
    const periods: Period[] = [];
    for (let index = 0; index + 1 < edges.length; index += 2) {
      periods.push({ start: (edges[index] as number) * 15, end: (edges[index + 1] as number) * 15 });
    }
    return periods;
  });

const definitionArbitrary = fc
  .record({
    name: fc.constant('model'),
    timeZone: fc.constantFrom(...zones),
    weekly: fc.array(periodsArbitrary, { minLength: 7, maxLength: 7 }),
    // A flag rather than the feed itself keeps counterexamples short.
    followsChina: fc.boolean(),
    overrides: fc.uniqueArray(
      fc.record({
        date: fc.integer({ min: 0, max: 400 }).map((day) => new Date(Date.UTC(2025, 11, 15) + day * 86_400_000).toISOString().slice(0, 10)),
        periods: periodsArbitrary,
      }),
      { maxLength: 12, selector: (day) => day.date },
    ),
  })
  .map(({ followsChina, ...rest }): CalendarDefinition => ({ ...rest, publicHolidays: followsChina ? chinaHolidays() : null }));

const windowArbitrary = (timeZone: string) =>
  fc.record({
    start: fc.oneof(
      {
        weight: 1,
        arbitrary: fc.integer({ min: Date.UTC(2025, 11, 20) / minute, max: Date.UTC(2027, 0, 5) / minute }).map((value) => value * minute),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(
            fc.constantFrom(...(transitions[timeZone] ?? []), ...(transitions[timeZone] ?? []), ...holidayAnchors),
            fc.integer({ min: -3 * 24 * 60, max: 24 * 60 }),
          )
          .map(([anchor, offset]) => Date.parse(`${anchor}T00:00:00Z`) + offset * minute),
      },
    ),
    minutes: fc.integer({ min: 60, max: 5 * 24 * 60 }),
  });

const caseArbitrary = definitionArbitrary.chain((definition) => fc.tuple(fc.constant(definition), windowArbitrary(definition.timeZone)));

function model(definition: CalendarDefinition, start: number, minutes: number): boolean[] {
  const days = new Map<string, readonly Period[]>();
  return Array.from({ length: minutes }, (_, index) => {
    const reading = wallReading(definition.timeZone, start + index * minute);
    let periods = days.get(reading.date);
    if (!periods) {
      periods = resolveDay(definition, reading.date).periods;
      days.set(reading.date, periods);
    }
    return periods.some((period) => period.start <= reading.minute && reading.minute < period.end);
  });
}

describe('the business-time engine against a minute-by-minute model', () => {
  it('agrees on open, next change, business time between, due times and open intervals', () => {
    fc.assert(
      fc.property(caseArbitrary, fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), ([definition, window], picks) => {
        const calendar = new BusinessCalendar(definition);
        const open = model(definition, window.start, window.minutes);
        const instant = (index: number) => window.start + index * minute;
        const pick = (value: number) => value % window.minutes;

        for (let index = 0; index < window.minutes; index++) expect(calendar.isOpen(instant(index))).toBe(open[index]);

        for (const value of picks.slice(0, 3)) {
          const index = pick(value);
          let change = index + 1;
          while (change < window.minutes && open[change] === open[index]) change++;
          const state = calendar.state(instant(index));
          expect(state.open).toBe(open[index]);
          if (change < window.minutes) expect(state.nextChange).toBe(instant(change));
          else if (state.nextChange !== null) expect(state.nextChange).toBeGreaterThanOrEqual(instant(window.minutes));
        }

        const [from, to] = [pick(picks[3] as number), pick(picks[4] as number)].sort((left, right) => left - right) as [number, number];
        const openMinutes = open.slice(from, to).filter(Boolean).length;
        expect(calendar.businessTimeBetween(instant(from), instant(to))).toBe(openMinutes * minute);
        expect(calendar.businessTimeBetween(instant(to), instant(from))).toBe(openMinutes === 0 ? 0 : -openMinutes * minute);

        // The k-th open minute after `from` ends at the due time of k business minutes.
        const wanted = 1 + ((picks[5] as number) % Math.max(1, open.length - from));
        let seen = 0;
        for (let index = from; index < window.minutes; index++) {
          if (open[index] && ++seen === wanted) {
            expect(calendar.addBusinessTime(instant(from), wanted * minute)).toBe(instant(index + 1));
            break;
          }
        }

        const runs: Array<[number, number]> = [];
        for (let index = 0; index < window.minutes; index++) {
          if (!open[index]) continue;
          const last = runs[runs.length - 1];
          if (last && last[1] === instant(index)) last[1] = instant(index + 1);
          else runs.push([instant(index), instant(index + 1)]);
        }
        expect([...calendar.openIntervals(instant(0), instant(window.minutes))]).toEqual(runs);
      }),
      { numRuns: 40 },
    );
  });

  it('adding business time and measuring it back agree, two additions equal one, and a due time never falls in closed time', () => {
    fc.assert(
      fc.property(
        caseArbitrary,
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        ([definition, window], first, second) => {
          const calendar = new BusinessCalendar(definition);
          const hasOpenTime = definition.weekly.some((periods) => periods.length > 0);
          fc.pre(hasOpenTime);
          const dueFirst = calendar.addBusinessTime(window.start, first * minute);
          expect(calendar.businessTimeBetween(window.start, dueFirst)).toBe(first * minute);
          expect(calendar.addBusinessTime(dueFirst, second * minute)).toBe(
            calendar.addBusinessTime(window.start, (first + second) * minute),
          );
          if (first > 0) expect(calendar.isOpen(dueFirst - 1)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('N business days later lands on the N-th local date that has opening periods, never in closed time', () => {
    fc.assert(
      fc.property(
        caseArbitrary.filter(([definition]) => definition.weekly.some((periods) => periods.length > 0)),
        fc.integer({ min: 0, max: 12 }),
        ([definition, window], days) => {
          // Without DST every date's periods are exactly its open time, so the dates can be counted from the rules.
          fc.pre(!(definition.timeZone in transitions));
          const calendar = new BusinessCalendar(definition);
          const start = calendar.nextOpening(window.start) as number;
          const due = calendar.addBusinessDays(window.start, days);
          let wall = parseLocalDate(calendar.localDate(start)) as number;
          for (let counted = 0; counted < days; ) {
            wall += dayMs;
            if (resolveDay(definition, formatLocalDate(wall)).periods.length > 0) counted++;
          }
          // A due time at a midnight closing belongs to the day it ends.
          const target = formatLocalDate(wall);
          expect(calendar.localDate(due > calendar.startOfDay(target) ? due - 1 : due)).toBe(target);
          expect(calendar.isOpen(due) || calendar.isOpen(due - 1)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
