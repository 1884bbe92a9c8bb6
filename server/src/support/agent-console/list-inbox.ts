import type pg from 'pg';

export type InboxFilters = {
  view: 'mine' | 'unassigned' | 'all';
  status?: string;
  category?: string;
  channel?: string;
  q?: string;
  limit: number;
  before?: string;
  /** `due`: the email promise first (most urgent on top), then by activity. */
  sort?: 'activity' | 'due';
};

export type InboxItem = {
  id: string;
  status: string;
  category: string;
  channel: string;
  priority: string;
  isVerified: boolean;
  isOfflineMessage: boolean;
  customer: { id: string | null; name: string | null; email: string | null };
  assigneeId: string | null;
  assigneeName: string | null;
  lastMessage: { body: string; authorType: string; at: string } | null;
  unread: number;
  waitingSince: string | null;
  /** Email: the decoded subject and the ticket reference. */
  subject: string | null;
  reference: string | null;
  /** When our reply is due under the email promise, while one is owed. */
  responseDueAt: string | null;
  updatedAt: string;
  createdAt: string;
};

/**
 * The agent's inbox: mine, unassigned or all, with filters and search by customer email, phone or
 * message text. Unread counts are customer messages after the agent's last read.
 */
export async function listInbox(db: pg.Pool, staffId: string, filters: InboxFilters): Promise<InboxItem[]> {
  const conditions: string[] = [];
  const values: unknown[] = [staffId];
  const add = (clause: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(clause(`$${values.length}`));
  };
  if (filters.view === 'mine') conditions.push('c.assignee_id = $1::uuid');
  if (filters.view === 'unassigned') conditions.push("c.assignee_id IS NULL AND c.status IN ('open', 'pending')");
  if (filters.status) add((p) => `c.status = ${p}`, filters.status);
  else if (filters.view !== 'all') conditions.push("c.status IN ('open', 'pending')");
  if (filters.category) add((p) => `c.category = ${p}`, filters.category);
  if (filters.channel) add((p) => `c.channel = ${p}`, filters.channel);
  if (filters.before) add((p) => `greatest(c.updated_at, c.last_message_at) < ${p}::timestamptz`, filters.before);
  if (filters.q) {
    const term = filters.q.trim();
    add(
      (p) => `(cu.email ILIKE '%' || ${p} || '%' OR cu.phone LIKE '%' || ${p} || '%' OR c.contact_email ILIKE '%' || ${p} || '%'
              OR cu.display_name ILIKE '%' || ${p} || '%' OR c.subject ILIKE '%' || ${p} || '%' OR c.reference = upper(ltrim(${p}, '#'))
              OR EXISTS (SELECT 1 FROM messages sm WHERE sm.conversation_id = c.id AND sm.body ILIKE '%' || ${p} || '%'))`,
      term.replace(/[%_\\]/g, (character) => `\\${character}`),
    );
  }
  values.push(filters.limit);
  const result = await db.query<{
    id: string;
    status: string;
    category: string;
    channel: string;
    priority: string;
    is_verified: boolean;
    is_offline_message: boolean;
    customer_id: string | null;
    customer_name: string | null;
    customer_email: string | null;
    contact_name: string | null;
    contact_email: string | null;
    assignee_id: string | null;
    assignee_name: string | null;
    last_body: string | null;
    last_author: string | null;
    last_at: Date | null;
    unread: number;
    waiting_since: Date | null;
    subject: string | null;
    reference: string | null;
    response_due_at: Date | null;
    updated_at: Date;
    last_message_at: Date | null;
    created_at: Date;
  }>(
    `SELECT c.*, cu.display_name AS customer_name, cu.email AS customer_email, s.display_name AS assignee_name,
            last.body AS last_body, last.author_type AS last_author, last.created_at AS last_at,
            (SELECT count(*)::int FROM messages um WHERE um.conversation_id = c.id AND um.author_type IN ('customer', 'visitor')
               AND um.seq > coalesce((SELECT r.last_read_seq FROM conversation_reads r
                                       WHERE r.conversation_id = c.id AND r.reader_type = 'staff' AND r.reader_id = $1::text), 0)) AS unread
     FROM conversations c
     LEFT JOIN customers cu ON cu.id = c.customer_id
     LEFT JOIN staff_members s ON s.id = c.assignee_id
     LEFT JOIN LATERAL (SELECT body, author_type, created_at FROM messages m WHERE m.conversation_id = c.id AND NOT m.is_internal
                        ORDER BY seq DESC LIMIT 1) last ON true
     ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
     ORDER BY ${filters.sort === 'due' ? "CASE WHEN c.status IN ('open', 'pending') THEN c.response_due_at END ASC NULLS LAST," : ''}
       c.waiting_since ASC NULLS LAST, greatest(c.updated_at, c.last_message_at) DESC
     LIMIT $${values.length}`,
    values,
  );
  return result.rows.map((row) => ({
    id: row.id,
    status: row.status,
    category: row.category,
    channel: row.channel,
    priority: row.priority,
    isVerified: row.is_verified,
    isOfflineMessage: row.is_offline_message,
    customer: { id: row.customer_id, name: row.customer_name ?? row.contact_name, email: row.customer_email ?? row.contact_email },
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    lastMessage:
      row.last_body !== null && row.last_at
        ? { body: row.last_body.slice(0, 140), authorType: row.last_author ?? '', at: row.last_at.toISOString() }
        : null,
    unread: row.unread,
    waitingSince: row.waiting_since?.toISOString() ?? null,
    subject: row.subject,
    reference: row.reference,
    responseDueAt: row.status === 'open' || row.status === 'pending' ? (row.response_due_at?.toISOString() ?? null) : null,
    // Last activity: a message or a change of state, whichever came later.
    updatedAt: (row.last_message_at && row.last_message_at > row.updated_at ? row.last_message_at : row.updated_at).toISOString(),
    createdAt: row.created_at.toISOString(),
  }));
}

/** Unread totals per view for the badges. */
export async function inboxCounts(db: pg.Pool, staffId: string): Promise<{ mine: number; unassigned: number; mineUnread: number }> {
  const result = await db.query<{ mine: number; unassigned: number; mine_unread: number }>(
    `SELECT
       count(*) FILTER (WHERE assignee_id = $1::uuid AND status IN ('open', 'pending'))::int AS mine,
       count(*) FILTER (WHERE assignee_id IS NULL AND status IN ('open', 'pending'))::int AS unassigned,
       coalesce(sum(CASE WHEN assignee_id = $1::uuid AND status IN ('open', 'pending') THEN
         (SELECT count(*) FROM messages um WHERE um.conversation_id = c.id AND um.author_type IN ('customer', 'visitor')
            AND um.seq > coalesce((SELECT r.last_read_seq FROM conversation_reads r
                                    WHERE r.conversation_id = c.id AND r.reader_type = 'staff' AND r.reader_id = $1::text), 0))
       END), 0)::int AS mine_unread
     FROM conversations c`,
    [staffId],
  );
  const row = result.rows[0];
  return { mine: row?.mine ?? 0, unassigned: row?.unassigned ?? 0, mineUnread: row?.mine_unread ?? 0 };
}
