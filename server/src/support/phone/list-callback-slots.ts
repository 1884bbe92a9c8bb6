import type { CallbackSlots, Locale } from '@okpay/contracts';
import type { BusinessCalendar } from '../hours/business-calendar.js';
import { describeWhen } from '../hours/describe-support-hours.js';
import { currentHours } from '../hours/support-hours.js';
import { isTimeZone } from '../hours/zoned-time.js';
import type { SupportDeps } from '../support-deps.js';

const stepMs = 30 * 60_000;
const leadMs = 15 * 60_000;

/** The next bookable callback times: half hours inside the phone line's hours over the next three days, at most 48. */
export async function listCallbackSlots(deps: SupportDeps, options: { locale: Locale; timeZone?: string }): Promise<CallbackSlots> {
  const now = deps.clock.now();
  const hours = await currentHours(deps);
  const calendar = hours.calendars.get(hours.channels.phone) as BusinessCalendar;
  const zone = options.timeZone && isTimeZone(options.timeZone) ? options.timeZone : calendar.timeZone;
  const slots: CallbackSlots['slots'] = [];
  const first = Math.ceil((now.getTime() + leadMs) / stepMs) * stepMs;
  for (let at = first; at < now.getTime() + 3 * 24 * 3_600_000 && slots.length < 48; at += stepMs) {
    if (calendar.isOpen(at)) slots.push({ at: new Date(at).toISOString(), label: describeWhen(at, now, zone, options.locale) });
  }
  return { slots };
}
