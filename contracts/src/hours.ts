import { z } from 'zod';
import { calendarDateSchema } from './dates.js';
import { conversationChannelSchema } from './support.js';

// Business hours: support channels' calendars, what the public pages show, and what admins edit.

/** Every channel keeps a calendar: chat, email and phone. */
export const supportChannelSchema = conversationChannelSchema;
export type SupportChannel = z.infer<typeof supportChannelSchema>;

/** Local wall-clock time "HH:MM", 00:00 to 24:00. */
export const clockTimeSchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time from 00:00 to 24:00, like 09:00');

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export const openingPeriodSchema = z
  .strictObject({ start: clockTimeSchema, end: clockTimeSchema })
  .refine((period) => minutesOf(period.start) < minutesOf(period.end), { message: 'a period must end after it starts' });
export type OpeningPeriod = z.infer<typeof openingPeriodSchema>;

/** One day's periods, in order and apart (touching periods are one period). */
export const dayPeriodsSchema = z
  .array(openingPeriodSchema)
  .max(8)
  .refine(
    (periods) => periods.every((period, index) => index === 0 || minutesOf(period.start) > minutesOf(periods[index - 1]?.end ?? '00:00')),
    { message: 'periods must be in order and must not overlap or touch' },
  );

export const calendarNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, 'lower-case letters, digits and dashes, 2–40 characters, starting with a letter');

/** A day in a calendar's own zone (years 1900–9999, as every date a request names). */
export const localDateSchema = calendarDateSchema;

export const calendarDayKindSchema = z.enum(['weekly', 'public_holiday', 'make_up_workday', 'override']);

/** A published support number: as dialled, and what it is for in the reader's language. */
export const supportNumberSchema = z.object({
  /** As printed, e.g. "400-000-0000" or "+86 21 0000 0000". */
  number: z.string(),
  /** For a `tel:` link: digits, with a leading + for an international number. */
  dial: z.string(),
  label: z.string(),
});
export type SupportNumber = z.infer<typeof supportNumberSchema>;

/** GET /api/support/hours: one entry per channel. */
export const channelHoursSchema = z.object({
  channel: supportChannelSchema,
  /** The calendar the channel keeps. */
  calendar: z.string(),
  timeZone: z.string(),
  open: z.boolean(),
  /** When `open` flips next; null when it does not within three years. */
  nextChange: z.iso.datetime({ offset: true }).nullable(),
  /** The next instant it is open: now when open. */
  nextOpening: z.iso.datetime({ offset: true }).nullable(),
  /** Today's periods in the calendar's zone. */
  periodsToday: z.array(openingPeriodSchema),
  /** Why today has those periods, and the holiday's name if it is one. */
  today: z.object({ date: localDateSchema, kind: calendarDayKindSchema, name: z.string().nullable() }),
  followsPublicHolidays: z.boolean(),
  /** In the caller's language: the channel's name, the weekly hours, today's hours and whether it is open now. */
  label: z.string(),
  summary: z.string(),
  todayText: z.string(),
  status: z.string(),
  /** The phone entry only: the numbers to call in these hours. */
  numbers: z.array(supportNumberSchema).optional(),
});
export type ChannelHours = z.infer<typeof channelHoursSchema>;

export const supportHoursSchema = z.object({ at: z.iso.datetime({ offset: true }), channels: z.array(channelHoursSchema) });
export type SupportHours = z.infer<typeof supportHoursSchema>;

export const supportHoursQuerySchema = z.strictObject({
  /** The customer's IANA zone, so "expect a reply Monday 09:00" is in their time. */
  timeZone: z.string().max(64).optional(),
});

// ── Staff console ────────────────────────────────────────────────────────────────────────────

export const calendarOverrideSchema = z.object({
  date: localDateSchema,
  /** Empty: closed all day. */
  periods: z.array(openingPeriodSchema),
  note: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }).nullable(),
});
export type CalendarOverride = z.infer<typeof calendarOverrideSchema>;

export const calendarViewSchema = z.object({
  name: z.string(),
  timeZone: z.string(),
  /** Monday first. */
  weekly: z.array(z.array(openingPeriodSchema)).length(7),
  followsChinaHolidays: z.boolean(),
  /** Shipped with OKPay (can be changed, not removed). */
  isShipped: z.boolean(),
  isChanged: z.boolean(),
  channels: z.array(supportChannelSchema),
  overrides: z.array(calendarOverrideSchema),
  now: z.object({ open: z.boolean(), nextChange: z.iso.datetime({ offset: true }).nullable() }),
  /** The next 14 local days as the calendar resolves them. */
  upcoming: z.array(
    z.object({ date: localDateSchema, kind: calendarDayKindSchema, name: z.string().nullable(), periods: z.array(openingPeriodSchema) }),
  ),
});
export type CalendarView = z.infer<typeof calendarViewSchema>;

export const hoursSettingsSchema = z.object({
  calendars: z.array(calendarViewSchema),
  channels: z.record(supportChannelSchema, z.string()),
  holidayData: z.object({
    source: z.string(),
    firstYear: z.number().int(),
    lastYear: z.number().int(),
    /** A year that has started or is close (from October) without official data: admins are warned. */
    missingYear: z.number().int().nullable(),
  }),
});
export type HoursSettings = z.infer<typeof hoursSettingsSchema>;

export const saveCalendarRequestSchema = z.strictObject({
  timeZone: z.string().min(1).max(64),
  weekly: z.array(dayPeriodsSchema).length(7),
  followsChinaHolidays: z.boolean(),
});
export type SaveCalendarRequest = z.infer<typeof saveCalendarRequestSchema>;

export const addCalendarDayRequestSchema = z.strictObject({
  date: localDateSchema,
  /** Empty: closed all day. */
  periods: dayPeriodsSchema,
  note: z.string().trim().max(200).optional(),
});
export type AddCalendarDayRequest = z.infer<typeof addCalendarDayRequestSchema>;

export const setChannelCalendarRequestSchema = z.strictObject({ calendar: calendarNameSchema });
