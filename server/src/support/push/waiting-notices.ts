import { withTransaction } from '../../platform/db/transaction.js';
import type { SupportDeps } from '../support-deps.js';
import { queuePush } from './queue-push.js';

export const waitingNoticeQueue = 'support.push.waiting-notices';

type Waiting = { id: string; customer_id: string; last_customer_message_at: Date };

/**
 * "We are on it": a customer whose last message has waited long without an answer hears so once
 * per wait, with what we can honestly say (queue place and estimate, nobody online, closed until
 * when, or the email promise and whether we kept it). Chat waits `PUSH_CHAT_WAITING_MINUTES`,
 * email (and messages left in the widget) `PUSH_EMAIL_WAITING_HOURS`. Runs every minute on one
 * node; only customers with a device are looked at, and waits older than a week are left alone.
 */
export async function queueWaitingNotices(deps: SupportDeps): Promise<number> {
  const now = deps.clock.now();
  const { chatWaitingMinutes, emailWaitingHours } = deps.config.push;
  const waiting = await deps.pool.query<Waiting>(
    `SELECT c.id, c.customer_id, c.last_customer_message_at
     FROM conversations c
     WHERE c.status IN ('open', 'pending') AND c.customer_id IS NOT NULL
       AND c.last_customer_message_at IS NOT NULL
       AND c.last_customer_message_at > $1::timestamptz - interval '7 days'
       AND (c.last_agent_message_at IS NULL OR c.last_agent_message_at < c.last_customer_message_at)
       AND CASE WHEN c.channel = 'chat' AND NOT c.is_offline_message
             THEN c.last_customer_message_at <= $1::timestamptz - make_interval(mins => $2)
             ELSE c.last_customer_message_at <= $1::timestamptz - make_interval(hours => $3) END
       AND EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.customer_id = c.customer_id)
       AND NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.customer_id = c.customer_id AND NOT p.push_waiting)
       AND NOT EXISTS (SELECT 1 FROM push_deliveries d WHERE d.conversation_id = c.id AND d.kind = 'waiting'
                       AND d.dedupe_key = 'waiting:' || (extract(epoch FROM c.last_customer_message_at) * 1000)::bigint)
     ORDER BY c.last_customer_message_at
     LIMIT 500`,
    [now, chatWaitingMinutes, emailWaitingHours],
  );
  let queued = 0;
  for (const row of waiting.rows) {
    const since = row.last_customer_message_at;
    queued += await withTransaction(deps.pool, (tx) =>
      queuePush(deps, tx, {
        customerId: row.customer_id,
        conversationId: row.id,
        kind: 'waiting',
        dedupeKey: `waiting:${since.getTime()}`,
        facts: { since: since.toISOString() },
      }),
    );
  }
  return queued;
}
