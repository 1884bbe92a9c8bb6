import { sqlState, uniqueViolation } from '../../platform/db/errors.js';
import { maskSensitive } from '../masking/mask-sensitive.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import { type ConversationRow, type MessageRow, toMessageView } from './conversation-row.js';
import { offlineReplyEmail } from './offline-reply-email.js';
import { authorIdOf, authorTypeOf, type Participant } from './participant.js';
import { recordConversationEvent } from './record-event.js';

export type PostMessageInput = {
  conversation: ConversationRow;
  author: Participant;
  body: string;
  clientMessageId?: string | null;
  attachmentId?: string | null;
  isInternal?: boolean;
};

const insertMessage = `
WITH bump AS (
  UPDATE conversations SET
    last_message_seq = last_message_seq + 1,
    last_message_at = $10,
    updated_at = $10,
    last_customer_message_at = CASE WHEN $3 IN ('customer', 'visitor') THEN $10 ELSE last_customer_message_at END,
    last_agent_message_at = CASE WHEN $3 = 'agent' AND NOT $7 THEN $10 ELSE last_agent_message_at END,
    first_response_at = CASE WHEN $3 = 'agent' AND NOT $7 AND first_response_at IS NULL THEN $10 ELSE first_response_at END,
    status = CASE WHEN $3 IN ('customer', 'visitor') AND status IN ('pending', 'resolved') THEN 'open' ELSE status END,
    resolved_at = CASE WHEN $3 IN ('customer', 'visitor') AND status = 'resolved' THEN NULL ELSE resolved_at END
  WHERE id = $1 AND status <> 'closed'
  RETURNING last_message_seq
)
INSERT INTO messages (conversation_id, seq, author_type, author_id, author_name, body, is_internal, redactions, attachment_id, client_message_id, created_at)
SELECT $1, bump.last_message_seq, $3, $4, $5, $6, $7, $8, $9, $2, $10 FROM bump
RETURNING *`;

/**
 * Stores a message: masked, numbered and committed in one statement before anyone hears of it.
 * A retry with the same client message id returns the stored message instead of a second copy.
 */
export async function postMessage(deps: SupportDeps, input: PostMessageInput): Promise<{ message: MessageRow; isDuplicate: boolean }> {
  const masked = maskSensitive(input.body);
  if (masked.text.trim() === '' && !input.attachmentId) throw SupportError('message_empty');
  const authorType = authorTypeOf(input.author);
  let attachment: { file_name: string; mime_type: string; size: number } | undefined;
  if (input.attachmentId) {
    const found = await deps.pool.query('SELECT file_name, mime_type, size FROM attachments WHERE id = $1 AND conversation_id = $2', [
      input.attachmentId,
      input.conversation.id,
    ]);
    attachment = found.rows[0];
    if (!attachment) throw SupportError('attachment_not_found');
  }
  const at = deps.clock.now();
  let row: MessageRow | undefined;
  try {
    const result = await deps.pool.query<MessageRow>({
      name: 'okpay_insert_message',
      text: insertMessage,
      values: [
        input.conversation.id,
        input.clientMessageId ?? null,
        authorType,
        authorIdOf(input.author),
        input.author.name,
        masked.text,
        input.isInternal === true && authorType === 'agent',
        masked.redactions ? JSON.stringify(masked.redactions) : null,
        input.attachmentId ?? null,
        at,
      ],
    });
    row = result.rows[0];
  } catch (error) {
    if (uniqueViolation(error) === 'messages_client_id_key') {
      const existing = await deps.pool.query<MessageRow>('SELECT * FROM messages WHERE conversation_id = $1 AND client_message_id = $2', [
        input.conversation.id,
        input.clientMessageId,
      ]);
      if (existing.rows[0]) return { message: withAttachment(existing.rows[0], attachment), isDuplicate: true };
    }
    if (sqlState(error) === '22P02') throw SupportError('conversation_not_found');
    throw error;
  }
  if (!row) throw SupportError('conversation_closed');
  const message = withAttachment(row, attachment);
  const reopened = authorType !== 'agent' && (input.conversation.status === 'resolved' || input.conversation.status === 'pending');
  const conversation: ConversationRow = {
    ...input.conversation,
    last_message_seq: Number(row.seq),
    last_message_at: at,
    status: reopened ? 'open' : input.conversation.status,
  };
  deps.notifier.messageCreated(conversation, toMessageView(message));
  // Left-while-offline messages get their answer by email too: the customer may never come back to the page.
  if (authorType === 'agent' && !message.is_internal && conversation.is_offline_message && conversation.contact_email) {
    await deps.mailer.send(offlineReplyEmail(conversation, input.author.name ?? '', masked.text));
  }
  if (reopened) {
    await recordConversationEvent(deps.pool, conversation.id, 'status_changed', input.author, {
      from: input.conversation.status,
      to: 'open',
    });
    deps.notifier.conversationUpdated(conversation, { type: 'status_changed' });
  }
  return { message, isDuplicate: false };
}

function withAttachment(row: MessageRow, attachment: { file_name: string; mime_type: string; size: number } | undefined): MessageRow {
  return attachment
    ? { ...row, attachment_file_name: attachment.file_name, attachment_mime_type: attachment.mime_type, attachment_size: attachment.size }
    : row;
}
