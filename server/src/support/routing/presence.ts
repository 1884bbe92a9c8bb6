import type { PresenceStatus } from '@okpay/contracts';
import { type Config, publishEvent, type Queryable, withTransaction } from '../../platform/index.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import { agentEvents } from '../support.events.js';
import type { SupportDeps } from '../support-deps.js';
import { routeWaiting } from './route-waiting.js';
import { markIdleAway, releaseAgentChats, savePresence, touchPresence } from './routing.repository.js';

export type { PresenceStatus };

/** Reports count agents' online time per half hour from these, published with the change itself. */
function announcePresence(db: Queryable, staffId: string, status: PresenceStatus): Promise<void> {
  return publishEvent(db, { type: agentEvents.presenceChanged, subject: { type: 'staff', id: staffId }, payload: { staffId, status } });
}

/**
 * Sets an agent's availability. Going online pulls waiting chats; going offline puts the agent's
 * open chats back at the front of the queue (by when they first waited) for someone else.
 */
export async function setPresence(
  deps: SupportDeps,
  staffId: string,
  status: PresenceStatus,
  source: 'manual' | 'inactivity' | 'disconnect' = 'manual',
): Promise<void> {
  const at = deps.clock.now();
  const requeued = await withTransaction(deps.pool, async (tx) => {
    await savePresence(tx, { staffId, status, source, at });
    await announcePresence(tx, staffId, status);
    if (status !== 'offline') return [];
    const released = await releaseAgentChats(tx, staffId, at);
    for (const conversation of released) {
      await recordConversationEvent(
        tx,
        conversation.id,
        'unassigned',
        { kind: 'system' },
        { previousAssigneeId: staffId, reason: 'agent_offline' },
        at,
      );
    }
    return released;
  });
  deps.notifier.presenceChanged(staffId, status);
  for (const conversation of requeued) deps.notifier.conversationUpdated(conversation, { type: 'unassigned', agentName: null });
  if (status === 'online' || requeued.length > 0) await routeWaiting(deps);
}

/** Any agent activity: refreshes the inactivity timer and brings an auto-away agent back online. */
export async function touchAgent(deps: SupportDeps, staffId: string): Promise<void> {
  const at = deps.clock.now();
  // Throttled per agent (agent-activity.ts), so the transaction costs little; the event commits with the change.
  const wasIdle = await withTransaction(deps.pool, async (tx) => {
    const idle = await touchPresence(tx, staffId, at);
    if (idle) await announcePresence(tx, staffId, 'online');
    return idle;
  });
  if (wasIdle) {
    deps.notifier.presenceChanged(staffId, 'online');
    await routeWaiting(deps);
  }
}

/** Agents online but idle past the limit become away: they keep their chats but get no new ones. */
export async function markIdleAgentsAway(deps: SupportDeps, settings: Pick<Config['support'], 'awayAfterMinutes'>): Promise<string[]> {
  const now = deps.clock.now();
  const away = await withTransaction(deps.pool, async (tx) => {
    const idle = await markIdleAway(tx, new Date(now.getTime() - settings.awayAfterMinutes * 60_000), now);
    for (const staffId of idle) await announcePresence(tx, staffId, 'away');
    return idle;
  });
  for (const staffId of away) deps.notifier.presenceChanged(staffId, 'away');
  return away;
}
