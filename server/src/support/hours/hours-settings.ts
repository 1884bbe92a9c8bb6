import type { CalendarView, HoursSettings, Locale, SupportChannel } from '@okpay/contracts';
import { chinaHolidays } from './china-holidays.js';
import { addLocalDays, toOpeningPeriods } from './describe-support-hours.js';
import type { HoursSnapshot } from './support-hours.js';

/**
 * The year an administrator must be warned about: the current one when the feed lacks it, or from
 * October (the State Council publishes the next year's schedule around October–November) the next.
 */
export function missingHolidayYear(localDate: string, lastYear: number): number | null {
  const year = Number(localDate.slice(0, 4));
  const month = Number(localDate.slice(5, 7));
  if (year > lastYear) return year;
  if (month >= 10 && year + 1 > lastYear) return year + 1;
  return null;
}

/** What the console's business-hours page shows: every calendar, its days set by hand, a preview. */
export function hoursSettings(snapshot: HoursSnapshot, at: Date, locale: Locale): HoursSettings {
  const feed = chinaHolidays();
  const calendars: CalendarView[] = [...snapshot.calendars.values()].map((calendar) => {
    const state = calendar.state(at);
    const today = calendar.localDate(at);
    const stored = snapshot.stored.days.filter((day) => day.calendarName === calendar.name);
    return {
      name: calendar.name,
      timeZone: calendar.timeZone,
      weekly: calendar.definition.weekly.map(toOpeningPeriods),
      followsChinaHolidays: calendar.definition.publicHolidays !== null,
      isShipped: snapshot.shippedNames.has(calendar.name),
      isChanged: snapshot.stored.calendars.some((row) => row.name === calendar.name) || stored.length > 0,
      channels: (Object.entries(snapshot.channels) as Array<[SupportChannel, string]>)
        .filter(([, name]) => name === calendar.name)
        .map(([channel]) => channel),
      overrides: stored.map((day) => ({
        date: day.date,
        periods: toOpeningPeriods(day.periods),
        note: day.note,
        createdAt: day.createdAt.toISOString(),
      })),
      now: { open: state.open, nextChange: state.nextChange === null ? null : new Date(state.nextChange).toISOString() },
      upcoming: Array.from({ length: 14 }, (_, index) => {
        const day = calendar.day(addLocalDays(today, index));
        return {
          date: day.date,
          kind: day.kind,
          name: (locale === 'en' ? day.name?.en : day.name?.zh) ?? day.note ?? null,
          periods: toOpeningPeriods(day.periods),
        };
      }),
    };
  });
  const anyFollows = calendars.some((calendar) => calendar.followsChinaHolidays);
  const defaultCalendar = snapshot.calendars.get('default');
  const localToday = defaultCalendar ? defaultCalendar.localDate(at) : at.toISOString().slice(0, 10);
  return {
    calendars,
    channels: { ...snapshot.channels },
    holidayData: {
      source: feed.source,
      firstYear: feed.firstYear,
      lastYear: feed.lastYear,
      missingYear: anyFollows ? missingHolidayYear(localToday, feed.lastYear) : null,
    },
  };
}
