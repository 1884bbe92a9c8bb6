import {
  dayMs,
  formatLocalDate,
  instantsForWallRange,
  minuteMs,
  offsetSegmentsAround,
  parseLocalDate,
  wallTimeAt,
  weekdayIndex,
} from './zoned-time.js';

/** An opening period of one local day, in minutes after midnight: [start, end), 0 ≤ start < end ≤ 1440. */
export type Period = { start: number; end: number };

/** Seven lists of periods, Monday first. */
export type WeeklyPeriods = readonly (readonly Period[])[];

/** A day an administrator set by hand: no periods means closed all day. */
export type DayOverride = { date: string; periods: readonly Period[]; note?: string };

/** Official public holidays and make-up workdays (调休), by local date. */
export type HolidayFeed = {
  source: string;
  holidays: ReadonlyMap<string, { zh: string; en: string }>;
  makeUpWorkdays: ReadonlyMap<string, { zh: string; en: string }>;
  firstYear: number;
  lastYear: number;
};

export type CalendarDefinition = {
  name: string;
  timeZone: string;
  weekly: WeeklyPeriods;
  /** Closed on the feed's public holidays and open on its make-up workdays; null ignores both. */
  publicHolidays: HolidayFeed | null;
  overrides: readonly DayOverride[];
};

export type DayKind = 'weekly' | 'public_holiday' | 'make_up_workday' | 'override';

export type ResolvedDay = { date: string; kind: DayKind; periods: readonly Period[]; name?: { zh: string; en: string }; note?: string };

export class CalendarRangeError extends RangeError {}

// Instants are accepted from 1971 to 2199: wide enough for any SLA, narrow enough that a calendar
// that never opens is detected instead of searched forever.
const firstYear = 1971;
const lastYear = 2199;
/** How far ahead "next change" and "next opening" look before answering "none". */
const searchYears = 3;

/** One local year compiled to merged UTC intervals with running totals, for binary search. */
type YearChunk = {
  year: number;
  start: number;
  end: number;
  starts: Float64Array;
  ends: Float64Array;
  /** Open milliseconds in this year before interval i. */
  before: Float64Array;
  total: number;
  /** First instant of each local day of the year, plus the next year's first instant. */
  dayStarts: Float64Array;
  /** Open milliseconds of each local day of the year. */
  dayOpen: Float64Array;
};

/**
 * The days' rule, in order of precedence: an administrator's override; then the holiday feed (a
 * public holiday closes, a make-up workday opens with the calendar's first working weekday's
 * periods, since 调休 Saturdays are worked as ordinary weekdays); then the weekly periods.
 */
export function resolveDay(definition: CalendarDefinition, date: string): ResolvedDay {
  const wall = parseLocalDate(date);
  if (wall === undefined) throw new CalendarRangeError(`not a date: ${date}`);
  const override = definition.overrides.find((day) => day.date === date);
  if (override) return { date, kind: 'override', periods: override.periods, note: override.note };
  const feed = definition.publicHolidays;
  if (feed) {
    const holiday = feed.holidays.get(date);
    if (holiday) return { date, kind: 'public_holiday', periods: [], name: holiday };
    const makeUp = feed.makeUpWorkdays.get(date);
    if (makeUp) return { date, kind: 'make_up_workday', periods: workdayPeriods(definition.weekly), name: makeUp };
  }
  return { date, kind: 'weekly', periods: definition.weekly[weekdayIndex(wall)] ?? [] };
}

function workdayPeriods(weekly: WeeklyPeriods): readonly Period[] {
  for (let day = 0; day < 5; day++) {
    const periods = weekly[day];
    if (periods && periods.length > 0) return periods;
  }
  return [];
}

function upperBound(values: Float64Array, value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

const at = (values: Float64Array, index: number) => values[index] as number;

/**
 * A business calendar compiled for queries. Every answer is exact to the millisecond at period
 * edges; local periods follow the wall clock, so across a DST change a 09:00 opening stays 09:00
 * local, a period inside the spring-forward gap opens when the clock reaches it, and one in the
 * fall-back hour is open both times the clock shows it. Years compile on first use and stay cached.
 */
export class BusinessCalendar {
  private readonly years = new Map<number, YearChunk>();
  private readonly overrides: Map<string, DayOverride>;
  private fingerprint: string | undefined;

  constructor(readonly definition: CalendarDefinition) {
    this.overrides = new Map(definition.overrides.map((day) => [day.date, day]));
  }

  get name(): string {
    return this.definition.name;
  }

  get timeZone(): string {
    return this.definition.timeZone;
  }

  /**
   * A short fingerprint of the definition (zone, periods, holiday source, overrides): stored beside
   * a deadline, it tells which hours the deadline was computed in.
   */
  get version(): string {
    if (this.fingerprint === undefined) {
      this.fingerprint = fingerprint(
        JSON.stringify({ ...this.definition, publicHolidays: this.definition.publicHolidays?.source ?? null }),
      );
    }
    return this.fingerprint;
  }

  /** The rule for a local date and its periods. */
  day(date: string): ResolvedDay {
    const override = this.overrides.get(date);
    if (override) return { date, kind: 'override', periods: override.periods, note: override.note };
    return resolveDay({ ...this.definition, overrides: [] }, date);
  }

  /** The calendar's local date at an instant. */
  localDate(instant: number | Date): string {
    const time = this.check(instant);
    const chunk = this.chunkAt(time);
    const index = upperBound(chunk.dayStarts, time) - 1;
    return formatLocalDate(Date.UTC(chunk.year, 0, 1) + index * dayMs);
  }

  /** The first instant of a local date. */
  startOfDay(date: string): number {
    const wall = parseLocalDate(date);
    if (wall === undefined) throw new CalendarRangeError(`not a date: ${date}`);
    const year = new Date(wall).getUTCFullYear();
    if (year < firstYear || year > lastYear) throw new CalendarRangeError(`outside ${firstYear}–${lastYear}: ${date}`);
    const chunk = this.chunk(year);
    return at(chunk.dayStarts, Math.round((wall - Date.UTC(year, 0, 1)) / dayMs));
  }

  isOpen(instant: number | Date): boolean {
    const time = this.check(instant);
    const chunk = this.chunkAt(time);
    const index = upperBound(chunk.starts, time) - 1;
    return index >= 0 && time < at(chunk.ends, index);
  }

  /** Whether it is open, and the next instant that changes it (null: no change within three years). */
  state(instant: number | Date): { open: boolean; nextChange: number | null } {
    const time = this.check(instant);
    let chunk = this.chunkAt(time);
    const index = upperBound(chunk.starts, time) - 1;
    if (index >= 0 && time < at(chunk.ends, index)) {
      // Open: the interval may run on into the next local year (a 24-hour calendar).
      let end = at(chunk.ends, index);
      for (let step = 0; end === chunk.end; step++) {
        if (step >= searchYears || chunk.year >= lastYear) return { open: true, nextChange: null };
        const next = this.chunk(chunk.year + 1);
        if (next.starts.length === 0 || at(next.starts, 0) !== end) break;
        chunk = next;
        end = at(chunk.ends, 0);
      }
      return { open: true, nextChange: end };
    }
    if (index + 1 < chunk.starts.length) return { open: false, nextChange: at(chunk.starts, index + 1) };
    for (let step = 1; step <= searchYears && chunk.year < lastYear; step++) {
      chunk = this.chunk(chunk.year + 1);
      if (chunk.starts.length > 0) return { open: false, nextChange: at(chunk.starts, 0) };
    }
    return { open: false, nextChange: null };
  }

  /** The first instant at or after `instant` when the calendar is open (null: not within three years). */
  nextOpening(instant: number | Date): number | null {
    const state = this.state(instant);
    return state.open ? this.check(instant) : state.nextChange;
  }

  /** Open time between two instants in milliseconds (negative when `to` is before `from`). */
  businessTimeBetween(from: number | Date, to: number | Date): number {
    const start = this.check(from);
    const end = this.check(to);
    if (end < start) return 0 - this.businessTimeBetween(end, start) || 0;
    const first = this.chunkAt(start);
    const last = this.chunkAt(end);
    if (first.year === last.year) return this.openBefore(last, end) - this.openBefore(first, start);
    let total = first.total - this.openBefore(first, start);
    for (let year = first.year + 1; year < last.year; year++) total += this.chunk(year).total;
    return total + this.openBefore(last, end);
  }

  /**
   * The earliest instant by which `milliseconds` of open time have passed since `from`. It is never
   * in closed time: 4 business hours from 16:00 on a 09:00–18:00 day is 11:00 on the next open day,
   * and an amount that ends exactly at a closing time gives that closing time.
   */
  addBusinessTime(from: number | Date, milliseconds: number): number {
    const start = this.check(from);
    if (!Number.isFinite(milliseconds) || milliseconds < 0) throw new CalendarRangeError('business time to add must be zero or more');
    if (milliseconds === 0) return start;
    let chunk = this.chunkAt(start);
    let target = this.openBefore(chunk, start) + Math.round(milliseconds);
    while (target > chunk.total) {
      target -= chunk.total;
      if (chunk.year >= lastYear)
        throw new CalendarRangeError(`the calendar ${this.name} does not reach that much open time before ${lastYear + 1}`);
      chunk = this.chunk(chunk.year + 1);
    }
    // The interval in which the running total reaches the target.
    const index = upperBound(chunk.before, target - 0.5) - 1;
    return at(chunk.starts, index) + (target - at(chunk.before, index));
  }

  /**
   * N business days after an instant, where a business day is a local date on which the calendar
   * opens at all (after holidays, make-up workdays and overrides). The clock starts at the next
   * opening; the answer is the same point of the working day N business days later: as much open
   * time into that day as had passed on the first one (capped at that day's close), and the day's
   * opening when the start was an opening.
   */
  addBusinessDays(from: number | Date, days: number): number {
    if (!Number.isInteger(days) || days < 0) throw new CalendarRangeError('business days to add must be a whole number, zero or more');
    const start = this.nextOpening(from);
    if (start === null) throw new CalendarRangeError(`the calendar ${this.name} does not open within ${searchYears} years`);
    let chunk = this.chunkAt(start);
    let day = upperBound(chunk.dayStarts, start) - 1;
    const elapsed = this.openBefore(chunk, start) - this.openBefore(chunk, at(chunk.dayStarts, day));
    for (let counted = 0; counted < days; ) {
      day++;
      if (day >= chunk.dayOpen.length) {
        if (chunk.year >= lastYear)
          throw new CalendarRangeError(`the calendar ${this.name} has no ${days} open days before ${lastYear + 1}`);
        chunk = this.chunk(chunk.year + 1);
        day = 0;
      }
      if (at(chunk.dayOpen, day) > 0) counted++;
    }
    const dayStart = at(chunk.dayStarts, day);
    if (elapsed === 0) return this.nextOpening(dayStart) as number;
    return this.addBusinessTime(dayStart, Math.min(elapsed, at(chunk.dayOpen, day)));
  }

  /** The open intervals overlapping [from, to), clipped to it, merged where they touch. */
  *openIntervals(from: number | Date, to: number | Date): Generator<[number, number]> {
    const start = this.check(from);
    const end = this.check(to);
    if (end <= start) return;
    let pending: [number, number] | undefined;
    for (let year = this.chunkAt(start).year; year <= this.chunkAt(end).year; year++) {
      const chunk = this.chunk(year);
      for (let index = Math.max(0, upperBound(chunk.starts, start) - 1); index < chunk.starts.length; index++) {
        const intervalStart = Math.max(start, at(chunk.starts, index));
        const intervalEnd = Math.min(end, at(chunk.ends, index));
        if (intervalStart >= end) break;
        if (intervalEnd <= intervalStart) continue;
        if (pending && pending[1] === intervalStart) pending[1] = intervalEnd;
        else {
          if (pending) yield pending;
          pending = [intervalStart, intervalEnd];
        }
      }
    }
    if (pending) yield pending;
  }

  private check(instant: number | Date): number {
    const time = typeof instant === 'number' ? instant : instant.getTime();
    if (!Number.isFinite(time)) throw new CalendarRangeError('not a valid instant');
    const year = new Date(time).getUTCFullYear();
    if (year < firstYear || year > lastYear) throw new CalendarRangeError(`instants must lie between ${firstYear} and ${lastYear}`);
    return time;
  }

  /** Open milliseconds from the start of the chunk's year to `time`. */
  private openBefore(chunk: YearChunk, time: number): number {
    const index = upperBound(chunk.starts, time) - 1;
    if (index < 0) return 0;
    return at(chunk.before, index) + Math.min(time, at(chunk.ends, index)) - at(chunk.starts, index);
  }

  /** The local year holding an instant (its UTC year, or the one next to it). */
  private chunkAt(time: number): YearChunk {
    const chunk = this.chunk(new Date(time).getUTCFullYear());
    if (time < chunk.start) return this.chunk(chunk.year - 1);
    if (time >= chunk.end) return this.chunk(chunk.year + 1);
    return chunk;
  }

  private chunk(year: number): YearChunk {
    let chunk = this.years.get(year);
    if (!chunk) {
      chunk = this.compileYear(year);
      this.years.set(year, chunk);
    }
    return chunk;
  }

  private compileYear(year: number): YearChunk {
    const zone = this.definition.timeZone;
    const firstWall = Date.UTC(year, 0, 1);
    const days = Math.round((Date.UTC(year + 1, 0, 1) - firstWall) / dayMs);
    const dayStarts = new Float64Array(days + 1);
    const intervals: Array<[number, number]> = [];
    for (let day = 0; day <= days; day++) {
      const wall = firstWall + day * dayMs;
      const segments = offsetSegmentsAround(zone, wall);
      const [whole] = instantsForWallRange(segments, wall, wall + dayMs);
      // A day always has instants: zones skip at most a few hours, never a whole date.
      dayStarts[day] = whole ? whole[0] : wall - (segments[0]?.offset ?? 0);
      if (day === days) break;
      for (const period of this.day(formatLocalDate(wall)).periods) {
        intervals.push(...instantsForWallRange(segments, wall + period.start * minuteMs, wall + period.end * minuteMs));
      }
    }
    intervals.sort((left, right) => left[0] - right[0]);
    const merged: Array<[number, number]> = [];
    for (const interval of intervals) {
      const last = merged[merged.length - 1];
      if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
      else merged.push([interval[0], interval[1]]);
    }
    const starts = new Float64Array(merged.length);
    const ends = new Float64Array(merged.length);
    const before = new Float64Array(merged.length);
    let total = 0;
    merged.forEach(([start, end], index) => {
      starts[index] = start;
      ends[index] = end;
      before[index] = total;
      total += end - start;
    });
    const chunk: YearChunk = {
      year,
      start: at(dayStarts, 0),
      end: at(dayStarts, days),
      starts,
      ends,
      before,
      total,
      dayStarts,
      dayOpen: new Float64Array(days),
    };
    for (let day = 0; day < days; day++) {
      chunk.dayOpen[day] = this.openBefore(chunk, at(dayStarts, day + 1)) - this.openBefore(chunk, at(dayStarts, day));
    }
    return chunk;
  }
}

/** FNV-1a, 32 bits, in hex: a change detector for definitions, not a security measure. */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The wall-clock minute of the day and local date of an instant, read from Intl directly. */
export function wallReading(timeZone: string, instant: number): { date: string; minute: number } {
  const wall = wallTimeAt(timeZone, instant);
  return { date: formatLocalDate(Math.floor(wall / dayMs) * dayMs), minute: Math.floor((wall % dayMs) / minuteMs) };
}

// The functional surface the SLA clocks use; minutes are whole business minutes.

export function addBusinessMinutes(calendar: BusinessCalendar, from: number | Date, minutes: number): Date {
  return new Date(calendar.addBusinessTime(from, minutes * minuteMs));
}

export function businessMinutesBetween(calendar: BusinessCalendar, from: number | Date, to: number | Date): number {
  return calendar.businessTimeBetween(from, to) / minuteMs;
}
