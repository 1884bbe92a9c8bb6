import type { ConversationChanges } from '@okpay/contracts';
import { withTransaction } from '../../platform/index.js';
import { routeWaiting } from '../routing/route-waiting.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import { type ConversationRow, findConversationForUpdate, updateConversationFields } from './conversations.repository.js';
import type { Participant } from './participant.js';
import { recordConversationEvent } from './record-event.js';

export type { ConversationChanges };

/** Changes status, category, priority or tags; each change lands on the timeline. */
export async function updateConversation(
  deps: SupportDeps,
  conversationId: string,
  actor: Participant,
  changes: ConversationChanges,
): Promise<ConversationRow> {
  const at = deps.clock.now();
  const { before, after } = await withTransaction(deps.pool, async (tx) => {
    const row = await findConversationForUpdate(tx, conversationId);
    if (!row) throw SupportError('conversation_not_found');
    const next =
      (await updateConversationFields(tx, conversationId, {
        status: changes.status ?? row.status,
        category: changes.category ?? row.category,
        priority: changes.priority ?? row.priority,
        tags: changes.tags ?? row.tags,
        at,
      })) ?? row;
    for (const field of ['status', 'category', 'priority'] as const) {
      if (changes[field] !== undefined && changes[field] !== row[field]) {
        await recordConversationEvent(tx, conversationId, `${field}_changed`, actor, { from: row[field], to: changes[field] }, at);
      }
    }
    if (changes.tags && changes.tags.join(',') !== row.tags.join(',')) {
      await recordConversationEvent(tx, conversationId, 'tags_changed', actor, { from: row.tags, to: changes.tags }, at);
    }
    return { before: row, after: next };
  });
  deps.notifier.conversationUpdated(after, { type: 'updated' });
  // A finished chat frees the agent's slot for the next one waiting.
  if (before.status !== after.status && (after.status === 'resolved' || after.status === 'closed')) await routeWaiting(deps);
  return after;
}
