import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatMessage } from '@okpay/contracts';
import { sqlState, uniqueViolation } from '../../platform/index.js';
import { findAttachmentMeta } from '../attachments/attachments.repository.js';
import { maskSensitive } from '../masking/mask-sensitive.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import {
  type AttachmentMeta,
  type ConversationRow,
  findMessageByClientId,
  insertReopeningMessage,
  type MessageRecord,
  type MessageRow,
} from './conversations.repository.js';
import { toMessageView } from './message-view.js';
import { messageWriter } from './message-writer.js';
import { authorIdOf, authorTypeOf, type Participant } from './participant.js';

export type PostMessageInput = {
  conversation: ConversationRow;
  author: Participant;
  body: string;
  clientMessageId?: string | null;
  attachmentId?: string | null;
  isInternal?: boolean;
  /** The sender's connection: it learns of the stored message from the answer, so it is not sent a copy. */
  senderSocket?: string;
};

/**
 * How long a message goes with the next batches while another transaction holds its conversation
 * (an event handler's transaction may hold several for a while), before it waits for the row alone.
 */
const busyRetryMs = 2000;
const busyPauseMs = 10;

/** A stored message, with who hears of it and, when it reopened its conversation, the conversation as it now is. */
type Stored = { message: MessageRow; audience: Pick<ConversationRow, 'id' | 'assigneeId'>; reopened?: ConversationRow };

/**
 * Stores a message: masked, numbered and committed before anyone hears of it, in one statement
 * with the other messages this node is writing at the same moment (message-writer.ts).
 * A retry with the same client message id returns the stored message instead of a second copy.
 */
export async function postMessage(
  deps: SupportDeps,
  input: PostMessageInput,
): Promise<MessageRecord & { isDuplicate: boolean; view: ChatMessage }> {
  const masked = maskSensitive(input.body);
  if (masked.text.trim() === '' && !input.attachmentId) throw SupportError('message_empty');
  const authorType = authorTypeOf(input.author);
  let attachment: AttachmentMeta | null = null;
  if (input.attachmentId) {
    attachment = (await findAttachmentMeta(deps.db, input.attachmentId, input.conversation.id)) ?? null;
    if (!attachment) throw SupportError('attachment_not_found');
  }
  const at = deps.clock.now();
  const message = {
    conversationId: input.conversation.id,
    clientMessageId: input.clientMessageId ?? null,
    authorType,
    authorId: authorIdOf(input.author),
    authorName: input.author.name,
    body: masked.text,
    isInternal: input.isInternal === true && authorType === 'agent',
    redactions: masked.redactions,
    attachmentId: input.attachmentId ?? null,
    at,
  };
  let stored: Stored | undefined;
  try {
    // The common case goes with whatever other messages this node is writing at the moment.
    let common = await messageWriter(deps).send(message);
    // Another transaction held the conversation: go with the next batches, for a while, then wait alone.
    const givingUpAt = performance.now() + busyRetryMs;
    while (common.kind === 'busy' && performance.now() < givingUpAt) {
      await sleep(busyPauseMs);
      common = await messageWriter(deps).send(message);
    }
    if (common.kind === 'duplicate') return duplicate({ message: common.message, attachment });
    if (common.kind === 'stored') {
      // Stored with the batch, which never changes a conversation's status (a customer's message that would reopen it goes alone, below).
      stored = { message: common.message, audience: { id: input.conversation.id, assigneeId: common.conversation.assigneeId } };
    } else {
      const alone = await insertReopeningMessage(deps.db, message, input.author.kind);
      if (alone) {
        const { conversation, previousStatus } = alone;
        stored = {
          message: alone.message,
          audience: conversation,
          reopened: previousStatus !== conversation.status ? conversation : undefined,
        };
      }
    }
  } catch (error) {
    if (uniqueViolation(error) === 'messages_client_id_key' && input.clientMessageId) {
      const existing = await findMessageByClientId(deps.db, input.conversation.id, input.clientMessageId);
      if (existing) return duplicate({ message: existing, attachment });
    }
    if (sqlState(error) === '22P02') throw SupportError('conversation_not_found');
    throw error;
  }
  if (!stored) throw SupportError('conversation_closed');
  const record = { message: stored.message, attachment };
  const view = toMessageView(record);
  deps.notifier.messageCreated(stored.audience, view, input.senderSocket);
  // Email conversations (the widget's offline messages among them) get an agent's answer by mail:
  // a subscriber of the message-posted event sends it (email/outbound/email-agent-replies).
  // The reopening was recorded on the timeline and in the outbox by the statement itself.
  if (stored.reopened) deps.notifier.conversationUpdated(stored.reopened, { type: 'status_changed' });
  return { ...record, isDuplicate: false, view };
}

function duplicate(record: MessageRecord): MessageRecord & { isDuplicate: boolean; view: ChatMessage } {
  return { ...record, isDuplicate: true, view: toMessageView(record) };
}
