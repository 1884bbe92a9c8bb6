import type { PushDevice, PushSubscribeRequest } from '@okpay/contracts';
import type { SupportDeps } from '../support-deps.js';
import { type DeviceContext, subscriptionValues, toPushDevice } from './device-subscription.js';
import { PushError } from './push.errors.js';
import { renewSubscription } from './push.repository.js';

/**
 * Refreshes this browser's subscription when the app opens (the session changed, the browser
 * rotated its keys), but only while it is still subscribed: a device removed from the devices page
 * or signed out from elsewhere stays off until the customer turns it on again there.
 */
export async function renewDevice(deps: SupportDeps, request: PushSubscribeRequest, context: DeviceContext): Promise<PushDevice> {
  const row = await renewSubscription(deps.db, subscriptionValues(deps, request, context));
  if (!row) throw PushError('push_subscription_not_found');
  return toPushDevice(row, context.sessionId);
}
