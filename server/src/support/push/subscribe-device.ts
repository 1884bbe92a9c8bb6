import type { PushDevice, PushSubscribeRequest } from '@okpay/contracts';
import { withTransaction } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { type DeviceContext, subscriptionValues, toPushDevice } from './device-subscription.js';
import { trimDevices, upsertSubscription } from './push.repository.js';

/**
 * Turns notifications on for this browser: one row per endpoint, owned by the signed-in customer
 * and the session it came from (its sign-out removes it). Subscribing again refreshes the keys,
 * zone and language; another customer signing in on the same browser takes the row over.
 */
export async function subscribeDevice(deps: SupportDeps, request: PushSubscribeRequest, context: DeviceContext): Promise<PushDevice> {
  const values = subscriptionValues(deps, request, context);
  return withTransaction(deps.pool, async (tx) => {
    const row = await upsertSubscription(tx, values);
    await trimDevices(tx, context.customerId);
    return toPushDevice(row, context.sessionId);
  });
}
