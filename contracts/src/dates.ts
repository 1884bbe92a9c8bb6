import { z } from 'zod';

/**
 * Dates a request may name: calendar years 1900–9999. Year 0000 does not exist for PostgreSQL and
 * five-digit years for no client, so anything outside is refused with a 400 before a query runs.
 */
export const earliestYear = 1900;
export const latestYear = 9999;

const isDay = (value: string) => z.iso.date().safeParse(value).success;
const isInstant = (value: string) => z.iso.datetime({ offset: true }).safeParse(value).success;
const isYearInRange = (value: string) => {
  const year = Number(value.slice(0, 4));
  return year >= earliestYear && year <= latestYear;
};

/** One refusal per field, worded in both languages, whatever was wrong with the text. */
const dateText = (isFormat: (value: string) => boolean, example: string, description: string, examples: string[]) =>
  z
    .string()
    .max(40)
    .refine((value) => isFormat(value) && isYearInRange(value), {
      params: {
        messages: {
          en: `Must be a date like ${example}, from ${earliestYear} to ${latestYear}`,
          'zh-CN': `须为 ${example} 这样的日期，年份在 ${earliestYear} 至 ${latestYear} 之间`,
        },
      },
    })
    .meta({ description, examples });

/** A calendar day, `2026-03-01`. */
export const calendarDateSchema = dateText(isDay, '2026-03-01', 'A calendar day, e.g. 2026-03-01 (years 1900–9999)', ['2026-03-01']);
/** A moment with its offset, `2026-03-01T08:00:00+08:00` or `…Z`. */
export const instantSchema = dateText(
  isInstant,
  '2026-03-01T08:00:00+08:00',
  'A moment with its offset, e.g. 2026-03-01T08:00:00+08:00 (years 1900–9999)',
  ['2026-03-01T08:00:00+08:00', '2026-03-01T00:00:00Z'],
);
/** A day (read in the operator's time zone) or a moment. */
export const dateOrInstantSchema = dateText(
  (value) => isDay(value) || isInstant(value),
  '2026-03-01',
  'A calendar day in the operator’s time zone (2026-03-01) or a moment with its offset (2026-03-01T08:00:00+08:00); years 1900–9999',
  ['2026-03-01', '2026-03-01T08:00:00+08:00'],
);
