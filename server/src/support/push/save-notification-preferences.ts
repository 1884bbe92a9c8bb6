import type { NotificationPreferences, NotificationPreferencesUpdate } from '@okpay/contracts';
import { parseMinute } from '../hours/zoned-time.js';
import type { SupportDeps } from '../support-deps.js';
import { findPreferences, savePreferences } from './push.repository.js';

/** The customer's choices as the devices page shows them (all kinds on, no quiet hours, until they choose). */
export async function getNotificationPreferences(deps: SupportDeps, customerId: string): Promise<NotificationPreferences> {
  const { push, quietHours } = await findPreferences(deps.db, customerId);
  return { push, quietHours };
}

/**
 * Which kinds to push and the quiet hours, kept as minutes of the day (24:00 as a start is
 * midnight). A kind the request leaves out keeps its stored choice.
 */
export async function saveNotificationPreferences(
  deps: SupportDeps,
  customerId: string,
  preferences: NotificationPreferencesUpdate,
): Promise<NotificationPreferences> {
  const hours = preferences.quietHours;
  const quiet = hours ? { start: (parseMinute(hours.start) ?? 0) % 1440, end: parseMinute(hours.end) ?? 0 } : null;
  await savePreferences(deps.db, customerId, { push: preferences.push, quiet }, deps.clock.now());
  return getNotificationPreferences(deps, customerId);
}
