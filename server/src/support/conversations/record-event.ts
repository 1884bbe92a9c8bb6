import type { Queryable } from '../../platform/index.js';
import { conversationEventType } from '../support.events.js';
import { insertConversationEvent } from './conversations.repository.js';
import { authorIdOf, type Participant } from './participant.js';

export type EventActor = Participant | { kind: 'system' };

/**
 * Appends to the conversation timeline, from which response times are computed, and publishes
 * the same fact to the outbox (see support.events). Callers hold the conversation's row lock (or
 * have just created it), so a conversation's events are numbered in the order they happened.
 */
export async function recordConversationEvent(
  db: Queryable,
  conversationId: string,
  type: string,
  actor: EventActor,
  data: Record<string, unknown> = {},
  at?: Date,
): Promise<void> {
  await insertConversationEvent(db, {
    conversationId,
    type,
    actorType: actor.kind,
    actorId: actor.kind === 'system' ? null : authorIdOf(actor),
    data,
    at,
    outboxType: conversationEventType(type, data),
  });
}
