import type { AddCalendarDayRequest } from '@okpay/contracts';
import { withTransaction } from '../../platform/index.js';
import { HoursError } from './hours.errors.js';
import { upsertCalendarDay } from './hours.repository.js';
import { auditHoursChange, type HoursActor } from './hours-audit.js';
import { toStoredPeriods } from './save-calendar.js';
import { currentHours, forgetHours, type HoursDeps } from './support-hours.js';

async function requireCalendar(deps: HoursDeps, name: string) {
  if (!(await currentHours(deps)).calendars.has(name)) throw HoursError('calendar_not_found', { name });
}

/** Sets one day of a calendar by hand (closed, or its own periods), replacing an earlier setting; audited. */
export async function setCalendarDay(
  deps: HoursDeps & { clock: { now(): Date } },
  name: string,
  input: AddCalendarDayRequest,
  actor: HoursActor,
) {
  const year = Number(input.date.slice(0, 4));
  if (year < 1971 || year > 2199) throw HoursError('date_out_of_range');
  await requireCalendar(deps, name);
  await withTransaction(deps.db.$client, async (tx) => {
    const previous = await upsertCalendarDay(tx, {
      calendarName: name,
      date: input.date,
      periods: toStoredPeriods(input.periods),
      note: input.note || null,
      createdBy: actor.staffId,
      at: deps.clock.now(),
    });
    await auditHoursChange(
      tx,
      actor,
      'hours.day_set',
      { type: 'business_calendar', id: name },
      {
        date: input.date,
        periods: input.periods,
        note: input.note ?? null,
        replaced: previous ? { periods: previous.periods, note: previous.note } : null,
      },
    );
  });
  forgetHours(deps);
}
