import type pg from 'pg';
import { authorIdOf, type Participant } from './participant.js';

export type EventActor = Participant | { kind: 'system' };

/** Appends to the conversation timeline, from which response times are computed. */
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
    text: 'INSERT INTO conversation_events (conversation_id, type, actor_type, actor_id, data, created_at) VALUES ($1, $2, $3, $4, $5, coalesce($6, now()))',
    values: [conversationId, type, actor.kind, actor.kind === 'system' ? null : authorIdOf(actor), JSON.stringify(data), at ?? null],
  });
}
