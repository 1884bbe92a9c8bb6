import { sqlState, uniqueViolation } from '../../platform/db/errors.js';
import { maskSensitive } from '../masking/mask-sensitive.js';
import { SupportError } from '../support.errors.js';
import { conversationEvents } from '../support.events.js';
import type { SupportDeps } from '../support-deps.js';
import { type ConversationRow, type MessageRow, toMessageView } from './conversation-row.js';
import { authorIdOf, authorTypeOf, type Participant } from './participant.js';

export type PostMessageInput = {
  conversation: ConversationRow;
  author: Participant;
  body: string;
  clientMessageId?: string | null;
  attachmentId?: string | null;
  isInternal?: boolean;
};

// Every stored message is announced in the outbox by the statement that stores it: under the
// conversation's row lock, so a conversation's messages are published in sequence order.
// `after` names CTEs whose events come first (reading their count makes PostgreSQL run them first).
const publishMessagePosted = (after = '') => `INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at)
  SELECT '${conversationEvents.messagePosted}', 'conversation', inserted.conversation_id::text,
    jsonb_build_object('conversationId', inserted.conversation_id, 'messageId', inserted.id, 'seq', inserted.seq,
      'authorType', inserted.author_type, 'authorId', inserted.author_id, 'isInternal', inserted.is_internal,
      'isOfflineMessage', bump.is_offline_message), inserted.created_at
  FROM inserted, bump${after ? `, (SELECT count(*) FROM ${after}) AS first` : ''}`;

// The common case, one statement: number the message, store it and return what is current about the
// conversation. It leaves alone, and so returns nothing for, a closed conversation and a customer's
// message that would reopen a pending or resolved one: those take insertReopeningMessage. Callers may
// hand in a conversation row read earlier; status and assignee come from here, never from their copy.
// It touches no indexed column (updated_at is for state changes; activity is last_message_at), so
// with the table's free space PostgreSQL updates the row in place (HOT) without new index entries.
const insertMessage = `
WITH bump AS (
  UPDATE conversations SET
    last_message_seq = last_message_seq + 1,
    last_message_at = $10,
    last_customer_message_at = CASE WHEN $3 IN ('customer', 'visitor') THEN $10 ELSE last_customer_message_at END,
    last_agent_message_at = CASE WHEN $3 = 'agent' AND NOT $7 THEN $10 ELSE last_agent_message_at END,
    first_response_at = CASE WHEN $3 = 'agent' AND NOT $7 AND first_response_at IS NULL THEN $10 ELSE first_response_at END
  WHERE id = $1 AND status <> 'closed' AND NOT ($3 IN ('customer', 'visitor') AND status IN ('pending', 'resolved'))
  RETURNING last_message_seq, status, assignee_id, is_offline_message
), inserted AS (
  INSERT INTO messages (conversation_id, seq, author_type, author_id, author_name, body, is_internal, redactions, attachment_id, client_message_id, created_at)
  SELECT $1, bump.last_message_seq, $3, $4, $5, $6, $7, $8, $9, $2, $10 FROM bump
  RETURNING *
), posted AS (
  ${publishMessagePosted()}
)
SELECT inserted.*, bump.status AS conversation_status, bump.assignee_id AS conversation_assignee_id,
  bump.is_offline_message AS conversation_is_offline_message
FROM inserted, bump`;

// Everything else, also one statement: lock the conversation to learn its status, reopen it if a
// customer writes into a pending or resolved chat, store the message, and return the whole
// conversation as it now is. Nothing comes back for a closed conversation.
const insertReopeningMessage = `
WITH previous AS (
  SELECT id, status FROM conversations WHERE id = $1 FOR UPDATE
), bump AS (
  UPDATE conversations c SET
    last_message_seq = c.last_message_seq + 1,
    last_message_at = $10,
    updated_at = $10,
    last_customer_message_at = CASE WHEN $3 IN ('customer', 'visitor') THEN $10 ELSE c.last_customer_message_at END,
    last_agent_message_at = CASE WHEN $3 = 'agent' AND NOT $7 THEN $10 ELSE c.last_agent_message_at END,
    first_response_at = CASE WHEN $3 = 'agent' AND NOT $7 AND c.first_response_at IS NULL THEN $10 ELSE c.first_response_at END,
    status = CASE WHEN $3 IN ('customer', 'visitor') AND c.status IN ('pending', 'resolved') THEN 'open' ELSE c.status END,
    resolved_at = CASE WHEN $3 IN ('customer', 'visitor') AND c.status = 'resolved' THEN NULL ELSE c.resolved_at END
  FROM previous
  WHERE c.id = $1 AND previous.id = c.id AND c.status <> 'closed'
  RETURNING c.*, previous.status AS previous_status
), inserted AS (
  INSERT INTO messages (conversation_id, seq, author_type, author_id, author_name, body, is_internal, redactions, attachment_id, client_message_id, created_at)
  SELECT $1, bump.last_message_seq, $3, $4, $5, $6, $7, $8, $9, $2, $10 FROM bump
  RETURNING *
), reopened AS (
  INSERT INTO conversation_events (conversation_id, type, actor_type, actor_id, data, created_at)
  SELECT $1, 'status_changed', $11, $4, jsonb_build_object('from', bump.previous_status, 'to', bump.status), $10
  FROM bump WHERE bump.previous_status <> bump.status
), reopened_event AS (
  INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at)
  SELECT CASE WHEN bump.previous_status = 'resolved' THEN '${conversationEvents.reopened}' ELSE '${conversationEvents.statusChanged}' END,
    'conversation', bump.id::text,
    jsonb_build_object('conversationId', bump.id, 'actorType', $11::text, 'actorId', $4::text, 'from', bump.previous_status, 'to', bump.status), $10
  FROM bump WHERE bump.previous_status <> bump.status
  RETURNING id
), posted AS (
  ${publishMessagePosted('reopened_event')}
)
SELECT inserted.*, to_jsonb(bump) AS conversation FROM inserted, bump`;

type CommonRow = MessageRow & {
  conversation_status: ConversationRow['status'];
  conversation_assignee_id: string | null;
  conversation_is_offline_message: boolean;
};
type StoredConversation = Omit<ConversationRow, DateColumn> &
  Record<DateColumn, string | null> & { previous_status: ConversationRow['status'] };
type DateColumn = (typeof dateColumns)[number];
const dateColumns = [
  'last_message_at',
  'last_customer_message_at',
  'last_agent_message_at',
  'first_response_at',
  'waiting_since',
  'created_at',
  'updated_at',
  'resolved_at',
  'response_due_at',
] as const;

/** The conversation row from its JSON form (timestamps arrive as ISO strings). */
function conversationFromJson(stored: StoredConversation): { conversation: ConversationRow; previousStatus: ConversationRow['status'] } {
  const { previous_status: previousStatus, ...row } = stored;
  const conversation = { ...row } as unknown as ConversationRow;
  for (const column of dateColumns) {
    const value = row[column];
    (conversation as Record<DateColumn, Date | null>)[column] = value === null ? null : new Date(value);
  }
  return { conversation, previousStatus };
}

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
  const values = [
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
  ];
  let stored: { message: MessageRow; conversation: ConversationRow; previousStatus: ConversationRow['status'] } | undefined;
  try {
    const common = await deps.pool.query<CommonRow>({ name: 'okpay_insert_message', text: insertMessage, values });
    const row = common.rows[0];
    if (row) {
      const {
        conversation_status: status,
        conversation_assignee_id: assigneeId,
        conversation_is_offline_message: isOffline,
        ...message
      } = row;
      stored = {
        message,
        conversation: {
          ...input.conversation,
          status,
          assignee_id: assigneeId,
          is_offline_message: isOffline,
          last_message_seq: Number(message.seq),
          last_message_at: at,
        },
        previousStatus: status,
      };
    } else {
      const reopening = await deps.pool.query<MessageRow & { conversation: StoredConversation }>({
        name: 'okpay_insert_reopening_message',
        text: insertReopeningMessage,
        values: [...values, input.author.kind],
      });
      const found = reopening.rows[0];
      if (found) {
        const { conversation, ...message } = found;
        stored = { message, ...conversationFromJson(conversation) };
      }
    }
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
  if (!stored) throw SupportError('conversation_closed');
  const { conversation, previousStatus } = stored;
  const message = withAttachment(stored.message, attachment);
  const reopened = previousStatus !== conversation.status;
  deps.notifier.messageCreated(conversation, toMessageView(message));
  // Email conversations (the widget's offline messages among them) get an agent's answer by mail:
  // a subscriber of the message-posted event sends it (email/outbound/email-agent-replies).
  // The reopening was recorded on the timeline and in the outbox by the statement itself.
  if (reopened) deps.notifier.conversationUpdated(conversation, { type: 'status_changed' });
  return { message, isDuplicate: false };
}

function withAttachment(row: MessageRow, attachment: { file_name: string; mime_type: string; size: number } | undefined): MessageRow {
  return attachment
    ? { ...row, attachment_file_name: attachment.file_name, attachment_mime_type: attachment.mime_type, attachment_size: attachment.size }
    : row;
}
