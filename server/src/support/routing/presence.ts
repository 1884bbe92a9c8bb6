import type { Config } from '../../platform/config.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { ConversationRow } from '../conversations/conversation-row.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { SupportDeps } from '../support-deps.js';
import { routeWaiting } from './route-waiting.js';

export type PresenceStatus = 'online' | 'away' | 'offline';

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
    await tx.client.query(
      `INSERT INTO agent_presence (staff_id, status, status_source, last_active_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (staff_id) DO UPDATE SET status = $2, status_source = $3, updated_at = $4,
         last_active_at = CASE WHEN $3 = 'manual' THEN $4 ELSE agent_presence.last_active_at END`,
      [staffId, status, source, at],
    );
    if (status !== 'offline') return [];
    const released = await tx.client.query<ConversationRow>(
      `UPDATE conversations SET assignee_id = NULL, waiting_since = created_at, updated_at = $2
       WHERE assignee_id = $1 AND channel = 'chat' AND status IN ('open', 'pending') RETURNING *`,
      [staffId, at],
    );
    for (const conversation of released.rows) {
      await recordConversationEvent(
        tx.client,
        conversation.id,
        'unassigned',
        { kind: 'system' },
        { previousAssigneeId: staffId, reason: 'agent_offline' },
        at,
      );
    }
    return released.rows;
  });
  deps.notifier.presenceChanged(staffId, status);
  for (const conversation of requeued) deps.notifier.conversationUpdated(conversation, { type: 'unassigned', agentName: null });
  if (status === 'online' || requeued.length > 0) await routeWaiting(deps);
}

/** Any agent activity: refreshes the inactivity timer and brings an auto-away agent back online. */
export async function touchAgent(deps: SupportDeps, staffId: string): Promise<void> {
  const result = await deps.pool.query<{ status: string; was_idle: boolean }>(
    `UPDATE agent_presence p SET last_active_at = $2,
       status = CASE WHEN old.was_idle THEN 'online' ELSE p.status END,
       status_source = CASE WHEN old.was_idle THEN 'manual' ELSE p.status_source END
     FROM (SELECT status = 'away' AND status_source = 'inactivity' AS was_idle FROM agent_presence WHERE staff_id = $1 FOR UPDATE) old
     WHERE p.staff_id = $1 RETURNING p.status, old.was_idle`,
    [staffId, deps.clock.now()],
  );
  if (result.rows[0]?.was_idle) {
    deps.notifier.presenceChanged(staffId, 'online');
    await routeWaiting(deps);
  }
}

/** Agents online but idle past the limit become away: they keep their chats but get no new ones. */
export async function markIdleAgentsAway(deps: SupportDeps, settings: Pick<Config['support'], 'awayAfterMinutes'>): Promise<string[]> {
  const cutoff = new Date(deps.clock.now().getTime() - settings.awayAfterMinutes * 60_000);
  const result = await deps.pool.query<{ staff_id: string }>(
    `UPDATE agent_presence SET status = 'away', status_source = 'inactivity', updated_at = now()
     WHERE status = 'online' AND last_active_at < $1 RETURNING staff_id`,
    [cutoff],
  );
  for (const row of result.rows) deps.notifier.presenceChanged(row.staff_id, 'away');
  return result.rows.map((row) => row.staff_id);
}
