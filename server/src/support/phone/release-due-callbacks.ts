import { withTransaction } from '../../platform/index.js';
import { enqueueConversation } from '../conversations/conversations.repository.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import { routeWaiting } from '../routing/route-waiting.js';
import type { SupportDeps } from '../support-deps.js';
import { lockDueCallbacks, updateCallback } from './phone.repository.js';

/**
 * Callbacks whose time has come join the phone queue, waiting since their due time, and routing
 * gives them to agents like any conversation. Run by the support sweep every minute; nodes skip
 * each other's rows.
 */
export async function releaseDueCallbacks(deps: SupportDeps): Promise<number> {
  const at = deps.clock.now();
  const released = await withTransaction(deps.pool, async (tx) => {
    const due = await lockDueCallbacks(tx, at, 100);
    for (const callback of due) {
      await updateCallback(tx, callback.id, { state: 'queued', updatedAt: at });
      await enqueueConversation(tx, callback.conversationId, callback.dueAt, at);
      await recordConversationEvent(
        tx,
        callback.conversationId,
        'callback_due',
        { kind: 'system' },
        { callbackId: callback.id, attempt: callback.attempts + 1 },
        at,
      );
    }
    return due.length;
  });
  if (released > 0) await routeWaiting(deps);
  return released;
}
