import type { QueueInfo } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { countOnlineAgents, listQueuePositions, medianHandleSeconds } from './routing.repository.js';

export {
  countFreeAgents as freeAgentCount,
  countOnlineAgents as onlineAgentCount,
  listQueuePositions as waitingQueue,
} from './routing.repository.js';

/** Default handle time before there is history to learn from. */
const defaultHandleSeconds = 300;

/**
 * Typical minutes an agent spends on a chat: the median of the last week's resolved chats,
 * bounded to something believable.
 */
export async function typicalHandleSeconds(db: Queryable): Promise<number> {
  const seconds = await medianHandleSeconds(db);
  return seconds === undefined ? defaultHandleSeconds : Math.min(1800, Math.max(60, Math.round(seconds)));
}

/**
 * Queue position and an honest wait: chats ahead of you, shared among the agents online, each
 * taking a typical handle time to free a slot.
 */
export function estimateWait(position: number, agentsOnline: number, handleSeconds: number): number {
  if (position <= 0) return 0;
  return Math.ceil(position / Math.max(1, agentsOnline)) * handleSeconds;
}

export async function queueInfoFor(db: Queryable, conversationId: string): Promise<QueueInfo | null> {
  const queue = await listQueuePositions(db);
  const entry = queue.find((item) => item.id === conversationId);
  if (!entry) return null;
  const [agentsOnline, handleSeconds] = await Promise.all([countOnlineAgents(db), typicalHandleSeconds(db)]);
  return { position: entry.position, agentsOnline, estimatedWaitSeconds: estimateWait(entry.position, agentsOnline, handleSeconds) };
}
