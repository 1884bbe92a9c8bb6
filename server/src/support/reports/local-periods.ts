import { offsetAt } from '../hours/zoned-time.js';

/**
 * Report buckets in the team's zone (`TIME_ZONE`): half hours (`slot`), local days, ISO weeks
 * (Monday first) and months, each named by the instant it starts. Offsets are read from Intl once
 * per hour of the timeline and cached, since a year of events asks millions of times.
 */
export type PeriodKind = 'slot' | 'day' | 'month';

const hourMs = 3_600_000;
const slotMs = 1_800_000;
const dayMs = 86_400_000;

export class LocalPeriods {
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {}

  offset(instant: number): number {
    const hour = Math.floor(instant / hourMs);
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      if (this.offsets.size > 200_000) this.offsets.clear();
      offset = offsetAt(this.timeZone, hour * hourMs);
      this.offsets.set(hour, offset);
    }
    return offset;
  }

  /** The local wall clock as UTC milliseconds. */
  wall(instant: number): number {
    return instant + this.offset(instant);
  }

  /** The instant a wall time happens (the earlier one in a DST overlap, the later side of a gap). */
  instantOf(wall: number): number {
    const guess = wall - this.offset(wall);
    const corrected = wall - this.offset(guess);
    return corrected;
  }

  startOf(kind: PeriodKind | 'week' | 'hour', instant: number): number {
    const wall = this.wall(instant);
    if (kind === 'slot') return this.instantOf(Math.floor(wall / slotMs) * slotMs);
    if (kind === 'hour') return this.instantOf(Math.floor(wall / hourMs) * hourMs);
    const day = Math.floor(wall / dayMs) * dayMs;
    if (kind === 'day') return this.instantOf(day);
    if (kind === 'week') return this.instantOf(day - ((new Date(day).getUTCDay() + 6) % 7) * dayMs);
    const date = new Date(day);
    return this.instantOf(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  }

  /** The start of the next period after the one starting at `start`. */
  next(kind: PeriodKind | 'week' | 'hour', start: number): number {
    const wall = this.wall(start);
    if (kind === 'slot') return this.instantOf(wall + slotMs);
    if (kind === 'hour') return this.instantOf(wall + hourMs);
    if (kind === 'day') return this.instantOf(wall + dayMs);
    if (kind === 'week') return this.instantOf(wall + 7 * dayMs);
    const date = new Date(wall);
    return this.instantOf(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
  }

  /** `2026-03-01` for the local date of an instant. */
  dateLabel(instant: number): string {
    return new Date(this.wall(instant)).toISOString().slice(0, 10);
  }

  /** `2026-03-01 09:30` for the local time of an instant. */
  timeLabel(instant: number): string {
    return new Date(this.wall(instant)).toISOString().slice(0, 16).replace('T', ' ');
  }

  /** 0 = Monday 00:00–00:59 … 167 = Sunday 23:00–23:59, in local time. */
  hourOfWeek(instant: number): number {
    const wall = this.wall(instant);
    const weekday = (new Date(wall).getUTCDay() + 6) % 7;
    return weekday * 24 + new Date(wall).getUTCHours();
  }
}

/** One LocalPeriods per zone, kept (its formatters are costly to build). */
const periodsByZone = new Map<string, LocalPeriods>();
export function periodsFor(timeZone: string): LocalPeriods {
  let periods = periodsByZone.get(timeZone);
  if (!periods) {
    periods = new LocalPeriods(timeZone);
    periodsByZone.set(timeZone, periods);
  }
  return periods;
}
