import type { SupportDeps } from '../support-deps.js';
import { PushError } from './push.errors.js';
import { deleteSubscription } from './push.repository.js';

/** Stops notifications to one of the customer's devices (the devices page); another customer's is "not found". */
export async function removePushDevice(deps: SupportDeps, customerId: string, deviceId: string): Promise<void> {
  if (!(await deleteSubscription(deps.db, { customerId, id: deviceId }))) throw PushError('push_device_not_found');
}

/** Stops notifications to this browser, known by its endpoint; nothing to do if it was off already. */
export async function unsubscribeDevice(deps: SupportDeps, customerId: string, endpoint: string): Promise<void> {
  await deleteSubscription(deps.db, { customerId, endpoint });
}
