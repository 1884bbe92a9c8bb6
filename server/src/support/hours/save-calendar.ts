import type { SaveCalendarRequest } from '@okpay/contracts';
import { type Database, withTransaction } from '../../platform/index.js';
import { HoursError } from './hours.errors.js';
import { upsertCalendar } from './hours.repository.js';
import { auditHoursChange, type HoursActor } from './hours-audit.js';
import { forgetHours } from './support-hours.js';
import { isTimeZone, parseMinute } from './zoned-time.js';

export function toStoredPeriods(periods: ReadonlyArray<{ start: string; end: string }>) {
  return periods.map((period) => ({ start: parseMinute(period.start) as number, end: parseMinute(period.end) as number }));
}

/** Creates a calendar or changes one (a shipped calendar is replaced by the saved one); audited. */
export async function saveCalendar(
  deps: { db: Database; clock: { now(): Date } },
  name: string,
  input: SaveCalendarRequest,
  actor: HoursActor,
) {
  if (!isTimeZone(input.timeZone)) throw HoursError('time_zone_unknown', { zone: input.timeZone });
  const weeklyPeriods = input.weekly.map(toStoredPeriods);
  await withTransaction(deps.db.$client, async (tx) => {
    await upsertCalendar(tx, {
      name,
      timeZone: input.timeZone,
      weeklyPeriods,
      followsChinaHolidays: input.followsChinaHolidays,
      updatedBy: actor.staffId,
      at: deps.clock.now(),
    });
    await auditHoursChange(
      tx,
      actor,
      'hours.calendar_saved',
      { type: 'business_calendar', id: name },
      { timeZone: input.timeZone, weekly: input.weekly, followsChinaHolidays: input.followsChinaHolidays },
    );
  });
  forgetHours(deps);
}
