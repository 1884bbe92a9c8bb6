import type { ConversationCategory, ConversationStatus } from '@okpay/contracts';
import { withTransaction } from '../../platform/db/transaction.js';
import { routeWaiting } from '../routing/route-waiting.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import type { ConversationRow } from './conversation-row.js';
import type { Participant } from './participant.js';
import { recordConversationEvent } from './record-event.js';

export type ConversationChanges = {
  status?: ConversationStatus;
  category?: ConversationCategory;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  tags?: string[];
};

/** Changes status, category, priority or tags; each change lands on the timeline. */
export async function updateConversation(
  deps: SupportDeps,
  conversationId: string,
  actor: Participant,
  changes: ConversationChanges,
): Promise<ConversationRow> {
  const at = deps.clock.now();
  const { before, after } = await withTransaction(deps.pool, async (tx) => {
    const current = await tx.client.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1 FOR UPDATE', [conversationId]);
    const row = current.rows[0];
    if (!row) throw SupportError('conversation_not_found');
    const status = changes.status ?? row.status;
    const isFinished = status === 'resolved' || status === 'closed';
    const updated = await tx.client.query<ConversationRow>(
      `UPDATE conversations SET status = $2, category = $3, priority = $4, tags = $5, updated_at = $6,
         resolved_at = CASE WHEN $7 THEN coalesce(resolved_at, $6) ELSE NULL END,
         waiting_since = CASE WHEN $7 THEN NULL ELSE waiting_since END
       WHERE id = $1 RETURNING *`,
      [
        conversationId,
        status,
        changes.category ?? row.category,
        changes.priority ?? row.priority,
        changes.tags ?? row.tags,
        at,
        isFinished,
      ],
    );
    const next = updated.rows[0] ?? row;
    for (const field of ['status', 'category', 'priority'] as const) {
      if (changes[field] !== undefined && changes[field] !== row[field]) {
        await recordConversationEvent(tx.client, conversationId, `${field}_changed`, actor, { from: row[field], to: changes[field] }, at);
      }
    }
    if (changes.tags && changes.tags.join(',') !== row.tags.join(',')) {
      await recordConversationEvent(tx.client, conversationId, 'tags_changed', actor, { from: row.tags, to: changes.tags }, at);
    }
    return { before: row, after: next };
  });
  deps.notifier.conversationUpdated(after, { type: 'updated' });
  // A finished chat frees the agent's slot for the next one waiting.
  if (before.status !== after.status && (after.status === 'resolved' || after.status === 'closed')) await routeWaiting(deps);
  return after;
}
