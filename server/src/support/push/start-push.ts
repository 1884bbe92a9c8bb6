import type { MaintenanceTask } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { deliverPush } from './deliver-push.js';
import { pruneDeliveries } from './push.repository.js';
import { deliverQueue } from './queue-push.js';
import { vapidKeysOf } from './vapid-keys.js';
import { queueWaitingNotices, waitingNoticeQueue } from './waiting-notices.js';

/**
 * Web Push on this node: the VAPID keys (generated into the database by the first node to start,
 * unless the environment gives them), the worker that sends queued notifications, and the minute
 * sweep for customers who have waited long. The outbox subscriber is in support.subscribers.ts.
 */
export async function startPushNotifications(deps: SupportDeps): Promise<void> {
  await vapidKeysOf(deps);
  await deps.jobs.work<{ deliveryId: string }>(deliverQueue, (job) => deliverPush(deps, job.deliveryId));
  await deps.jobs.schedule(waitingNoticeQueue, '* * * * *', async () => {
    await queueWaitingNotices(deps);
  });
}

/** What was sent (or not) is kept 30 days, for support to answer "I never got a notification". */
export const pushDeliveryRetention: MaintenanceTask = { name: 'push-deliveries', run: pruneDeliveries };
