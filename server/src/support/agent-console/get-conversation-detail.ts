import type { ConversationDetail } from '@okpay/contracts';
import { findCustomerById, findStaffMemberById } from '../../identity/index.js';
import type { Clock } from '../../platform/index.js';
import {
  furthestReadSeq,
  listConversationEvents,
  listConversationLinks,
  listMessagesAfter,
} from '../conversations/conversations.repository.js';
import { getConversationFor } from '../conversations/get-conversation.js';
import { toMessageView } from '../conversations/message-view.js';
import type { Participant } from '../conversations/participant.js';
import { emailDetails } from '../email/email-view.js';
import type { HoursDeps } from '../hours/support-hours.js';
import { toAgentCallback } from '../phone/callback-view.js';
import { listCallsOfConversation } from '../phone/list-conversation-calls.js';
import { listConversationCallbacks } from '../phone/phone.repository.js';
import { ratingForAgents } from '../ratings/review-rating.js';
import { slaClocksOf } from '../sla/sla-clocks-of.js';

/**
 * Everything the console shows of a conversation: state, the customer, messages with internal
 * notes, the mail side of an email conversation, its SLA clocks, the rating and its survey, links
 * and the timeline.
 */
export async function getConversationDetail(
  deps: HoursDeps & { clock: Clock },
  conversationId: string,
  actor: Participant & { kind: 'staff' },
): Promise<ConversationDetail> {
  const db = deps.db;
  const conversation = await getConversationFor(db, conversationId, actor);
  const isPhone = conversation.channel === 'phone';
  const [messages, events, links, assignee, customer, customerReadSeq, email, sla, rated, calls, callbacks] = await Promise.all([
    listMessagesAfter(db, { conversationId: conversation.id, afterSeq: 0, includeInternal: true, limit: 2000 }),
    listConversationEvents(db, conversation.id),
    listConversationLinks(db, conversation.id),
    conversation.assigneeId ? findStaffMemberById(db, conversation.assigneeId) : Promise.resolve(undefined),
    conversation.customerId ? findCustomerById(db, conversation.customerId) : Promise.resolve(undefined),
    furthestReadSeq(db, conversation.id, ['customer', 'visitor']),
    emailDetails(db, conversation),
    slaClocksOf(deps, [conversation]),
    ratingForAgents(db, conversation.id),
    isPhone ? listCallsOfConversation(db, conversation.id) : Promise.resolve([]),
    isPhone ? listConversationCallbacks(db, conversation.id) : Promise.resolve([]),
  ]);
  return {
    conversation: {
      id: conversation.id,
      customerId: conversation.customerId,
      visitorId: conversation.visitorId,
      isVerified: conversation.isVerified,
      channel: conversation.channel,
      status: conversation.status,
      priority: conversation.priority,
      category: conversation.category,
      tags: conversation.tags,
      customerName: customer?.displayName ?? conversation.contactName,
      customerEmail: customer?.email ?? conversation.contactEmail,
      customerReadSeq,
      contactName: conversation.contactName,
      contactEmail: conversation.contactEmail,
      locale: conversation.locale,
      assigneeId: conversation.assigneeId,
      assigneeName: assignee?.displayName ?? null,
      isOfflineMessage: conversation.isOfflineMessage,
      lastMessageSeq: conversation.lastMessageSeq,
      firstResponseAt: conversation.firstResponseAt?.toISOString() ?? null,
      waitingSince: conversation.waitingSince?.toISOString() ?? null,
      subject: conversation.subject,
      reference: conversation.reference,
      responseDueAt:
        conversation.status === 'open' || conversation.status === 'pending' ? (conversation.responseDueAt?.toISOString() ?? null) : null,
      createdAt: conversation.createdAt.toISOString(),
      sla: sla.get(conversation.id) ?? [],
    },
    messages: messages.map(toMessageView),
    email,
    rating: rated.rating,
    survey: rated.survey,
    calls,
    callbacks: callbacks.map(toAgentCallback),
    links: links.map((link) => ({ type: link.objectType, id: link.objectId })),
    events: events.map((event) => ({
      type: event.type,
      actorType: event.actorType,
      actorId: event.actorId,
      data: event.data,
      createdAt: event.createdAt.toISOString(),
    })),
  };
}
