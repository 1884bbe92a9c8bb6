import type pg from 'pg';
import { conversationEventType } from '../support.events.js';
import { authorIdOf, type Participant } from './participant.js';

export type EventActor = Participant | { kind: 'system' };

// The timeline entry and its outbox event in one statement: both or neither.
const recordStatement = `
WITH timeline AS (
  INSERT INTO conversation_events (conversation_id, type, actor_type, actor_id, data, created_at)
  VALUES ($1, $2, $3, $4, $5, coalesce($6, now())) RETURNING conversation_id, actor_type, actor_id, data, created_at
)
INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at)
SELECT $7, 'conversation', conversation_id::text,
  jsonb_build_object('conversationId', conversation_id, 'actorType', actor_type, 'actorId', actor_id) || data, created_at
FROM timeline`;

/**
 * Appends to the conversation timeline, from which response times are computed, and publishes
 * the same fact to the outbox (see support.events). Callers hold the conversation's row lock (or
 * have just created it), so a conversation's events are numbered in the order they happened.
 */
export async function recordConversationEvent(
  db: pg.Pool | pg.PoolClient,
  conversationId: string,
  type: string,
  actor: EventActor,
  data: Record<string, unknown> = {},
  at?: Date,
): Promise<void> {
  await db.query({
    name: 'okpay_conversation_event',
    text: recordStatement,
    values: [
      conversationId,
      type,
      actor.kind,
      actor.kind === 'system' ? null : authorIdOf(actor),
      JSON.stringify(data),
      at ?? null,
      conversationEventType(type, data),
    ],
  });
}
