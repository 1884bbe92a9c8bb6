import { boolean, date, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { staffMembers } from '../../identity/identity.tables.js';

/** Opening periods as stored: minutes after local midnight, [start, end). */
export type StoredPeriod = { start: number; end: number };

/**
 * Calendars an administrator saved. A row named like a shipped calendar (default, chat, phone)
 * replaces it; other names are new calendars.
 */
export const businessCalendars = pgTable('business_calendars', {
  name: text('name').primaryKey(),
  timeZone: text('time_zone').notNull(),
  /** Seven lists of periods, Monday first. */
  weeklyPeriods: jsonb('weekly_periods').$type<StoredPeriod[][]>().notNull(),
  followsChinaHolidays: boolean('follows_china_holidays').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => staffMembers.id),
});

/** Days set by hand (company holidays, a schedule published late): they win over the feed and the week. */
export const businessCalendarDays = pgTable(
  'business_calendar_days',
  {
    calendarName: text('calendar_name').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    /** Empty: closed all day. */
    periods: jsonb('periods').$type<StoredPeriod[]>().notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by').references(() => staffMembers.id),
  },
  (table) => [primaryKey({ columns: [table.calendarName, table.date] })],
);

/** Which calendar a channel keeps, where an administrator changed the shipped choice. */
export const supportChannelCalendars = pgTable('support_channel_calendars', {
  channel: text('channel').primaryKey(),
  calendarName: text('calendar_name').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => staffMembers.id),
});
