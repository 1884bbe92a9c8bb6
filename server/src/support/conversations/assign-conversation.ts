import { withTransaction } from '../../platform/db/transaction.js';
import { announceQueue, routeWaiting } from '../routing/route-waiting.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import type { ConversationRow } from './conversation-row.js';
import type { Participant } from './participant.js';
import { recordConversationEvent } from './record-event.js';

/**
 * Gives the conversation to an agent (or back to the queue with null). Supervisors reassign
 * freely; an agent may take an unassigned conversation for themselves.
 */
export async function assignConversation(
  deps: SupportDeps,
  conversationId: string,
  actor: Participant & { kind: 'staff' },
  assigneeId: string | null,
): Promise<ConversationRow> {
  const at = deps.clock.now();
  const { row, agentName } = await withTransaction(deps.pool, async (tx) => {
    const current = await tx.client.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1 FOR UPDATE', [conversationId]);
    const conversation = current.rows[0];
    if (!conversation) throw SupportError('conversation_not_found');
    let name: string | null = null;
    if (assigneeId) {
      const agent = await tx.client.query<{ display_name: string }>('SELECT display_name FROM staff_members WHERE id = $1 AND is_active', [
        assigneeId,
      ]);
      if (!agent.rows[0]) throw SupportError('agent_not_available');
      name = agent.rows[0].display_name;
    }
    // Handing back remembers who let it go, so routing does not give it straight back to them.
    const updated = await tx.client.query<ConversationRow>(
      `UPDATE conversations SET assignee_id = $2, updated_at = $3,
         waiting_since = CASE WHEN $2::uuid IS NULL AND channel = 'chat' AND status IN ('open', 'pending') THEN coalesce(waiting_since, $3) ELSE NULL END,
         returned_by = CASE WHEN $2::uuid IS NULL THEN coalesce(assignee_id, returned_by) END,
         returned_at = CASE WHEN $2::uuid IS NULL THEN CASE WHEN assignee_id IS NULL THEN returned_at ELSE $3 END END
       WHERE id = $1 RETURNING *`,
      [conversationId, assigneeId, at],
    );
    await recordConversationEvent(
      tx.client,
      conversationId,
      assigneeId ? 'assigned' : 'unassigned',
      actor,
      { assigneeId, previousAssigneeId: conversation.assignee_id, via: assigneeId === actor.staffId ? 'self' : 'manual' },
      at,
    );
    return { row: updated.rows[0] ?? conversation, agentName: name };
  });
  deps.notifier.conversationUpdated(row, { type: assigneeId ? 'assigned' : 'unassigned', agentName });
  if (assigneeId) await announceQueue(deps);
  else await routeWaiting(deps);
  return row;
}
