import type { SupportChannel } from '@okpay/contracts';
import type { Database } from '../../platform/index.js';
import { BusinessCalendar, type CalendarDefinition } from './business-calendar.js';
import { chinaHolidays } from './china-holidays.js';
import { loadStoredHours, type StoredHours } from './hours.repository.js';
import { defaultCalendarName, shippedCalendars, shippedChannelCalendars, supportChannels } from './shipped-calendars.js';

/** The calendars in force: shipped ones with administrators' changes applied, and each channel's choice. */
export type HoursSnapshot = {
  calendars: ReadonlyMap<string, BusinessCalendar>;
  channels: Readonly<Record<SupportChannel, string>>;
  stored: StoredHours;
  shippedNames: ReadonlySet<string>;
};

export const noStoredHours: StoredHours = { calendars: [], days: [], channels: [] };

// Compiled calendars are reused while their definition is unchanged, so a reload costs no recompiling.
const compiled = new Map<string, BusinessCalendar>();

function compile(definition: CalendarDefinition): BusinessCalendar {
  const key = JSON.stringify({ ...definition, publicHolidays: definition.publicHolidays?.source ?? null });
  let calendar = compiled.get(key);
  if (!calendar) {
    if (compiled.size > 100) compiled.clear();
    calendar = new BusinessCalendar(definition);
    compiled.set(key, calendar);
  }
  return calendar;
}

/** Applies what administrators stored to the shipped calendars (pure: the CLI uses it without a database). */
export function buildHours(stored: StoredHours): HoursSnapshot {
  const definitions = new Map(shippedCalendars().map((definition) => [definition.name, definition]));
  const shippedNames = new Set(definitions.keys());
  for (const row of stored.calendars) {
    definitions.set(row.name, {
      name: row.name,
      timeZone: row.timeZone,
      weekly: row.weeklyPeriods,
      publicHolidays: row.followsChinaHolidays ? chinaHolidays() : null,
      overrides: [],
    });
  }
  const calendars = new Map<string, BusinessCalendar>();
  for (const [name, definition] of definitions) {
    const overrides = stored.days
      .filter((day) => day.calendarName === name)
      .map((day) => ({ date: day.date, periods: day.periods, note: day.note ?? undefined }));
    calendars.set(name, compile({ ...definition, overrides }));
  }
  const channels = { ...shippedChannelCalendars };
  for (const choice of stored.channels) {
    if ((supportChannels as readonly string[]).includes(choice.channel) && calendars.has(choice.calendarName)) {
      channels[choice.channel as SupportChannel] = choice.calendarName;
    }
  }
  return { calendars, channels, stored, shippedNames };
}

export function calendarNamed(snapshot: HoursSnapshot, name = defaultCalendarName): BusinessCalendar | undefined {
  return snapshot.calendars.get(name);
}

// Every node reads the stored hours at most every SUPPORT_HOURS_CACHE_SECONDS (15 by default),
// and at once after saving a change itself, so an administrator's change reaches all nodes within that.
export type HoursDeps = { db: Database; config: { support: { hoursCacheSeconds: number } } };

type CacheEntry = { snapshot: Promise<HoursSnapshot>; expiresAt: number };
const cache = new WeakMap<Database, CacheEntry>();

/** Freshness is measured in real elapsed time, not the (possibly fixed) business clock. */
export async function currentHours(deps: HoursDeps): Promise<HoursSnapshot> {
  const now = performance.now();
  const entry = cache.get(deps.db);
  if (entry && entry.expiresAt > now) return entry.snapshot;
  const snapshot = loadStoredHours(deps.db).then(buildHours);
  cache.set(deps.db, { snapshot, expiresAt: now + deps.config.support.hoursCacheSeconds * 1000 });
  snapshot.catch(() => cache.delete(deps.db));
  return snapshot;
}

/** After a change on this node: the next read loads it. */
export function forgetHours(deps: { db: Database }): void {
  cache.delete(deps.db);
}
