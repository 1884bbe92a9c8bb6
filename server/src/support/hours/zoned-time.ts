// Wall-clock arithmetic for IANA zones through Intl only (Node 20 has no Temporal). A "wall" time is
// the local date and time written as if it were UTC milliseconds, so local dates add like numbers.

export const minuteMs = 60_000;
export const dayMs = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(value: string): boolean {
  try {
    formatterFor(value);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of an instant in a zone, as UTC milliseconds (whole seconds). */
export function wallTimeAt(timeZone: string, instant: number): number {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
}

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
export function offsetAt(timeZone: string, instant: number): number {
  const second = Math.floor(instant / 1000) * 1000;
  return wallTimeAt(timeZone, second) - second;
}

/** A stretch of the timeline on which the zone keeps one offset. */
export type OffsetSegment = { from: number; to: number; offset: number };

/**
 * The offsets in force around one local day: one segment, or two when the zone changes its clock
 * (DST) between 15 hours before the day's wall midnight and 15 hours after its end. Offsets lie
 * within ±14 h, so every instant whose wall date is that day is covered.
 */
export function offsetSegmentsAround(timeZone: string, wallDayStart: number): OffsetSegment[] {
  let low = wallDayStart - 15 * 3_600_000;
  let high = wallDayStart + dayMs + 15 * 3_600_000;
  const before = offsetAt(timeZone, low);
  const after = offsetAt(timeZone, high);
  if (before === after) return [{ from: -Infinity, to: Infinity, offset: before }];
  // Zones change their offset on a whole second: search the transition to the second.
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2000) * 1000;
    if (offsetAt(timeZone, middle) === before) low = middle;
    else high = middle;
  }
  return [
    { from: -Infinity, to: high, offset: before },
    { from: high, to: Infinity, offset: after },
  ];
}

/** The instants whose wall-clock reading lies in [wallFrom, wallTo): one range, two in a fall-back overlap, none in a gap. */
export function instantsForWallRange(segments: readonly OffsetSegment[], wallFrom: number, wallTo: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const segment of segments) {
    const from = Math.max(segment.from, wallFrom - segment.offset);
    const to = Math.min(segment.to, wallTo - segment.offset);
    if (from < to) ranges.push([from, to]);
  }
  return ranges;
}

// ── Local dates as `YYYY-MM-DD` ──────────────────────────────────────────────────────────────

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The wall midnight of a `YYYY-MM-DD` date, or undefined when it is not a real date. */
export function parseLocalDate(date: string): number | undefined {
  const match = isoDate.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const wall = Date.UTC(year, month - 1, day);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return wall;
}

export function formatLocalDate(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}

/** ISO weekday index from Monday = 0 to Sunday = 6. */
export function weekdayIndex(wall: number): number {
  return (new Date(wall).getUTCDay() + 6) % 7;
}

/** "09:00" for 540, "24:00" for 1440. */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** 540 for "09:00"; 1440 for "24:00"; undefined for anything else. */
export function parseMinute(text: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return undefined;
  return hours * 60 + minutes;
}
