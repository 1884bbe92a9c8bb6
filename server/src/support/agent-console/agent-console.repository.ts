import type { InboxQuery } from '@okpay/contracts';
import { asc, ilike, inArray, or, sql } from 'drizzle-orm';
import { customers } from '../../identity/index.js';
import type { Queryable } from '../../platform/index.js';
import type { ConversationRow } from '../conversations/conversations.repository.js';
import { cannedResponses, conversations } from '../support.tables.js';

export type CannedResponseRow = typeof cannedResponses.$inferSelect;

/** One inbox line as the report reads it: the conversation's columns, who it is with and its last message. */
export type InboxRecord = {
  id: string;
  status: ConversationRow['status'];
  category: ConversationRow['category'];
  channel: ConversationRow['channel'];
  priority: ConversationRow['priority'];
  isVerified: boolean;
  isOfflineMessage: boolean;
  customerId: string | null;
  customerName: string | null;
  customerEmail: string | null;
  contactName: string | null;
  contactEmail: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  lastBody: string | null;
  lastAuthorType: string | null;
  lastAt: Date | null;
  unread: number;
  waitingSince: Date | null;
  /** Email: the decoded subject and the ticket reference. */
  subject: string | null;
  reference: string | null;
  /** When our reply is due under the email promise. */
  responseDueAt: Date | null;
  updatedAt: Date;
  lastMessageAt: Date | null;
  createdAt: Date;
};

/**
 * The agent's inbox (a report: one statement with joins and counts). Unread counts are customer
 * messages after this agent's last read. Search looks at customer email, phone and name, the
 * subject, the ticket reference and message text. Sorted `due`, the email promise comes first
 * (most urgent on top), then activity.
 */
export async function listInboxRecords(db: Queryable, staffId: string, filters: InboxQuery): Promise<InboxRecord[]> {
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
    add(
      (p) => `(cu.email ILIKE '%' || ${p} || '%' OR cu.phone LIKE '%' || ${p} || '%' OR c.contact_email ILIKE '%' || ${p} || '%'
              OR cu.display_name ILIKE '%' || ${p} || '%' OR c.subject ILIKE '%' || ${p} || '%' OR c.reference = upper(ltrim(${p}, '#'))
              OR EXISTS (SELECT 1 FROM messages sm WHERE sm.conversation_id = c.id AND sm.body ILIKE '%' || ${p} || '%'))`,
      likePattern(filters.q.trim()),
    );
  }
  values.push(filters.limit);
  const result = await db.$client.query<{
    id: string;
    status: ConversationRow['status'];
    category: ConversationRow['category'];
    channel: ConversationRow['channel'];
    priority: ConversationRow['priority'];
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
    `SELECT c.id, c.status, c.category, c.channel, c.priority, c.is_verified, c.is_offline_message, c.customer_id,
            c.contact_name, c.contact_email, c.assignee_id, c.waiting_since, c.subject, c.reference, c.response_due_at,
            c.updated_at, c.last_message_at, c.created_at,
            cu.display_name AS customer_name, cu.email AS customer_email, s.display_name AS assignee_name,
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
     ORDER BY ${filters.sort === 'due' ? "c.sla_risk DESC, CASE WHEN c.status IN ('open', 'pending') THEN c.sla_due_at END ASC NULLS LAST," : ''}
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
    customerId: row.customer_id,
    customerName: row.customer_name,
    customerEmail: row.customer_email,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    lastBody: row.last_body,
    lastAuthorType: row.last_author,
    lastAt: row.last_at,
    unread: row.unread,
    waitingSince: row.waiting_since,
    subject: row.subject,
    reference: row.reference,
    responseDueAt: row.response_due_at,
    updatedAt: row.updated_at,
    lastMessageAt: row.last_message_at,
    createdAt: row.created_at,
  }));
}

/** Unread totals per view for the badges. */
export async function countInbox(db: Queryable, staffId: string): Promise<{ mine: number; unassigned: number; mineUnread: number }> {
  const result = await db.$client.query<{ mine: number; unassigned: number; mine_unread: number }>(
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

/** The text as a LIKE pattern that matches it literally. */
function likePattern(text: string): string {
  return text.replace(/[%_\\]/g, (character) => `\\${character}`);
}

/** Canned responses whose shortcut starts with, or whose title contains, `q`; the caller's language first. */
export async function listCannedResponseRows(db: Queryable, query: { q?: string; locale: string }): Promise<CannedResponseRow[]> {
  const q = query.q ? likePattern(query.q) : undefined;
  return db
    .select()
    .from(cannedResponses)
    .where(q === undefined ? undefined : or(ilike(cannedResponses.shortcut, `${q}%`), ilike(cannedResponses.title, `%${q}%`)))
    .orderBy(sql`${cannedResponses.locale} <> ${query.locale}`, asc(cannedResponses.shortcut));
}

export async function insertCannedResponse(db: Queryable, values: typeof cannedResponses.$inferInsert): Promise<CannedResponseRow> {
  const [row] = await db.insert(cannedResponses).values(values).returning();
  if (!row) throw new Error('canned response insert returned nothing');
  return row;
}

/** The waiting chats with whom they are with, in the order given (the queue's). */
export async function listQueuedChats(
  db: Queryable,
  ids: readonly string[],
): Promise<
  Array<{ id: string; category: ConversationRow['category']; waitingSince: Date | null; isVerified: boolean; customerName: string | null }>
> {
  if (ids.length === 0) return [];
  return db
    .select({
      id: conversations.id,
      category: conversations.category,
      waitingSince: conversations.waitingSince,
      isVerified: conversations.isVerified,
      customerName: sql<string | null>`coalesce(${customers.displayName}, ${conversations.contactName})`,
    })
    .from(conversations)
    .leftJoin(customers, sql`${customers.id} = ${conversations.customerId}`)
    .where(inArray(conversations.id, [...ids]))
    .orderBy(asc(conversations.waitingSince));
}
