import type { EventContext, EventHandler, PublishedEvent } from '../../platform/event-dispatcher.js';
import type { ConversationRow } from '../conversations/conversation-row.js';
import { conversationEvents } from '../support.events.js';
import type { SupportDeps } from '../support-deps.js';
import { queuePush } from './queue-push.js';

type MessagePosted = { messageId: string; seq: number; authorType: string; isInternal: boolean };

/**
 * The outbox subscriber behind the phone's notifications: an agent's answer (in chat, or by mail
 * in an email conversation) and a resolved conversation (asking for a rating) become a push to
 * each of the customer's devices. Visitors have no devices; internal notes are never announced.
 */
export function pushConversationNews(deps: SupportDeps): EventHandler {
  return async (event: PublishedEvent, { tx }: EventContext) => {
    const conversationId = event.subject?.type === 'conversation' ? event.subject.id : undefined;
    if (!conversationId) return;
    if (event.type === conversationEvents.messagePosted) {
      const posted = event.payload as MessagePosted;
      if (posted.authorType !== 'agent' || posted.isInternal) return;
      const conversation = await conversationOf(tx.client, conversationId);
      if (!conversation?.customer_id) return;
      const isEmail = conversation.channel === 'email' || conversation.is_offline_message;
      await queuePush(deps, tx, {
        customerId: conversation.customer_id,
        conversationId,
        kind: isEmail ? 'email_reply' : 'agent_reply',
        dedupeKey: `message:${posted.messageId}`,
        facts: { seq: posted.seq },
      });
      return;
    }
    if (event.type === conversationEvents.resolved) {
      const conversation = await conversationOf(tx.client, conversationId);
      // Only a conversation someone answered is worth rating (no surveys for spam or abandoned chats).
      if (!conversation?.customer_id || !conversation.first_response_at) return;
      await queuePush(deps, tx, {
        customerId: conversation.customer_id,
        conversationId,
        kind: 'resolved',
        dedupeKey: `resolved:${event.id}`,
        facts: {},
      });
    }
  };
}

async function conversationOf(client: EventContext['tx']['client'], id: string): Promise<ConversationRow | undefined> {
  return (await client.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [id])).rows[0];
}

/** The event types the subscriber reads. */
export const pushedEvents = [conversationEvents.messagePosted, conversationEvents.resolved];
