import type { CustomerConversation } from '@okpay/contracts';
import { findStaffMemberById } from '../../identity/index.js';
import type { Queryable } from '../../platform/index.js';
import { queueInfoFor } from '../routing/queue.js';
import { type ConversationRow, furthestReadSeq, listConversationLinks } from './conversations.repository.js';

/** What the widget shows about a conversation: status, the agent's name, queue place, links. */
export async function toCustomerConversation(db: Queryable, conversation: ConversationRow): Promise<CustomerConversation> {
  const [agent, links, agentReadSeq, queue] = await Promise.all([
    conversation.assigneeId ? findStaffMemberById(db, conversation.assigneeId) : Promise.resolve(undefined),
    listConversationLinks(db, conversation.id),
    furthestReadSeq(db, conversation.id, ['staff']),
    conversation.waitingSince ? queueInfoFor(db, conversation.id) : Promise.resolve(null),
  ]);
  return {
    id: conversation.id,
    status: conversation.status,
    category: conversation.category,
    channel: conversation.channel,
    agent: agent ? { id: agent.id, name: agent.displayName } : null,
    queue,
    lastMessageSeq: conversation.lastMessageSeq,
    agentReadSeq,
    links: links.map((row) => ({ type: row.objectType, id: row.objectId })),
    isOfflineMessage: conversation.isOfflineMessage,
    createdAt: conversation.createdAt.toISOString(),
  };
}
