import { createRequire } from 'node:module';
import type { HolidayFeed } from './business-calendar.js';

// China's public holidays and make-up workdays (调休) as published by the State Council, from the
// maintained chinese-days package: its data file, read as is, so updating the package updates them.
const require = createRequire(import.meta.url);

type ChineseDaysData = { holidays: Record<string, string>; workdays: Record<string, string> };

let feed: HolidayFeed | undefined;

/** "Spring Festival,春节,4" → both names (the number is the statutory days, not the break length). */
function names(label: string): { zh: string; en: string } {
  const [en = label, zh = en] = label.split(',');
  return { zh, en };
}

export function chinaHolidays(): HolidayFeed {
  if (feed) return feed;
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const version = (require('chinese-days/package.json') as { version: string }).version;
  const holidays = new Map(Object.entries(data.holidays).map(([date, label]) => [date, names(label)] as const));
  const makeUpWorkdays = new Map(Object.entries(data.workdays).map(([date, label]) => [date, names(label)] as const));
  const years = [...holidays.keys()].map((date) => Number(date.slice(0, 4)));
  feed = {
    source: `chinese-days ${version}`,
    holidays,
    makeUpWorkdays,
    firstYear: Math.min(...years),
    lastYear: Math.max(...years),
  };
  return feed;
}
