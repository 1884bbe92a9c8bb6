import type { QueueInfo } from '@okpay/contracts';
import { withTransaction } from '../../platform/db/transaction.js';
import type { ConversationRow } from '../conversations/conversation-row.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { SupportDeps } from '../support-deps.js';
import { estimateWait, onlineAgentCount, typicalHandleSeconds, waitingQueue } from './queue.js';

/** One lock for routing decisions across every node: assignments are rare, correctness is not. */
const routingLockId = 4_207_302;

/**
 * How long routing passes over the agent who handed a chat back. Afterwards, if nobody else has
 * taken it, it may go to them again rather than wait for ever.
 */
export const handBackCooldownMs = 10 * 60_000;

// The online agent with the fewest open conversations of this channel below their capacity for it
// (chat capacity per agent; email capacity $3 for everyone), other than $1 (who handed this one
// back); ties go to who waited longest.
const pickAgent = `
SELECT s.id, s.display_name, count(c.id)::int AS load
FROM staff_members s
JOIN agent_presence p ON p.staff_id = s.id AND p.status = 'online'
LEFT JOIN conversations c ON c.assignee_id = s.id AND c.channel = $2 AND c.status IN ('open', 'pending')
WHERE s.is_active AND s.id IS DISTINCT FROM $1::uuid
GROUP BY s.id, s.display_name, s.chat_capacity, p.last_assigned_at
HAVING count(c.id) < CASE WHEN $2 = 'chat' THEN s.chat_capacity ELSE $3::int END
ORDER BY count(c.id), p.last_assigned_at NULLS FIRST, s.id
LIMIT 1`;

/** How many of each channel's waiting conversations one routing run considers. */
const routingBatch = 200;

export type Assignment = { conversation: ConversationRow; agentId: string; agentName: string };

/**
 * Assigns waiting chats and emails in arrival order to available agents until either runs out,
 * then tells everyone still waiting in the chat queue where they stand. Chat and email count
 * against separate capacities, so a full email load never holds up a chat.
 */
export async function routeWaiting(deps: SupportDeps): Promise<Assignment[]> {
  const at = deps.clock.now();
  const assignments = await withTransaction(deps.pool, async (tx) => {
    await tx.client.query('SELECT pg_advisory_xact_lock($1)', [routingLockId]);
    const made: Assignment[] = [];
    // The head of each channel's line; whatever is beyond it waits for the next run.
    const waiting = await tx.client.query<ConversationRow>(
      `(SELECT * FROM conversations WHERE waiting_since IS NOT NULL AND assignee_id IS NULL AND status IN ('open', 'pending')
          AND channel = 'chat' ORDER BY waiting_since, id LIMIT $1)
       UNION ALL
       (SELECT * FROM conversations WHERE waiting_since IS NOT NULL AND assignee_id IS NULL AND status IN ('open', 'pending')
          AND channel = 'email' ORDER BY waiting_since, id LIMIT $1)
       ORDER BY waiting_since, id`,
      [routingBatch],
    );
    const cooldownFrom = at.getTime() - handBackCooldownMs;
    const isFull = new Set<string>();
    for (const conversation of waiting.rows) {
      if (isFull.has(conversation.channel)) continue;
      const passOver = conversation.returned_at && conversation.returned_at.getTime() > cooldownFrom ? conversation.returned_by : null;
      const agent = await tx.client.query<{ id: string; display_name: string }>({
        name: 'okpay_pick_agent',
        text: pickAgent,
        values: [passOver, conversation.channel, deps.config.email.capacityPerAgent],
      });
      const chosen = agent.rows[0];
      // Nobody free for this channel: everyone behind in it waits too. Only the one who handed it
      // back is free: the next in line may still go to them.
      if (!chosen && !passOver) {
        isFull.add(conversation.channel);
        if (isFull.size === 2) break;
        continue;
      }
      if (!chosen) continue;
      // Taking a chat by hand and resolving one do not hold the routing lock: assign only what still waits.
      const updated = await tx.client.query<ConversationRow>(
        `UPDATE conversations SET assignee_id = $2, waiting_since = NULL, returned_by = NULL, returned_at = NULL, updated_at = $3
         WHERE id = $1 AND assignee_id IS NULL AND waiting_since IS NOT NULL AND status IN ('open', 'pending') RETURNING *`,
        [conversation.id, chosen.id, at],
      );
      const assigned = updated.rows[0];
      if (!assigned) continue;
      await tx.client.query('UPDATE agent_presence SET last_assigned_at = $2 WHERE staff_id = $1', [chosen.id, at]);
      await recordConversationEvent(tx.client, conversation.id, 'assigned', { kind: 'system' }, { assigneeId: chosen.id, via: 'auto' }, at);
      made.push({ conversation: assigned, agentId: chosen.id, agentName: chosen.display_name });
    }
    return made;
  });
  for (const assignment of assignments) {
    deps.notifier.conversationUpdated(assignment.conversation, { type: 'assigned', agentName: assignment.agentName });
  }
  await announceQueue(deps);
  return assignments;
}

/** Sends every waiting customer their position and estimated wait. */
export async function announceQueue(deps: SupportDeps): Promise<void> {
  const queue = await waitingQueue(deps.pool);
  if (queue.length === 0) return;
  const [agentsOnline, handleSeconds] = await Promise.all([onlineAgentCount(deps.pool), typicalHandleSeconds(deps.pool)]);
  const rows = await deps.pool.query<ConversationRow>('SELECT * FROM conversations WHERE id = ANY($1::uuid[])', [
    queue.map((item) => item.id),
  ]);
  const byId = new Map(rows.rows.map((row) => [row.id, row]));
  const positions: Array<{ conversation: ConversationRow; queue: QueueInfo }> = [];
  for (const item of queue) {
    const conversation = byId.get(item.id);
    if (!conversation) continue;
    positions.push({
      conversation,
      queue: { position: item.position, agentsOnline, estimatedWaitSeconds: estimateWait(item.position, agentsOnline, handleSeconds) },
    });
  }
  deps.notifier.queueChanged(positions);
}
