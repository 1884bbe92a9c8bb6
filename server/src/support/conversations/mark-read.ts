import type { SupportDeps } from '../support-deps.js';
import { saveReadPosition } from './conversations.repository.js';
import { getConversationFor } from './get-conversation.js';
import { type Participant, readerOf } from './participant.js';

/**
 * Records how far a participant has read (never backwards, never past the last message) and sends
 * the read receipt. The conversation is read afresh: the receipt is clamped to its current last
 * sequence number.
 */
export async function markRead(
  deps: SupportDeps,
  input: { conversationId: string; participant: Participant; seq: number },
): Promise<number> {
  const conversation = await getConversationFor(deps.db, input.conversationId, input.participant);
  const reader = readerOf(input.participant);
  const upTo = Math.min(input.seq, conversation.lastMessageSeq);
  const readSeq = await saveReadPosition(deps.db, {
    conversationId: conversation.id,
    readerType: reader.type,
    readerId: reader.id,
    seq: upTo,
  });
  deps.notifier.readReceipt(conversation, reader, readSeq);
  return readSeq;
}
