import { and, asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../platform/index.js';
import { businessCalendarDays, businessCalendars, type StoredPeriod, supportChannelCalendars } from './hours.tables.js';

export type StoredCalendar = typeof businessCalendars.$inferSelect;
export type StoredCalendarDay = typeof businessCalendarDays.$inferSelect;

export type StoredHours = {
  calendars: StoredCalendar[];
  days: StoredCalendarDay[];
  channels: Array<{ channel: string; calendarName: string }>;
};

/** Everything administrators changed about business hours, in one read. */
export async function loadStoredHours(db: Queryable): Promise<StoredHours> {
  const [calendars, days, channels] = await Promise.all([
    db.select().from(businessCalendars).orderBy(asc(businessCalendars.name)),
    db.select().from(businessCalendarDays).orderBy(asc(businessCalendarDays.calendarName), asc(businessCalendarDays.date)),
    db
      .select({ channel: supportChannelCalendars.channel, calendarName: supportChannelCalendars.calendarName })
      .from(supportChannelCalendars),
  ]);
  return { calendars, days, channels };
}

export async function upsertCalendar(
  db: Queryable,
  calendar: { name: string; timeZone: string; weeklyPeriods: StoredPeriod[][]; followsChinaHolidays: boolean; updatedBy: string; at: Date },
): Promise<void> {
  const values = {
    timeZone: calendar.timeZone,
    weeklyPeriods: calendar.weeklyPeriods,
    followsChinaHolidays: calendar.followsChinaHolidays,
    updatedBy: calendar.updatedBy,
    updatedAt: calendar.at,
  };
  await db
    .insert(businessCalendars)
    .values({ name: calendar.name, ...values })
    .onConflictDoUpdate({ target: businessCalendars.name, set: values });
}

/** Sets one day by hand, replacing what was set for that date before; returns the earlier setting. */
export async function upsertCalendarDay(
  db: Queryable,
  day: { calendarName: string; date: string; periods: StoredPeriod[]; note: string | null; createdBy: string; at: Date },
): Promise<StoredCalendarDay | undefined> {
  const [previous] = await db
    .select()
    .from(businessCalendarDays)
    .where(and(eq(businessCalendarDays.calendarName, day.calendarName), eq(businessCalendarDays.date, day.date)))
    .for('update');
  const values = { periods: day.periods, note: day.note, createdBy: day.createdBy, createdAt: day.at };
  await db
    .insert(businessCalendarDays)
    .values({ calendarName: day.calendarName, date: day.date, ...values })
    .onConflictDoUpdate({ target: [businessCalendarDays.calendarName, businessCalendarDays.date], set: values });
  return previous;
}

export async function deleteCalendarDay(db: Queryable, calendarName: string, date: string): Promise<StoredCalendarDay | undefined> {
  const [removed] = await db
    .delete(businessCalendarDays)
    .where(and(eq(businessCalendarDays.calendarName, calendarName), eq(businessCalendarDays.date, date)))
    .returning();
  return removed;
}

export async function upsertChannelCalendar(
  db: Queryable,
  choice: { channel: string; calendarName: string; updatedBy: string; at: Date },
): Promise<void> {
  const values = { calendarName: choice.calendarName, updatedBy: choice.updatedBy, updatedAt: choice.at };
  await db
    .insert(supportChannelCalendars)
    .values({ channel: choice.channel, ...values })
    .onConflictDoUpdate({ target: supportChannelCalendars.channel, set: values });
}
