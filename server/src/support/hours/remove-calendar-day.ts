import { recordAudit } from '../../platform/audit.js';
import type { Database } from '../../platform/db/client.js';
import { HoursError } from './hours.errors.js';
import { deleteCalendarDay } from './hours.repository.js';
import { forgetHours } from './support-hours.js';

type Actor = { staffId: string; ip?: string };

/** Removes a day set by hand: the holiday feed and the weekly periods apply again; audited. */
export async function removeCalendarDay(deps: { db: Database }, name: string, date: string, actor: Actor) {
  await deps.db.transaction(async (tx) => {
    const removed = await deleteCalendarDay(tx, name, date);
    if (!removed) throw HoursError('calendar_day_not_found', { name, date });
    await recordAudit(tx, {
      actor: { type: 'staff', id: actor.staffId },
      action: 'hours.day_removed',
      target: { type: 'business_calendar', id: name },
      ip: actor.ip,
      details: { date, periods: removed.periods, note: removed.note },
    });
  });
  forgetHours(deps);
}
