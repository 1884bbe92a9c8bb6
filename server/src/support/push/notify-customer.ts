import type { BatchHandler, EventContext, PublishedEvent } from '../../platform/index.js';
import { conversationEvents } from '../support.events.js';
import type { SupportDeps } from '../support-deps.js';
import { conversationsWithDevices } from './push.repository.js';
import { queuePush } from './queue-push.js';

type MessagePosted = { messageId: string; seq: number; authorType: string; isInternal: boolean };

/**
 * The outbox subscriber behind the phone's notifications: an agent's answer (in chat, or by mail
 * in an email conversation) and a resolved conversation (asking for a rating) become a push to
 * each of the customer's devices. Visitors have no devices; internal notes are never announced.
 */
export function pushConversationNews(deps: SupportDeps): BatchHandler {
  return async (events: readonly PublishedEvent[], { tx }: EventContext) => {
    const news = events.flatMap((event) => {
      const conversationId = newsAbout(event);
      return conversationId ? [{ event, conversationId }] : [];
    });
    if (news.length === 0) return;
    // One statement for the batch: most customers have no device, and then nothing more is read.
    const found = await conversationsWithDevices(tx, [...new Set(news.map((item) => item.conversationId))]);
    for (const { event, conversationId } of news) {
      const conversation = found.get(conversationId);
      if (!conversation) continue;
      if (event.type === conversationEvents.messagePosted) {
        const posted = event.payload as MessagePosted;
        await queuePush(deps, tx, {
          customerId: conversation.customerId,
          conversationId,
          kind: conversation.isEmail ? 'email_reply' : 'agent_reply',
          dedupeKey: `message:${posted.messageId}`,
          facts: { seq: posted.seq },
        });
      } else if (conversation.answered) {
        // Only a conversation someone answered is worth rating (no surveys for spam or abandoned chats).
        await queuePush(deps, tx, {
          customerId: conversation.customerId,
          conversationId,
          kind: 'resolved',
          dedupeKey: `resolved:${event.id}`,
          facts: {},
        });
      }
    }
  };
}

/** The conversation an agent's answer (not an internal note) or a resolution is news of; undefined for anything else. */
function newsAbout(event: PublishedEvent): string | undefined {
  if (event.subject?.type !== 'conversation') return undefined;
  const posted = event.payload as MessagePosted;
  const isAnswer = event.type === conversationEvents.messagePosted && posted.authorType === 'agent' && !posted.isInternal;
  return isAnswer || event.type === conversationEvents.resolved ? event.subject.id : undefined;
}

/** The event types the subscriber reads. */
export const pushedEvents = [conversationEvents.messagePosted, conversationEvents.resolved];
