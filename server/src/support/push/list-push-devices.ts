import type { PushDevice } from '@okpay/contracts';
import type { SupportDeps } from '../support-deps.js';
import { toPushDevice } from './device-subscription.js';
import { listSubscriptions } from './push.repository.js';

/** The devices that get this customer's notifications, the asking session's marked. */
export async function listPushDevices(deps: SupportDeps, customer: { customerId: string; sessionId: string }): Promise<PushDevice[]> {
  const rows = await listSubscriptions(deps.db, customer.customerId);
  return rows.map((row) => toPushDevice(row, customer.sessionId));
}
