import { withTransaction } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { listLongWaits } from './push.repository.js';
import { queuePush } from './queue-push.js';

export const waitingNoticeQueue = 'support.push.waiting-notices';

/**
 * "We are on it": a customer whose last message has waited long without an answer hears so once
 * per wait, with what we can honestly say (queue place and estimate, nobody online, closed until
 * when, or the email promise and whether we kept it). Chat waits `PUSH_CHAT_WAITING_MINUTES`,
 * email (and messages left in the widget) `PUSH_EMAIL_WAITING_HOURS`. Runs every minute on one
 * node; only customers with a device are looked at.
 */
export async function queueWaitingNotices(deps: SupportDeps): Promise<number> {
  const { chatWaitingMinutes, emailWaitingHours } = deps.config.push;
  const waits = await listLongWaits(deps.db, deps.clock.now(), { chatMinutes: chatWaitingMinutes, emailHours: emailWaitingHours });
  let queued = 0;
  for (const wait of waits) {
    queued += await withTransaction(deps.pool, (tx) =>
      queuePush(deps, tx, {
        customerId: wait.customerId,
        conversationId: wait.conversationId,
        kind: 'waiting',
        dedupeKey: `waiting:${wait.since.getTime()}`,
        facts: { since: wait.since.toISOString() },
      }),
    );
  }
  return queued;
}
