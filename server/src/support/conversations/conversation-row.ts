import type { ChatMessage, ConversationCategory, ConversationStatus } from '@okpay/contracts';
import type pg from 'pg';
import { SupportError } from '../support.errors.js';
import type { Participant } from './participant.js';

export type ConversationRow = {
  id: string;
  customer_id: string | null;
  visitor_id: string | null;
  is_verified: boolean;
  channel: 'chat' | 'email' | 'phone';
  status: ConversationStatus;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  category: ConversationCategory;
  tags: string[];
  subject: string | null;
  contact_name: string | null;
  contact_email: string | null;
  locale: 'zh-CN' | 'en';
  assignee_id: string | null;
  is_offline_message: boolean;
  last_message_seq: string | number;
  last_message_at: Date | null;
  last_customer_message_at: Date | null;
  last_agent_message_at: Date | null;
  first_response_at: Date | null;
  waiting_since: Date | null;
  returned_by: string | null;
  returned_at: Date | null;
  created_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  reference: string | null;
  response_due_at: Date | null;
};

export type MessageRow = {
  id: string;
  conversation_id: string;
  seq: string | number;
  author_type: ChatMessage['authorType'];
  author_id: string | null;
  author_name: string | null;
  body: string;
  is_internal: boolean;
  redactions: Record<string, number> | null;
  attachment_id: string | null;
  attachment_file_name?: string | null;
  attachment_mime_type?: string | null;
  attachment_size?: number | null;
  client_message_id: string | null;
  created_at: Date;
};

export function toMessageView(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    authorType: row.author_type,
    authorName: row.author_name,
    body: row.body,
    isInternal: row.is_internal,
    redactions: row.redactions,
    attachment:
      row.attachment_id && row.attachment_mime_type
        ? {
            id: row.attachment_id,
            fileName: row.attachment_file_name ?? '',
            mimeType: row.attachment_mime_type,
            size: row.attachment_size ?? 0,
          }
        : null,
    clientMessageId: row.client_message_id,
    createdAt: row.created_at.toISOString(),
  };
}

type Queryable = pg.Pool | pg.PoolClient;

/** Whether the participant may see this conversation: its owner, or any staff member. */
export function canAccess(conversation: ConversationRow, participant: Participant): boolean {
  if (participant.kind === 'staff') return true;
  if (participant.kind === 'customer') return conversation.customer_id === participant.customerId;
  return conversation.customer_id === null && conversation.visitor_id === participant.visitorId;
}

/** The conversation if the participant may see it; otherwise "not found", never "forbidden". */
export async function getConversationFor(db: Queryable, conversationId: string, participant: Participant): Promise<ConversationRow> {
  const result = await db.query<ConversationRow>({
    name: 'okpay_conversation_by_id',
    text: 'SELECT * FROM conversations WHERE id = $1',
    values: [conversationId],
  });
  const conversation = result.rows[0];
  if (!conversation || !canAccess(conversation, participant)) throw SupportError('conversation_not_found');
  return conversation;
}
