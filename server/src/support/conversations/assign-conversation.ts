import { findStaffMemberById } from '../../identity/index.js';
import { PlatformError, withTransaction } from '../../platform/index.js';
import { announceQueue, routeWaiting } from '../routing/route-waiting.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import { type ConversationRow, findConversationForUpdate, setConversationAssignee } from './conversations.repository.js';
import type { Participant } from './participant.js';
import { recordConversationEvent } from './record-event.js';

/**
 * Gives the conversation to an agent (or back to the queue with null). Supervisors and admins
 * reassign freely; an agent may take an unassigned conversation or hand back their own, decided
 * under the row lock so two agents taking the same chat cannot both win.
 */
export async function assignConversation(
  deps: SupportDeps,
  conversationId: string,
  actor: Participant & { kind: 'staff' },
  assigneeId: string | null,
): Promise<ConversationRow> {
  const at = deps.clock.now();
  const { row, agentName } = await withTransaction(deps.pool, async (tx) => {
    const conversation = await findConversationForUpdate(tx, conversationId);
    if (!conversation) throw SupportError('conversation_not_found');
    const isSelfService =
      (assigneeId === actor.staffId && conversation.assigneeId === null) ||
      (assigneeId === null && conversation.assigneeId === actor.staffId);
    // Reassigning someone else's chat is a supervisor's call.
    if (actor.role === 'agent' && !isSelfService) throw PlatformError('forbidden');
    let name: string | null = null;
    if (assigneeId) {
      const agent = await findStaffMemberById(tx, assigneeId);
      if (!agent?.isActive) throw SupportError('agent_not_available');
      name = agent.displayName;
    }
    // Handing back remembers who let it go, so routing does not give it straight back to them.
    const updated = await setConversationAssignee(tx, conversationId, assigneeId, at);
    await recordConversationEvent(
      tx,
      conversationId,
      assigneeId ? 'assigned' : 'unassigned',
      actor,
      { assigneeId, previousAssigneeId: conversation.assigneeId, via: assigneeId === actor.staffId ? 'self' : 'manual' },
      at,
    );
    return { row: updated ?? conversation, agentName: name };
  });
  deps.notifier.conversationUpdated(row, { type: assigneeId ? 'assigned' : 'unassigned', agentName });
  if (assigneeId) await announceQueue(deps);
  else await routeWaiting(deps);
  return row;
}
