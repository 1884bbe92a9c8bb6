import type pg from 'pg';
import type { MessageRow } from './conversation-row.js';

const selectAfter = `
SELECT m.*, a.file_name AS attachment_file_name, a.mime_type AS attachment_mime_type, a.size AS attachment_size
FROM messages m LEFT JOIN attachments a ON a.id = m.attachment_id
WHERE m.conversation_id = $1 AND m.seq > $2 AND (NOT m.is_internal OR $3)
ORDER BY m.seq
LIMIT $4`;

/** Everything after the last sequence number a client saw, in order; internal notes for staff only. */
export async function listMessagesAfter(
  db: pg.Pool | pg.PoolClient,
  input: { conversationId: string; afterSeq: number; includeInternal: boolean; limit?: number },
): Promise<MessageRow[]> {
  const result = await db.query<MessageRow>({
    name: 'okpay_messages_after',
    text: selectAfter,
    values: [input.conversationId, input.afterSeq, input.includeInternal, input.limit ?? 1000],
  });
  return result.rows;
}
