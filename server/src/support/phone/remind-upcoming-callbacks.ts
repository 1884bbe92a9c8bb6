import { withTransaction } from '../../platform/index.js';
import { queuePush } from '../push/queue-push.js';
import type { SupportDeps } from '../support-deps.js';
import { claimCallbackReminders } from './phone.repository.js';

const batch = 200;

/**
 * "We will call you shortly": `PUSH_CALLBACK_LEAD_MINUTES` before each attempt of a booked
 * callback (the first, and every retry after a missed call), the customer's devices are told it
 * is coming. Each attempt is claimed on its row in the transaction that queues the notices, so it
 * is announced once even when two nodes sweep at the same time. A device whose quiet hours last
 * past the call gets nothing; the customer's choices are read again when each notice is sent.
 * Run by the support sweep every minute.
 */
export async function remindUpcomingCallbacks(deps: SupportDeps): Promise<number> {
  const at = deps.clock.now();
  const until = new Date(at.getTime() + deps.config.push.callbackLeadMinutes * 60_000);
  let claimed = 0;
  for (;;) {
    const count = await withTransaction(deps.pool, async (tx) => {
      const callbacks = await claimCallbackReminders(tx, at, until, batch);
      for (const callback of callbacks) {
        const attempt = callback.remindedAttempt ?? callback.attempts + 1;
        await queuePush(deps, tx, {
          customerId: callback.customerId,
          conversationId: callback.conversationId,
          kind: 'callback_soon',
          dedupeKey: `callback:${callback.id}:${attempt}`,
          facts: { callbackId: callback.id, attempt, dueAt: callback.dueAt.toISOString() },
          notAfter: callback.dueAt,
        });
      }
      return callbacks.length;
    });
    claimed += count;
    if (count < batch) return claimed;
  }
}
