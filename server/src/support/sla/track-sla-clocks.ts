import { isDeepStrictEqual } from 'node:util';
import type { BatchHandler, EventContext, PublishedEvent } from '../../platform/index.js';
import { conversationEvents } from '../support.events.js';
import type { SupportDeps } from '../support-deps.js';
import { recordSlaOutcomes, type SlaOutcome } from './record-sla-outcomes.js';
import { type ClockChanges, conversationsAsTheyAre, lockConversationClocks, saveClockChanges, saveProjections } from './sla.repository.js';
import { ClockBook, projectionOf, type SlaConversation, type SlaProjection } from './sla-clock.js';
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
 * gives the same clocks; outcomes already announced are not announced again. A batch costs the same
 * few statements however many conversations it touches: their clocks read and locked together,
 * what changed written together, and the conversation rows' due times last, so the chat's writer
 * finds those rows held only while the batch commits.
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
    const ids = [...byConversation.keys()].sort();
    const stored = await lockConversationClocks(tx, ids);
    const rows = await conversationsAsTheyAre(tx, ids);
    const changed: ClockChanges = { conversations: [], clocks: [] };
    const projections: Array<SlaProjection & { id: string }> = [];
    const outcomes: SlaOutcome[] = [];
    for (const id of ids) {
      const row = rows.get(id);
      const { conversation: context, clocks: before } = stored.get(id) ?? { conversation: undefined, clocks: new Map() };
      const start = context ?? (row && withoutAssignee(row));
      if (!start) continue;
      // The book changes its rows in place: keep copies to tell what changed (compared by value,
      // dates by time; comparing JSON texts was a third of this subscriber's time).
      const was = {
        conversation: context && { ...context },
        clocks: new Map([...before].map(([target, clock]) => [target, { ...clock }])),
      };
      const book = new ClockBook(environment, { ...start }, before);
      for (const event of byConversation.get(id) ?? []) {
        book.apply({ id: event.id, type: event.type, payload: event.payload, occurredAt: event.occurredAt });
      }
      if (!isDeepStrictEqual(book.conversation, was.conversation)) changed.conversations.push({ id, conversation: book.conversation });
      const clocks = [...book.clocks.values()];
      const changedHere = clocks.filter((clock) => !isDeepStrictEqual(clock, was.clocks.get(clock.target)));
      for (const clock of changedHere) changed.clocks.push({ id, clock });
      projections.push({ id, ...projectionOf(clocks) });
      const facts = { channel: book.conversation.channel, priority: book.conversation.priority, assigneeId: row?.assigneeId ?? null };
      for (const announcement of book.announcements) {
        outcomes.push({ conversationId: id, kind: announcement.kind, clock: announcement.clock, at: announcement.at, conversation: facts });
      }
      if (changedHere.length === 0) continue;
      afterCommit(() => {
        const now = deps.clock.now();
        deps.notifier.slaChanged(
          { id, assigneeId: row?.assigneeId ?? null },
          clocks.map((clock) => clockView(environment, clock, book.conversation.channel, now)),
        );
      });
    }
    await saveClockChanges(tx, changed);
    await recordSlaOutcomes(tx, outcomes);
    await saveProjections(tx, projections);
  };
}

function withoutAssignee({ assigneeId: _, ...conversation }: SlaConversation & { assigneeId: string | null }): SlaConversation {
  return conversation;
}
