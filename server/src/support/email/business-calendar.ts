/**
 * Business time as the email promise needs it. The support centre's calendar engine (holidays,
 * make-up working days, several opening ranges a day) implements the same interface; until it
 * is wired in, `fixedWeekdayCalendar` stands in: Monday to Friday, 09:00–18:00, in one zone.
 */
export type BusinessCalendar = {
  readonly timeZone: string;
  /** The moment `days` business days of open time after `start` (a start outside hours counts from the next opening). */
  addBusinessDays(start: Date, days: number): Date;
};

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number };

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function wallClockIn(timeZone: string) {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    weekday: 'short',
  });
  return (at: Date): WallClock => {
    const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      hour: Number(parts.hour),
      minute: Number(parts.minute),
      second: Number(parts.second),
      weekday: weekdays[parts.weekday ?? ''] ?? 1,
    };
  };
}

export function fixedWeekdayCalendar(timeZone: string, hours: { open: number; close: number } = { open: 9, close: 18 }): BusinessCalendar {
  const wallClock = wallClockIn(timeZone);
  // The instant a local wall-clock time names (zones with DST: the offset is read at that instant).
  const instant = (year: number, month: number, day: number, hour: number): Date => {
    const guess = Date.UTC(year, month - 1, day, hour);
    const seen = wallClock(new Date(guess));
    const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second) - guess;
    return new Date(guess - offset);
  };
  const openMs = (hours.close - hours.open) * 3_600_000;
  const addBusinessTime = (start: Date, milliseconds: number): Date => {
    let remaining = milliseconds;
    let cursor = start;
    for (let guard = 0; guard < 3_700; guard++) {
      const local = wallClock(cursor);
      const opens = instant(local.year, local.month, local.day, hours.open);
      const closes = instant(local.year, local.month, local.day, hours.close);
      if (local.weekday <= 5 && cursor < closes) {
        const from = new Date(Math.max(cursor.getTime(), opens.getTime()));
        const available = closes.getTime() - from.getTime();
        if (remaining <= available) return new Date(from.getTime() + remaining);
        remaining -= available;
      }
      // On to the next local day (noon avoids landing twice in one day around DST changes).
      const nextNoon = new Date(instant(local.year, local.month, local.day, 12).getTime() + 86_400_000);
      const next = wallClock(nextNoon);
      cursor = instant(next.year, next.month, next.day, 0);
    }
    throw new Error('business time beyond ten years');
  };
  return {
    timeZone,
    addBusinessDays: (start, days) => addBusinessTime(start, days * openMs),
  };
}
