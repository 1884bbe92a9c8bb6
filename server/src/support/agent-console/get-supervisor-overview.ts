import type { SupervisorOverview } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { listAgents } from '../routing/list-agents.js';
import { estimateWait, onlineAgentCount, typicalHandleSeconds, waitingQueue } from '../routing/queue.js';
import { listQueuedChats } from './agent-console.repository.js';

/** The live queue in order, every agent's load, and what the next customer would wait. */
export async function getSupervisorOverview(db: Queryable): Promise<SupervisorOverview> {
  const [agents, queue, agentsOnline, handleSeconds] = await Promise.all([
    listAgents(db),
    waitingQueue(db),
    onlineAgentCount(db),
    typicalHandleSeconds(db),
  ]);
  const waiting = await listQueuedChats(
    db,
    queue.map((item) => item.id),
  );
  // A chat assigned between the two reads has left the queue.
  const stillWaiting = waiting.flatMap((chat) => (chat.waitingSince ? [{ ...chat, waitingSince: chat.waitingSince }] : []));
  return {
    queue: stillWaiting.map((chat, index) => ({
      id: chat.id,
      category: chat.category,
      customerName: chat.customerName,
      isVerified: chat.isVerified,
      waitingSince: chat.waitingSince.toISOString(),
      position: index + 1,
    })),
    agents,
    agentsOnline,
    typicalHandleSeconds: handleSeconds,
    estimatedWaitForNextSeconds: estimateWait(queue.length + 1, agentsOnline, handleSeconds),
  };
}
