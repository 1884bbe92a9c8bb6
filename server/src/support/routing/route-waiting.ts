import type { QueueInfo } from '@okpay/contracts';
import { holdTransactionLock, withTransaction } from '../../platform/index.js';
import { type ConversationRow, listConversationsById } from '../conversations/conversations.repository.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { SupportDeps } from '../support-deps.js';
import { estimateWait, onlineAgentCount, typicalHandleSeconds, waitingQueue } from './queue.js';
import { assignWaitingChat, findFreeAgent, listWaitingConversations, setLastAssigned } from './routing.repository.js';

/** One lock for routing decisions across every node: assignments are rare, correctness is not. */
const routingLockId = 4_207_302;

/**
 * How long routing passes over the agent who handed a chat back. Afterwards, if nobody else has
 * taken it, it may go to them again rather than wait for ever.
 */
export const handBackCooldownMs = 10 * 60_000;

/** How many of each channel's waiting conversations one routing run considers. */
const routingBatch = 200;

export type Assignment = { conversation: ConversationRow; agentId: string; agentName: string };

/**
 * Assigns waiting chats and emails in arrival order (those whose SLA is breached, then those past
 * its warning share, first) to available agents until either runs out,
 * then tells everyone still waiting in the chat queue where they stand. Chat, email and phone count
 * against separate capacities, so a full email load never holds up a chat.
 */
export async function routeWaiting(deps: SupportDeps): Promise<Assignment[]> {
  const at = deps.clock.now();
  const assignments = await withTransaction(deps.pool, async (tx) => {
    await holdTransactionLock(tx, routingLockId);
    const made: Assignment[] = [];
    const cooldownFrom = at.getTime() - handBackCooldownMs;
    const isFull = new Set<string>();
    for (const conversation of await listWaitingConversations(tx, routingBatch)) {
      if (isFull.has(conversation.channel)) continue;
      const passOver = conversation.returnedAt && conversation.returnedAt.getTime() > cooldownFrom ? conversation.returnedBy : null;
      const chosen = await findFreeAgent(tx, {
        passOver,
        channel: conversation.channel,
        emailCapacity: deps.config.email.capacityPerAgent,
      });
      // Nobody free for this channel: everyone behind in it waits too. Only the one who handed it
      // back is free: the next in line may still go to them.
      if (!chosen && !passOver) {
        isFull.add(conversation.channel);
        if (isFull.size === 3) break;
        continue;
      }
      if (!chosen) continue;
      // Taking a chat by hand and resolving one do not hold the routing lock: assign only what still waits.
      const assigned = await assignWaitingChat(tx, conversation.id, chosen.id, at);
      if (!assigned) continue;
      await setLastAssigned(tx, chosen.id, at);
      await recordConversationEvent(tx, conversation.id, 'assigned', { kind: 'system' }, { assigneeId: chosen.id, via: 'auto' }, at);
      made.push({ conversation: assigned, agentId: chosen.id, agentName: chosen.displayName });
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
  const queue = await waitingQueue(deps.db);
  if (queue.length === 0) return;
  const [agentsOnline, handleSeconds, rows] = await Promise.all([
    onlineAgentCount(deps.db),
    typicalHandleSeconds(deps.db),
    listConversationsById(
      deps.db,
      queue.map((item) => item.id),
    ),
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
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
