import type { EventContext, EventHandler, PublishedEvent } from '../../platform/index.js';
import { findConversation } from '../conversations/conversations.repository.js';
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
      const conversation = await findConversation(tx, conversationId);
      if (!conversation?.customerId) return;
      const isEmail = conversation.channel === 'email' || conversation.isOfflineMessage;
      await queuePush(deps, tx, {
        customerId: conversation.customerId,
        conversationId,
        kind: isEmail ? 'email_reply' : 'agent_reply',
        dedupeKey: `message:${posted.messageId}`,
        facts: { seq: posted.seq },
      });
      return;
    }
    if (event.type === conversationEvents.resolved) {
      const conversation = await findConversation(tx, conversationId);
      // Only a conversation someone answered is worth rating (no surveys for spam or abandoned chats).
      if (!conversation?.customerId || !conversation.firstResponseAt) return;
      await queuePush(deps, tx, {
        customerId: conversation.customerId,
        conversationId,
        kind: 'resolved',
        dedupeKey: `resolved:${event.id}`,
        facts: {},
      });
    }
  };
}

/** The event types the subscriber reads. */
export const pushedEvents = [conversationEvents.messagePosted, conversationEvents.resolved];
