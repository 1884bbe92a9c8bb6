import type { Queryable } from '../../platform/index.js';
import { SupportError } from '../support.errors.js';
import { type ConversationRow, findConversation } from './conversations.repository.js';
import type { Participant } from './participant.js';

/** Whether the participant may see this conversation: its owner, or any staff member. */
export function canAccess(conversation: ConversationRow, participant: Participant): boolean {
  if (participant.kind === 'staff') return true;
  if (participant.kind === 'customer') return conversation.customerId === participant.customerId;
  return conversation.customerId === null && conversation.visitorId === participant.visitorId;
}

/** The conversation if the participant may see it; otherwise "not found", never "forbidden". */
export async function getConversationFor(db: Queryable, conversationId: string, participant: Participant): Promise<ConversationRow> {
  const conversation = await findConversation(db, conversationId);
  if (!conversation || !canAccess(conversation, participant)) throw SupportError('conversation_not_found');
  return conversation;
}
