import type { SaveCalendarRequest } from '@okpay/contracts';
import { recordAudit } from '../../platform/audit.js';
import type { Database } from '../../platform/db/client.js';
import { HoursError } from './hours.errors.js';
import { upsertCalendar } from './hours.repository.js';
import { forgetHours } from './support-hours.js';
import { isTimeZone, parseMinute } from './zoned-time.js';

type Actor = { staffId: string; ip?: string };

export function toStoredPeriods(periods: ReadonlyArray<{ start: string; end: string }>) {
  return periods.map((period) => ({ start: parseMinute(period.start) as number, end: parseMinute(period.end) as number }));
}

/** Creates a calendar or changes one (a shipped calendar is replaced by the saved one); audited. */
export async function saveCalendar(deps: { db: Database; clock: { now(): Date } }, name: string, input: SaveCalendarRequest, actor: Actor) {
  if (!isTimeZone(input.timeZone)) throw HoursError('time_zone_unknown', { zone: input.timeZone });
  const weeklyPeriods = input.weekly.map(toStoredPeriods);
  await deps.db.transaction(async (tx) => {
    await upsertCalendar(tx, {
      name,
      timeZone: input.timeZone,
      weeklyPeriods,
      followsChinaHolidays: input.followsChinaHolidays,
      updatedBy: actor.staffId,
      at: deps.clock.now(),
    });
    await recordAudit(tx, {
      actor: { type: 'staff', id: actor.staffId },
      action: 'hours.calendar_saved',
      target: { type: 'business_calendar', id: name },
      ip: actor.ip,
      details: { timeZone: input.timeZone, weekly: input.weekly, followsChinaHolidays: input.followsChinaHolidays },
    });
  });
  forgetHours(deps);
}
