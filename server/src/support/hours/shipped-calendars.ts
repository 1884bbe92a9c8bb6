import type { CalendarDefinition, Period, WeeklyPeriods } from './business-calendar.js';
import { chinaHolidays } from './china-holidays.js';

export const supportChannels = ['chat', 'email', 'phone'] as const;
export type SupportChannel = (typeof supportChannels)[number];

/** The calendar "business days" are counted in, unless a caller names another. */
export const defaultCalendarName = 'default';

const nineToSix: Period[] = [{ start: 9 * 60, end: 18 * 60 }];
const nineToNine: Period[] = [{ start: 9 * 60, end: 21 * 60 }];

export const mondayToFriday = (periods: readonly Period[]): WeeklyPeriods => [periods, periods, periods, periods, periods, [], []];
export const everyDay = (periods: readonly Period[]): WeeklyPeriods => [periods, periods, periods, periods, periods, periods, periods];

/**
 * What ships before an administrator changes anything, matching what the pages have always
 * promised. Phone and chat are staffed every day, public holidays included (a wallet's customers
 * need help most around Spring Festival and National Day), so they ignore the holiday feed; the
 * office calendar that counts business days and answers email follows China's holidays and 调休.
 */
export function shippedCalendars(timeZone = 'Asia/Shanghai'): CalendarDefinition[] {
  return [
    { name: defaultCalendarName, timeZone, weekly: mondayToFriday(nineToSix), publicHolidays: chinaHolidays(), overrides: [] },
    { name: 'chat', timeZone, weekly: everyDay(nineToNine), publicHolidays: null, overrides: [] },
    { name: 'phone', timeZone, weekly: everyDay(nineToNine), publicHolidays: null, overrides: [] },
  ];
}

/** Which calendar each channel keeps, before an administrator changes it. */
export const shippedChannelCalendars: Record<SupportChannel, string> = { chat: 'chat', email: defaultCalendarName, phone: 'phone' };
