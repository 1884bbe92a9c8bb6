import { and, asc, desc, eq, inArray, lt, max, or, type SQL, sql } from 'drizzle-orm';
import { publishBatchSql, type Queryable, rowFrom, timeOrderedUuid } from '../../platform/index.js';
import { conversationEvents as outboxEvents } from '../support.events.js';
import {
  type attachments,
  conversationEvents,
  conversationLinks,
  conversationReads,
  conversations,
  messages,
  transcriptAddresses,
} from '../support.tables.js';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type ConversationEventRow = typeof conversationEvents.$inferSelect;
export type ConversationLinkRow = typeof conversationLinks.$inferSelect;
export type TranscriptAddressRow = typeof transcriptAddresses.$inferSelect;
/** What a message shows of its image. */
export type AttachmentMeta = Pick<typeof attachments.$inferSelect, 'fileName' | 'mimeType' | 'size'>;
/** A message with the image it carries, if any. */
export type MessageRecord = { message: MessageRow; attachment: AttachmentMeta | null };
/** Whose conversations: a signed-in customer's or an anonymous visitor's. */
export type ConversationOwner = { customerId: string } | { visitorId: string };

function ownedBy(owner: ConversationOwner): SQL {
  return 'customerId' in owner ? eq(conversations.customerId, owner.customerId) : eq(conversations.visitorId, owner.visitorId);
}

// ---- Conversations -----------------------------------------------------------------------------

/** Read on every message a socket has not cached and on every read receipt: a prepared statement. */
export async function findConversation(db: Queryable, conversationId: string): Promise<ConversationRow | undefined> {
  const result = await db.$client.query({
    name: 'okpay_conversation_by_id',
    text: 'SELECT * FROM conversations WHERE id = $1',
    values: [conversationId],
  });
  const row = result.rows[0];
  return row ? rowFrom(conversations, row) : undefined;
}

export async function findConversationForUpdate(db: Queryable, conversationId: string): Promise<ConversationRow | undefined> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, conversationId)).for('update');
  return row;
}

/** The owner's live chat (open or pending, not a left-while-offline message), newest first. */
export async function findLiveChat(db: Queryable, owner: ConversationOwner): Promise<ConversationRow | undefined> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(
      and(
        ownedBy(owner),
        eq(conversations.channel, 'chat'),
        inArray(conversations.status, ['open', 'pending']),
        eq(conversations.isOfflineMessage, false),
      ),
    )
    .orderBy(desc(conversations.createdAt))
    .limit(1);
  return row;
}

export async function listOwnerConversations(db: Queryable, owner: ConversationOwner, limit: number): Promise<ConversationRow[]> {
  return db.select().from(conversations).where(ownedBy(owner)).orderBy(desc(conversations.createdAt)).limit(limit);
}

export async function listConversationsById(db: Queryable, ids: readonly string[]): Promise<ConversationRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(conversations)
    .where(inArray(conversations.id, [...ids]));
}

export async function insertConversation(db: Queryable, values: typeof conversations.$inferInsert): Promise<ConversationRow> {
  const [row] = await db.insert(conversations).values(values).returning();
  if (!row) throw new Error('conversation insert returned nothing');
  return row;
}

/** Status, category, priority and tags; a finished conversation leaves the queue and keeps when it was resolved. */
export async function updateConversationFields(
  db: Queryable,
  conversationId: string,
  fields: Pick<ConversationRow, 'status' | 'category' | 'priority' | 'tags'> & { at: Date },
): Promise<ConversationRow | undefined> {
  const isFinished = fields.status === 'resolved' || fields.status === 'closed';
  const [row] = await db
    .update(conversations)
    .set({
      status: fields.status,
      category: fields.category,
      priority: fields.priority,
      tags: fields.tags,
      updatedAt: fields.at,
      resolvedAt: isFinished ? sql`coalesce(${conversations.resolvedAt}, ${fields.at})` : null,
      ...(isFinished ? { waitingSince: null } : {}),
    })
    .where(eq(conversations.id, conversationId))
    .returning();
  return row;
}

/**
 * Gives the conversation to an agent, or back to the queue with null. Handing back remembers who
 * let it go (routing passes them over for a while) and puts a live chat back in the queue.
 */
export async function setConversationAssignee(
  db: Queryable,
  conversationId: string,
  assigneeId: string | null,
  at: Date,
): Promise<ConversationRow | undefined> {
  const result = await db.$client.query(
    `UPDATE conversations SET assignee_id = $2, updated_at = $3,
       waiting_since = CASE WHEN $2::uuid IS NULL AND channel = 'chat' AND status IN ('open', 'pending') THEN coalesce(waiting_since, $3) ELSE NULL END,
       returned_by = CASE WHEN $2::uuid IS NULL THEN coalesce(assignee_id, returned_by) END,
       returned_at = CASE WHEN $2::uuid IS NULL THEN CASE WHEN assignee_id IS NULL THEN returned_at ELSE $3 END END
     WHERE id = $1 RETURNING *`,
    [conversationId, assigneeId, at],
  );
  const row = result.rows[0];
  return row ? rowFrom(conversations, row) : undefined;
}

/** Puts a conversation in its channel's queue, waiting since `since` (a callback whose time has come). */
export async function enqueueConversation(
  db: Queryable,
  conversationId: string,
  since: Date,
  at: Date,
): Promise<ConversationRow | undefined> {
  const [row] = await db
    .update(conversations)
    .set({ waitingSince: since, assigneeId: null, status: 'open', resolvedAt: null, updatedAt: at })
    .where(eq(conversations.id, conversationId))
    .returning();
  return row;
}

/** Takes a conversation out of the queue and away from its agent (a callback rescheduled). */
export async function dequeueConversation(db: Queryable, conversationId: string, at: Date): Promise<ConversationRow | undefined> {
  const [row] = await db
    .update(conversations)
    .set({ waitingSince: null, assigneeId: null, updatedAt: at })
    .where(eq(conversations.id, conversationId))
    .returning();
  return row;
}

/** The email conversation (or offline message) a message was posted in; undefined for live chat. */
/** Of these messages, those in email conversations (the widget's offline messages too), with their conversation. */
export async function findEmailConversationsOfMessages(
  db: Queryable,
  messageIds: readonly string[],
): Promise<Map<string, ConversationRow>> {
  if (messageIds.length === 0) return new Map();
  const rows = await db
    .select({ messageId: messages.id, conversation: conversations })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(inArray(messages.id, [...messageIds]), or(eq(conversations.channel, 'email'), eq(conversations.isOfflineMessage, true))));
  return new Map(rows.map((row) => [row.messageId, row.conversation]));
}

// ---- Messages ----------------------------------------------------------------------------------

export type NewMessage = {
  conversationId: string;
  clientMessageId: string | null;
  authorType: MessageRow['authorType'];
  authorId: string;
  authorName: string | null;
  body: string;
  isInternal: boolean;
  redactions: Record<string, number> | null;
  attachmentId: string | null;
  at: Date;
};

function messageValues(input: NewMessage): unknown[] {
  return [
    input.conversationId,
    input.clientMessageId,
    input.authorType,
    input.authorId,
    input.authorName,
    input.body,
    input.isInternal,
    input.redactions ? JSON.stringify(input.redactions) : null,
    input.attachmentId,
    input.at,
  ];
}

// Every stored message is announced in the outbox by the statement that stores it, under the
// conversation's row lock, so a conversation's messages are published in sequence order.
const messagePostedPayload = (message: string, isOfflineMessage: string) =>
  `json_build_object('conversationId', ${message}.conversation_id, 'messageId', ${message}.id, 'seq', ${message}.seq,
      'authorType', ${message}.author_type, 'authorId', ${message}.author_id, 'isInternal', ${message}.is_internal,
      'isOfflineMessage', ${isOfflineMessage})`;

// One message alone: `after` names a CTE whose event comes first (reading its count makes
// PostgreSQL run it first).
const publishMessagePosted = (after: string) => `INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at)
  SELECT '${outboxEvents.messagePosted}', 'conversation', inserted.conversation_id::text,
    ${messagePostedPayload('inserted', 'bump.is_offline_message')}, inserted.created_at
  FROM inserted JOIN bump ON bump.id = inserted.conversation_id, (SELECT count(*) FROM ${after}) AS first`;

// A batch of messages: one outbox row carrying the batch's events, each conversation's in sequence order.
const publishMessagesPosted = publishBatchSql({
  type: `'${outboxEvents.messagePosted}'`,
  from: 'numbered',
  subjectType: "'conversation'",
  subjectId: 'numbered.conversation_id::text',
  payload: messagePostedPayload('numbered', 'numbered.conversation_is_offline_message'),
  occurredAt: 'numbered.created_at',
  orderBy: 'numbered.conversation_id, numbered.seq',
});

// The common case, a batch of messages in one statement (the node's group commit, see
// message-writer.ts): number each message, store it, announce the batch in one outbox row and return what is
// current about its conversation. Messages of one conversation in the batch get consecutive
// numbers in the order given (one update of the conversation row adds them all). A message whose
// client id is already stored comes back as that stored message (a retried send). Nothing comes
// back for a message into a closed or missing conversation or a customer's message that would
// reopen a pending or resolved one: those take insertReopeningMessage, one at a time. The messages
// of a conversation whose row another transaction holds at that moment come back busy (SKIP
// LOCKED), to be sent again: a batch holds the rows of several conversations at once and so never
// waits for one, and cannot deadlock with a transaction that locks conversations in another order
// (the SLA clocks' event handler does). Messages are stored only from that update of their
// conversation's row, which is why the table needs no foreign key probed per message.
// Callers may hand in a conversation row read earlier; status and assignee come from here, never
// from their copy. It touches no indexed column of the conversation (updated_at is for state
// changes; activity is last_message_at), so with the table's free space PostgreSQL updates the row
// in place (HOT). The statement's plan is made once per connection, perhaps while the tables are
// still small, and estimates one row for every step: so a retried message is looked up through the
// (conversation, client id) index one message at a time (LIMIT 1 keeps it a lookup; as a join it
// became a hash join reading the whole messages table every batch), messages find their
// conversation's new numbers by array position, and what is returned and announced is read from
// `numbered` (ids made by the caller) rather than by joining the inserted rows back: joins between
// CTEs ran as nested loops, one pass over one side for every row of the other. The locked ids
// filter `counts`, not the conversations' index scan: as a key of that scan, the array was sorted
// again for each of the batch's conversations (13 % of the statement's CPU at 100 messages a batch).
const insertMessagesStatement = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::jsonb[], $9::uuid[], $10::timestamptz[], $11::uuid[])
    WITH ORDINALITY AS i(conversation_id, client_message_id, author_type, author_id, author_name, body, is_internal, redactions, attachment_id, created_at, id, ord)
), stored AS (
  SELECT input.ord, m.* FROM input CROSS JOIN LATERAL (
    SELECT * FROM messages m WHERE m.conversation_id = input.conversation_id AND m.client_message_id = input.client_message_id LIMIT 1
  ) m
  WHERE input.client_message_id IS NOT NULL
), fresh AS (
  SELECT input.*, input.author_type IN ('customer', 'visitor') AS from_customer
  FROM input WHERE NOT EXISTS (SELECT 1 FROM stored WHERE stored.ord = input.ord)
), counts AS (
  SELECT conversation_id,
    count(*) AS n_all,
    count(*) FILTER (WHERE NOT from_customer) AS n_others,
    max(created_at) AS last_at,
    max(created_at) FILTER (WHERE NOT from_customer) AS last_others_at,
    max(created_at) FILTER (WHERE from_customer) AS last_customer_at,
    max(created_at) FILTER (WHERE author_type = 'agent' AND NOT is_internal) AS last_answer_at,
    min(created_at) FILTER (WHERE author_type = 'agent' AND NOT is_internal) AS first_answer_at
  FROM fresh GROUP BY conversation_id
), locked AS (
  SELECT id FROM conversations WHERE id = ANY($1::uuid[]) FOR NO KEY UPDATE SKIP LOCKED
), bump AS (
  UPDATE conversations c SET
    last_message_seq = c.last_message_seq + CASE WHEN c.status IN ('pending', 'resolved') THEN counts.n_others ELSE counts.n_all END,
    last_message_at = CASE WHEN c.status IN ('pending', 'resolved') THEN counts.last_others_at ELSE counts.last_at END,
    last_customer_message_at = CASE WHEN c.status IN ('pending', 'resolved') THEN c.last_customer_message_at
      ELSE coalesce(counts.last_customer_at, c.last_customer_message_at) END,
    last_agent_message_at = coalesce(counts.last_answer_at, c.last_agent_message_at),
    first_response_at = coalesce(c.first_response_at, counts.first_answer_at)
  FROM counts
  WHERE c.id = counts.conversation_id AND counts.conversation_id = ANY (ARRAY(SELECT id FROM locked)) AND c.status <> 'closed'
    AND (c.status NOT IN ('pending', 'resolved') OR counts.n_others > 0)
  RETURNING c.id, c.last_message_seq, c.status, c.assignee_id, c.is_offline_message,
    CASE WHEN c.status IN ('pending', 'resolved') THEN counts.n_others ELSE counts.n_all END AS added
), bumped AS (
  SELECT array_agg(id) AS ids, array_agg(last_message_seq - added) AS bases, array_agg(status) AS statuses,
    array_agg(assignee_id) AS assignees, array_agg(is_offline_message) AS offline
  FROM bump
), numbered AS MATERIALIZED (
  SELECT fresh.*,
    bumped.bases[k] + row_number() OVER (PARTITION BY fresh.conversation_id ORDER BY fresh.ord) AS seq,
    bumped.statuses[k] AS conversation_status, bumped.assignees[k] AS conversation_assignee_id,
    bumped.offline[k] AS conversation_is_offline_message
  FROM bumped, fresh, LATERAL array_position(bumped.ids, fresh.conversation_id) AS k
  WHERE k IS NOT NULL AND NOT (fresh.from_customer AND bumped.statuses[k] IN ('pending', 'resolved'))
), inserted AS (
  INSERT INTO messages (id, conversation_id, seq, author_type, author_id, author_name, body, is_internal, redactions, attachment_id, client_message_id, created_at)
  SELECT id, conversation_id, seq, author_type, author_id, author_name, body, is_internal, redactions, attachment_id, client_message_id, created_at
  FROM numbered ORDER BY ord
), posted AS (
  ${publishMessagesPosted}
)
SELECT ord::int, seq, conversation_status, conversation_assignee_id, conversation_is_offline_message, FALSE AS is_busy,
  NULL::uuid AS id, NULL::uuid AS conversation_id, NULL::text AS author_type, NULL::text AS author_id, NULL::text AS author_name,
  NULL::text AS body, NULL::boolean AS is_internal, NULL::jsonb AS redactions, NULL::uuid AS attachment_id,
  NULL::text AS client_message_id, NULL::timestamptz AS created_at
FROM numbered
UNION ALL
SELECT stored.ord::int, stored.seq, NULL, NULL, NULL, FALSE, stored.id, stored.conversation_id, stored.author_type, stored.author_id,
  stored.author_name, stored.body, stored.is_internal, stored.redactions, stored.attachment_id, stored.client_message_id, stored.created_at
FROM stored
UNION ALL
SELECT fresh.ord::int, NULL, NULL, NULL, NULL, TRUE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM fresh
WHERE fresh.conversation_id <> ALL (ARRAY(SELECT id FROM locked))
  AND EXISTS (SELECT 1 FROM conversations WHERE conversations.id = fresh.conversation_id)`;

export type InsertedMessage =
  | { kind: 'stored'; message: MessageRow; conversation: Pick<ConversationRow, 'status' | 'assigneeId' | 'isOfflineMessage'> }
  /** Its client message id was already stored: this is that message. */
  | { kind: 'duplicate'; message: MessageRow }
  /** Another transaction held the conversation's row: nothing was written, send it again. */
  | { kind: 'busy' }
  /** The conversation is closed, or the message would reopen it (see insertReopeningMessage). */
  | { kind: 'refused' };

/** A message as the batch statement stored it: what the sender handed in, with its id and number. */
function storedMessage(input: NewMessage, id: string, seq: number): MessageRow {
  return {
    id,
    conversationId: input.conversationId,
    seq,
    authorType: input.authorType,
    authorId: input.authorId,
    authorName: input.authorName,
    body: input.body,
    isInternal: input.isInternal,
    redactions: input.redactions,
    attachmentId: input.attachmentId,
    clientMessageId: input.clientMessageId,
    createdAt: input.at,
  };
}

/**
 * Numbers and stores a batch of messages in one statement, the chat's hot path: one answer per
 * message, in order. A stored message comes back as its number only (the rest is what was handed
 * in); a retried one comes back whole, as it was first stored.
 */
export async function insertMessages(db: Queryable, inputs: NewMessage[]): Promise<InsertedMessage[]> {
  const columns: unknown[][] = Array.from({ length: 11 }, () => new Array(inputs.length));
  // Ids in time order: a batch's messages land together at the end of the primary key (random
  // ids put each on its own page of it, a quarter of the statement's time on a table of tens of thousands).
  const ids = inputs.map(() => timeOrderedUuid());
  inputs.forEach((input, index) => {
    [...messageValues(input), ids[index]].forEach((value, column) => {
      (columns[column] as unknown[])[index] = value;
    });
  });
  const result = await db.$client.query({ name: 'okpay_insert_messages', text: insertMessagesStatement, values: columns });
  const answers: InsertedMessage[] = inputs.map(() => ({ kind: 'refused' }));
  for (const row of result.rows) {
    const index = row.ord - 1;
    const input = inputs[index];
    if (row.is_busy || !input) answers[index] = { kind: 'busy' };
    else if (row.conversation_status === null) answers[index] = { kind: 'duplicate', message: rowFrom(messages, row) };
    else
      answers[index] = {
        kind: 'stored',
        message: storedMessage(input, ids[index] as string, Number(row.seq)),
        conversation: {
          status: row.conversation_status,
          assigneeId: row.conversation_assignee_id,
          isOfflineMessage: row.conversation_is_offline_message,
        },
      };
  }
  return answers;
}

// Everything else, also one statement: lock the conversation to learn its status, reopen it if a
// customer writes into a pending or resolved chat (on the timeline and in the outbox, $11 being
// the author's kind), store the message, and return the whole conversation as it now is. Nothing
// comes back for a closed conversation.
const insertReopeningMessageStatement = `
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
  SELECT CASE WHEN bump.previous_status = 'resolved' THEN '${outboxEvents.reopened}' ELSE '${outboxEvents.statusChanged}' END,
    'conversation', bump.id::text,
    jsonb_build_object('conversationId', bump.id, 'actorType', $11::text, 'actorId', $4::text, 'from', bump.previous_status, 'to', bump.status), $10
  FROM bump WHERE bump.previous_status <> bump.status
  RETURNING id
), posted AS (
  ${publishMessagePosted('reopened_event')}
)
SELECT inserted.*, to_jsonb(bump) AS conversation FROM inserted, bump`;

/** Stores a message that may reopen its conversation; undefined when the conversation is closed. */
export async function insertReopeningMessage(
  db: Queryable,
  input: NewMessage,
  authorKind: string,
): Promise<{ message: MessageRow; conversation: ConversationRow; previousStatus: ConversationRow['status'] } | undefined> {
  const result = await db.$client.query({
    name: 'okpay_insert_reopening_message',
    text: insertReopeningMessageStatement,
    values: [...messageValues(input), authorKind],
  });
  const row = result.rows[0];
  if (!row) return undefined;
  const stored = row.conversation as Record<string, unknown> & { previous_status: ConversationRow['status'] };
  return { message: rowFrom(messages, row), conversation: rowFrom(conversations, stored), previousStatus: stored.previous_status };
}

export async function findMessage(db: Queryable, messageId: string): Promise<MessageRow | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, messageId));
  return row;
}

/** An agent's answer the customer saw (not an internal note), in this conversation. */
export async function findAgentAnswer(db: Queryable, conversationId: string, messageId: string): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.id, messageId),
        eq(messages.conversationId, conversationId),
        eq(messages.authorType, 'agent'),
        eq(messages.isInternal, false),
      ),
    );
  return row;
}

/** The last message the customer could see before sequence number `seq`. */
export async function findVisibleMessageBefore(db: Queryable, conversationId: string, seq: number): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), lt(messages.seq, seq), eq(messages.isInternal, false)))
    .orderBy(desc(messages.seq))
    .limit(1);
  return row;
}

export async function findMessageByClientId(
  db: Queryable,
  conversationId: string,
  clientMessageId: string,
): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.clientMessageId, clientMessageId)));
  return row;
}

const selectMessagesAfter = `
SELECT m.*, a.file_name AS attachment_file_name, a.mime_type AS attachment_mime_type, a.size AS attachment_size
FROM messages m LEFT JOIN attachments a ON a.id = m.attachment_id
WHERE m.conversation_id = $1 AND m.seq > $2 AND (NOT m.is_internal OR $3)
ORDER BY m.seq
LIMIT $4`;

/** Everything after the last sequence number a client saw, in order; internal notes for staff only. */
export async function listMessagesAfter(
  db: Queryable,
  input: { conversationId: string; afterSeq: number; includeInternal: boolean; limit?: number },
): Promise<MessageRecord[]> {
  const result = await db.$client.query({
    name: 'okpay_messages_after',
    text: selectMessagesAfter,
    values: [input.conversationId, input.afterSeq, input.includeInternal, input.limit ?? 1000],
  });
  return result.rows.map((row) => ({
    message: rowFrom(messages, row),
    attachment:
      row.attachment_mime_type === null
        ? null
        : { fileName: row.attachment_file_name, mimeType: row.attachment_mime_type, size: row.attachment_size },
  }));
}

// ---- The timeline, links and reads ---------------------------------------------------------------

// The timeline entry and its outbox event in one statement: both or neither.
const recordEventStatement = `
WITH timeline AS (
  INSERT INTO conversation_events (conversation_id, type, actor_type, actor_id, data, created_at)
  VALUES ($1, $2, $3, $4, $5, coalesce($6, now())) RETURNING conversation_id, actor_type, actor_id, data, created_at
)
INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at)
SELECT $7, 'conversation', conversation_id::text,
  jsonb_build_object('conversationId', conversation_id, 'actorType', actor_type, 'actorId', actor_id) || data, created_at
FROM timeline`;

/** Appends to the timeline and publishes the same fact to the outbox as `outboxType`. */
export async function insertConversationEvent(
  db: Queryable,
  event: {
    conversationId: string;
    type: string;
    actorType: string;
    actorId: string | null;
    data: Record<string, unknown>;
    at?: Date;
    outboxType: string;
  },
): Promise<void> {
  await db.$client.query({
    name: 'okpay_conversation_event',
    text: recordEventStatement,
    values: [
      event.conversationId,
      event.type,
      event.actorType,
      event.actorId,
      JSON.stringify(event.data),
      event.at ?? null,
      event.outboxType,
    ],
  });
}

export async function listConversationEvents(db: Queryable, conversationId: string): Promise<ConversationEventRow[]> {
  return db
    .select()
    .from(conversationEvents)
    .where(eq(conversationEvents.conversationId, conversationId))
    .orderBy(asc(conversationEvents.id));
}

/** Links a wallet object; false when it was linked already. */
export async function insertConversationLink(
  db: Queryable,
  link: { conversationId: string; objectType: ConversationLinkRow['objectType']; objectId: string },
): Promise<boolean> {
  const inserted = await db
    .insert(conversationLinks)
    .values(link)
    .onConflictDoNothing()
    .returning({ objectId: conversationLinks.objectId });
  return inserted.length > 0;
}

export async function listConversationLinks(db: Queryable, conversationId: string): Promise<ConversationLinkRow[]> {
  return db
    .select()
    .from(conversationLinks)
    .where(eq(conversationLinks.conversationId, conversationId))
    .orderBy(asc(conversationLinks.createdAt));
}

/** Records how far a reader has read, never backwards; answers the position now stored. */
export async function saveReadPosition(
  db: Queryable,
  input: { conversationId: string; readerType: string; readerId: string; seq: number },
): Promise<number> {
  const result = await db.$client.query<{ last_read_seq: string }>({
    name: 'okpay_mark_read',
    text: `INSERT INTO conversation_reads (conversation_id, reader_type, reader_id, last_read_seq, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (conversation_id, reader_type, reader_id)
     DO UPDATE SET last_read_seq = greatest(conversation_reads.last_read_seq, EXCLUDED.last_read_seq), updated_at = now()
     RETURNING last_read_seq`,
    values: [input.conversationId, input.readerType, input.readerId, input.seq],
  });
  return Number(result.rows[0]?.last_read_seq ?? input.seq);
}

/** How far the furthest reader of these kinds has read (0 when none has). */
export async function furthestReadSeq(db: Queryable, conversationId: string, readerTypes: readonly string[]): Promise<number> {
  const [row] = await db
    .select({ seq: max(conversationReads.lastReadSeq) })
    .from(conversationReads)
    .where(and(eq(conversationReads.conversationId, conversationId), inArray(conversationReads.readerType, [...readerTypes])));
  return Number(row?.seq ?? 0);
}

// ---- Transcript addresses ----------------------------------------------------------------------

export async function findTranscriptAddress(db: Queryable, conversationId: string): Promise<TranscriptAddressRow | undefined> {
  const [row] = await db.select().from(transcriptAddresses).where(eq(transcriptAddresses.conversationId, conversationId));
  return row;
}

/** The conversation's one address to verify; false when a concurrent request stored one first. */
export async function insertTranscriptAddress(
  db: Queryable,
  values: Pick<TranscriptAddressRow, 'conversationId' | 'email' | 'codeHash' | 'expiresAt'>,
): Promise<boolean> {
  const inserted = await db
    .insert(transcriptAddresses)
    .values(values)
    .onConflictDoNothing({ target: transcriptAddresses.conversationId })
    .returning({ conversationId: transcriptAddresses.conversationId });
  return inserted.length > 0;
}

/** Counts a wrong code; answers how many wrong codes there have been. */
export async function countTranscriptCodeAttempt(db: Queryable, conversationId: string): Promise<number | undefined> {
  const [row] = await db
    .update(transcriptAddresses)
    .set({ attempts: sql`${transcriptAddresses.attempts} + 1` })
    .where(eq(transcriptAddresses.conversationId, conversationId))
    .returning({ attempts: transcriptAddresses.attempts });
  return row?.attempts;
}

export async function markTranscriptAddressVerified(db: Queryable, conversationId: string, at: Date): Promise<void> {
  await db.update(transcriptAddresses).set({ verifiedAt: at }).where(eq(transcriptAddresses.conversationId, conversationId));
}

// ---- The customer's own view in the app --------------------------------------------------------

export type ConversationSummaryRow = { conversation: ConversationRow; agentName: string | null; hasUnreadReply: boolean };

// A customer's conversations, newest activity first, each with whether our side wrote since they last read.
const selectCustomerSummaries = `
SELECT to_jsonb(c) AS conversation, s.display_name AS agent_name,
  EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.author_type = 'agent' AND NOT m.is_internal
          AND m.seq > coalesce((SELECT r.last_read_seq FROM conversation_reads r
                                WHERE r.conversation_id = c.id AND r.reader_type = 'customer' AND r.reader_id = c.customer_id::text), 0))
    AS has_unread_reply
FROM conversations c LEFT JOIN staff_members s ON s.id = c.assignee_id
WHERE c.customer_id = $1 AND ($2::uuid IS NULL OR c.id = $2)
ORDER BY coalesce(c.last_message_at, c.created_at) DESC, c.id
LIMIT 50`;

/** The customer's conversations (or the one named), with the agent's name and whether an answer is unread. */
export async function listCustomerSummaries(db: Queryable, customerId: string, conversationId?: string): Promise<ConversationSummaryRow[]> {
  const result = await db.$client.query<{ conversation: Record<string, unknown>; agent_name: string | null; has_unread_reply: boolean }>(
    selectCustomerSummaries,
    [customerId, conversationId ?? null],
  );
  return result.rows.map((row) => ({
    conversation: rowFrom(conversations, row.conversation),
    agentName: row.agent_name,
    hasUnreadReply: row.has_unread_reply,
  }));
}
