import { type Database, withTransaction } from '../../platform/index.js';
import { HoursError } from './hours.errors.js';
import { deleteCalendarDay } from './hours.repository.js';
import { auditHoursChange, type HoursActor } from './hours-audit.js';
import { forgetHours } from './support-hours.js';

/** Removes a day set by hand: the holiday feed and the weekly periods apply again; audited. */
export async function removeCalendarDay(deps: { db: Database }, name: string, date: string, actor: HoursActor) {
  await withTransaction(deps.db.$client, async (tx) => {
    const removed = await deleteCalendarDay(tx, name, date);
    if (!removed) throw HoursError('calendar_day_not_found', { name, date });
    await auditHoursChange(
      tx,
      actor,
      'hours.day_removed',
      { type: 'business_calendar', id: name },
      { date, periods: removed.periods, note: removed.note },
    );
  });
  forgetHours(deps);
}
