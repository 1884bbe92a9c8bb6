import type { SupportDeps } from '../support-deps.js';
import type { ConversationRow } from './conversation-row.js';
import { type Participant, readerOf } from './participant.js';

/** Records how far a participant has read (never backwards) and sends the read receipt. */
export async function markRead(deps: SupportDeps, conversation: ConversationRow, participant: Participant, seq: number): Promise<number> {
  const reader = readerOf(participant);
  const upTo = Math.min(seq, Number(conversation.last_message_seq));
  const result = await deps.pool.query<{ last_read_seq: string }>(
    `INSERT INTO conversation_reads (conversation_id, reader_type, reader_id, last_read_seq, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (conversation_id, reader_type, reader_id)
     DO UPDATE SET last_read_seq = greatest(conversation_reads.last_read_seq, EXCLUDED.last_read_seq), updated_at = now()
     RETURNING last_read_seq`,
    [conversation.id, reader.type, reader.id, upTo],
  );
  const readSeq = Number(result.rows[0]?.last_read_seq ?? upTo);
  deps.notifier.readReceipt(conversation, reader, readSeq);
  return readSeq;
}
