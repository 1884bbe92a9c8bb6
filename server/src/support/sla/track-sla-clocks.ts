import type { BatchHandler, EventContext, PublishedEvent } from '../../platform/index.js';
import { findConversation } from '../conversations/conversations.repository.js';
import { conversationEvents } from '../support.events.js';
import type { SupportDeps } from '../support-deps.js';
import { recordSlaOutcomes, type SlaOutcome } from './record-sla-outcomes.js';
import { conversationAsItIs, lockConversationClocks, saveConversationClocks } from './sla.repository.js';
import { ClockBook, projectionOf } from './sla-clock.js';
import { currentSlaEnvironment } from './sla-rules.js';
import { clockView } from './sla-view.js';

/** The conversation events the clocks are computed from. */
export const clockEventTypes = [
  conversationEvents.created,
  conversationEvents.messagePosted,
  conversationEvents.statusChanged,
  conversationEvents.resolved,
  conversationEvents.reopened,
  conversationEvents.closed,
  conversationEvents.priorityChanged,
  conversationEvents.categoryChanged,
] as const;

/**
 * The SLA clocks, as an outbox subscriber: each conversation event starts, pauses, resumes, stops
 * or re-targets its clocks, in order per conversation and once, in the dispatcher's transaction.
 * Computed from the events alone (their time, not the handler's), so replaying them from the first
 * gives the same clocks; outcomes already announced are not announced again. A batch is folded per
 * conversation: its events in order on one read of its clocks and one write (a new email
 * conversation's created and first message events cost one round of statements, not two).
 */
export function trackSlaClocks(deps: SupportDeps): BatchHandler {
  return async (events: readonly PublishedEvent[], { tx, afterCommit }: EventContext) => {
    const byConversation = new Map<string, PublishedEvent[]>();
    for (const event of events) {
      if (event.subject?.type !== 'conversation') continue;
      const list = byConversation.get(event.subject.id) ?? [];
      list.push(event);
      byConversation.set(event.subject.id, list);
    }
    if (byConversation.size === 0) return;
    const environment = await currentSlaEnvironment(deps);
    for (const [conversationId, conversationEvents] of byConversation) {
      const stored = await lockConversationClocks(tx, conversationId);
      const conversation = stored.conversation ?? (await conversationAsItIs(tx, conversationId));
      if (!conversation) continue;
      const book = new ClockBook(environment, conversation, stored.clocks);
      for (const event of conversationEvents) {
        book.apply({ id: event.id, type: event.type, payload: event.payload, occurredAt: event.occurredAt });
      }
      const clocks = [...book.clocks.values()];
      await saveConversationClocks(tx, conversationId, book.conversation, clocks, projectionOf(clocks));
      if (book.announcements.length > 0) {
        const found = await findConversation(tx, conversationId);
        const context = {
          channel: book.conversation.channel,
          priority: book.conversation.priority,
          assigneeId: found?.assigneeId ?? null,
        };
        const outcomes: SlaOutcome[] = book.announcements.map((announcement) => ({
          conversationId,
          kind: announcement.kind,
          clock: announcement.clock,
          at: announcement.at,
          conversation: context,
        }));
        await recordSlaOutcomes(tx, outcomes);
      }
      afterCommit(() => {
        const now = deps.clock.now();
        deps.notifier.slaChanged(
          conversationId,
          clocks.map((clock) => clockView(environment, clock, book.conversation.channel, now)),
        );
      });
    }
  };
}
