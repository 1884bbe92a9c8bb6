import { wallReading } from '../hours/business-calendar.js';
import { isTimeZone, minuteMs, offsetAt } from '../hours/zoned-time.js';

/** Minutes after local midnight: [start, end), across midnight when end ≤ start (22:00–07:30). */
export type QuietMinutes = { start: number; end: number };

function isQuietMinute(minute: number, quiet: QuietMinutes): boolean {
  return quiet.start < quiet.end ? minute >= quiet.start && minute < quiet.end : minute >= quiet.start || minute < quiet.end;
}

/**
 * When a notification may go out: `at` itself, or the end of the device owner's quiet hours read
 * on their own clock (the zone the device reported), so 22:00–07:30 means their night wherever
 * they are. A wall time the clock skips (a DST spring-forward) ends the quiet hours at the first
 * minute after it.
 */
export function notBefore(at: Date, quiet: QuietMinutes | null, timeZone: string): Date {
  if (!quiet || !isTimeZone(timeZone)) return at;
  const { minute } = wallReading(timeZone, at.getTime());
  if (!isQuietMinute(minute, quiet)) return at;
  const startOfMinute = Math.floor(at.getTime() / minuteMs) * minuteMs;
  const ahead = (quiet.end - minute + 1440) % 1440 || 1440;
  let candidate = startOfMinute + ahead * minuteMs;
  // Correct for an offset change on the way (DST), then step over any minute still quiet.
  candidate += offsetAt(timeZone, startOfMinute) - offsetAt(timeZone, candidate);
  for (let guard = 0; guard < 180 && isQuietMinute(wallReading(timeZone, candidate).minute, quiet); guard += 1) candidate += minuteMs;
  return new Date(Math.max(candidate, at.getTime()));
}
