import type { CustomerConversation, LinkedObject } from '@okpay/contracts';
import type pg from 'pg';
import { queueInfoFor } from '../routing/queue.js';
import type { ConversationRow } from './conversation-row.js';

type Queryable = pg.Pool | pg.PoolClient;

/** What the widget shows about a conversation: status, the agent's name, queue place, links. */
export async function toCustomerConversation(db: Queryable, conversation: ConversationRow): Promise<CustomerConversation> {
  const [agent, links, reads, queue] = await Promise.all([
    conversation.assignee_id
      ? db.query<{ id: string; display_name: string }>('SELECT id, display_name FROM staff_members WHERE id = $1', [
          conversation.assignee_id,
        ])
      : Promise.resolve({ rows: [] as Array<{ id: string; display_name: string }> }),
    db.query<{ object_type: LinkedObject['type']; object_id: string }>(
      'SELECT object_type, object_id FROM conversation_links WHERE conversation_id = $1 ORDER BY created_at',
      [conversation.id],
    ),
    db.query<{ seq: string | null }>(
      "SELECT max(last_read_seq) AS seq FROM conversation_reads WHERE conversation_id = $1 AND reader_type = 'staff'",
      [conversation.id],
    ),
    conversation.waiting_since ? queueInfoFor(db, conversation.id) : Promise.resolve(null),
  ]);
  const assigned = agent.rows[0];
  return {
    id: conversation.id,
    status: conversation.status,
    category: conversation.category,
    channel: conversation.channel,
    agent: assigned ? { id: assigned.id, name: assigned.display_name } : null,
    queue,
    lastMessageSeq: Number(conversation.last_message_seq),
    agentReadSeq: Number(reads.rows[0]?.seq ?? 0),
    links: links.rows.map((row) => ({ type: row.object_type, id: row.object_id })),
    isOfflineMessage: conversation.is_offline_message,
    createdAt: conversation.created_at.toISOString(),
  };
}
