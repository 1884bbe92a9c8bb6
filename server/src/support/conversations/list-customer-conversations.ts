import type { SupportConversationDetail, SupportConversationSummary } from '@okpay/contracts';
import { listCustomerCalls } from '../phone/list-conversation-calls.js';
import type { SupportDeps } from '../support-deps.js';
import { type ConversationSummaryRow, listCustomerSummaries, listMessagesAfter } from './conversations.repository.js';
import { getConversationFor } from './get-conversation.js';
import { toMessageView } from './message-view.js';
import type { Participant } from './participant.js';

function toSummary({ conversation, agentName, hasUnreadReply }: ConversationSummaryRow): SupportConversationSummary {
  return {
    id: conversation.id,
    channel: conversation.channel,
    status: conversation.status,
    category: conversation.category,
    reference: conversation.reference,
    subject: conversation.subject,
    agentName,
    lastMessageAt: conversation.lastMessageAt?.toISOString() ?? null,
    hasUnreadReply,
    createdAt: conversation.createdAt.toISOString(),
  };
}

/** The customer's support conversations in the app (/app/support), every channel, newest activity first. */
export async function listCustomerConversations(deps: SupportDeps, customerId: string): Promise<SupportConversationSummary[]> {
  return (await listCustomerSummaries(deps.db, customerId)).map(toSummary);
}

/**
 * One of the customer's conversations with what both sides wrote (internal notes never): where a
 * tapped notification lands, so the app shows what the notification could not carry.
 */
export async function getCustomerConversation(
  deps: SupportDeps,
  participant: Participant & { kind: 'customer' },
  conversationId: string,
): Promise<SupportConversationDetail> {
  const conversation = await getConversationFor(deps.db, conversationId, participant);
  const [summaries, messages, calls] = await Promise.all([
    listCustomerSummaries(deps.db, participant.customerId, conversation.id),
    listMessagesAfter(deps.db, { conversationId: conversation.id, afterSeq: 0, includeInternal: false, limit: 1000 }),
    conversation.channel === 'phone' ? listCustomerCalls(deps.db, conversation.id) : Promise.resolve([]),
  ]);
  const summary = summaries[0] ?? { conversation, agentName: null, hasUnreadReply: false };
  return {
    conversation: toSummary(summary),
    messages: messages.map((record) => {
      const view = toMessageView(record);
      return {
        id: view.id,
        seq: view.seq,
        authorType: view.authorType,
        authorName: view.authorName,
        body: view.body,
        attachment: view.attachment,
        createdAt: view.createdAt,
      };
    }),
    calls,
  };
}
