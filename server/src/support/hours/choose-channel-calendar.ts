import type { SupportChannel } from '@okpay/contracts';
import { withTransaction } from '../../platform/index.js';
import { HoursError } from './hours.errors.js';
import { upsertChannelCalendar } from './hours.repository.js';
import { auditHoursChange, type HoursActor } from './hours-audit.js';
import { currentHours, forgetHours, type HoursDeps } from './support-hours.js';

/** Makes a channel keep another calendar; the pages and the widget follow at once on this node; audited. */
export async function chooseChannelCalendar(
  deps: HoursDeps & { clock: { now(): Date } },
  channel: SupportChannel,
  calendarName: string,
  actor: HoursActor,
) {
  const snapshot = await currentHours(deps);
  if (!snapshot.calendars.has(calendarName)) throw HoursError('calendar_not_found', { name: calendarName });
  await withTransaction(deps.db.$client, async (tx) => {
    await upsertChannelCalendar(tx, { channel, calendarName, updatedBy: actor.staffId, at: deps.clock.now() });
    await auditHoursChange(
      tx,
      actor,
      'hours.channel_calendar_chosen',
      { type: 'support_channel', id: channel },
      { from: snapshot.channels[channel], to: calendarName },
    );
  });
  forgetHours(deps);
}
