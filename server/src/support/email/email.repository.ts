import { and, eq, gt, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { type Queryable, rowFrom } from '../../platform/index.js';
import type { ConversationRow, MessageRow } from '../conversations/conversations.repository.js';
import { conversations, messages } from '../support.tables.js';
import { emailAddresses, emailMessages, type emailThreads, inboundEmails } from './email.tables.js';

export type InboundEmail = typeof inboundEmails.$inferSelect;
export type EmailThread = typeof emailThreads.$inferSelect;
export type EmailMessage = typeof emailMessages.$inferSelect;
export type NewEmailMessage = typeof emailMessages.$inferInsert;
export type EmailAddressState = typeof emailAddresses.$inferSelect;

// Hot paths use prepared statements; columns come back under the Drizzle field names, so rows are the tables' inferred types.
const threadColumns = `conversation_id AS "conversationId", reply_token AS "replyToken", customer_address AS "customerAddress",
  thread_guid AS "threadGuid", thread_index AS "threadIndex", created_at AS "createdAt"`;

// ---------------------------------------------------------------------------------------------
// Inbound: raw messages, committed before the sender hears 250
// ---------------------------------------------------------------------------------------------

export type NewInbound = {
  source: 'smtp' | 'webhook';
  envelopeFrom: string | null;
  envelopeTo: string[];
  remoteAddress: string | null;
  raw: Buffer;
  sha256: Buffer;
};

/**
 * Stores a raw message once. The same bytes again (an MTA retrying after a lost 250, reply-all
 * delivering twice) return the first copy's id.
 */
export async function insertInbound(db: Queryable, input: NewInbound): Promise<{ id: string; isDuplicate: boolean }> {
  const inserted = await db.$client.query<{ id: string }>({
    name: 'okpay_email_insert_inbound',
    text: `INSERT INTO inbound_emails (source, envelope_from, envelope_to, remote_address, raw, raw_sha256, size)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (raw_sha256) DO NOTHING RETURNING id`,
    values: [input.source, input.envelopeFrom, input.envelopeTo, input.remoteAddress, input.raw, input.sha256, input.raw.length],
  });
  const id = inserted.rows[0]?.id;
  if (id) return { id, isDuplicate: false };
  const existing = await db.$client.query<{ id: string }>('SELECT id FROM inbound_emails WHERE raw_sha256 = $1', [input.sha256]);
  const found = existing.rows[0]?.id;
  if (!found) throw new Error('inbound message vanished between insert and read');
  return { id: found, isDuplicate: true };
}

/**
 * Stores several raw messages in one statement (one commit for a burst), each already claimed for
 * processing by this node (status `processing`, attempt 1, under a lease), so the processor needs
 * no second statement to take it. The same bytes again, in the batch or stored before, return the
 * first copy's id and no claim.
 */
export async function insertClaimedInbound(
  db: Queryable,
  inputs: NewInbound[],
  leaseSeconds: number,
): Promise<Array<{ id: string; isDuplicate: boolean; claimed: ClaimedInbound | null }>> {
  const firstOf = new Map<string, number>();
  const unique: number[] = [];
  inputs.forEach((input, index) => {
    const key = input.sha256.toString('hex');
    if (!firstOf.has(key)) {
      firstOf.set(key, index);
      unique.push(index);
    }
  });
  const values: unknown[] = [leaseSeconds];
  const rows = unique.map((index) => {
    const input = inputs[index] as NewInbound;
    const at = values.length;
    values.push(input.source, input.envelopeFrom, input.envelopeTo, input.remoteAddress, input.raw, input.sha256, input.raw.length);
    return `($${at + 1}, $${at + 2}, $${at + 3}::text[], $${at + 4}, $${at + 5}::bytea, $${at + 6}::bytea, $${at + 7}::int)`;
  });
  const inserted = await db.$client.query<{ id: string; raw_sha256: Buffer; received_at: Date }>({
    name: `okpay_email_insert_claimed_inbound_${rows.length}`,
    text: `INSERT INTO inbound_emails (source, envelope_from, envelope_to, remote_address, raw, raw_sha256, size, status, attempts, lease_until)
           SELECT source, envelope_from, envelope_to, remote_address, raw, raw_sha256, size, 'processing', 1, now() + make_interval(secs => $1)
           FROM (VALUES ${rows.join(', ')}) AS incoming (source, envelope_from, envelope_to, remote_address, raw, raw_sha256, size)
           ON CONFLICT (raw_sha256) DO NOTHING RETURNING id, raw_sha256, received_at`,
    values,
  });
  const stored = new Map(inserted.rows.map((row) => [row.raw_sha256.toString('hex'), row]));
  const missing = unique.map((index) => inputs[index] as NewInbound).filter((input) => !stored.has(input.sha256.toString('hex')));
  const earlier = new Map<string, string>();
  if (missing.length > 0) {
    const found = await db.$client.query<{ id: string; raw_sha256: Buffer }>(
      'SELECT id, raw_sha256 FROM inbound_emails WHERE raw_sha256 = ANY($1::bytea[])',
      [missing.map((input) => input.sha256)],
    );
    for (const row of found.rows) earlier.set(row.raw_sha256.toString('hex'), row.id);
  }
  return inputs.map((input, index) => {
    const key = input.sha256.toString('hex');
    const row = stored.get(key);
    if (row && firstOf.get(key) === index) {
      return {
        id: row.id,
        isDuplicate: false,
        claimed: {
          id: row.id,
          source: input.source,
          envelopeFrom: input.envelopeFrom,
          envelopeTo: input.envelopeTo,
          raw: input.raw,
          conversationId: null,
          attempts: 1,
          receivedAt: row.received_at,
        },
      };
    }
    const id = row?.id ?? earlier.get(key);
    if (!id) throw new Error('inbound message vanished between insert and read');
    return { id, isDuplicate: true, claimed: null };
  });
}

export type ClaimedInbound = Pick<
  InboundEmail,
  'id' | 'source' | 'envelopeFrom' | 'envelopeTo' | 'raw' | 'conversationId' | 'attempts' | 'receivedAt'
>;

/** Takes a message for processing; nothing when another worker has it or it is done. */
export async function claimInbound(db: Queryable, id: string, leaseSeconds: number): Promise<ClaimedInbound | undefined> {
  const claimed = await db.$client.query<ClaimedInbound>({
    name: 'okpay_email_claim_inbound',
    text: `UPDATE inbound_emails SET status = 'processing', attempts = attempts + 1, lease_until = now() + make_interval(secs => $2)
           WHERE id = $1 AND (status = 'received' OR (status = 'processing' AND lease_until < now()))
           RETURNING id, source, envelope_from AS "envelopeFrom", envelope_to AS "envelopeTo", raw, conversation_id AS "conversationId",
             attempts, received_at AS "receivedAt"`,
    values: [id, leaseSeconds],
  });
  return claimed.rows[0];
}

/** Messages nobody is working on: left by a stopped node, or waiting longer than they should. */
export async function findStaleInbound(db: Queryable, olderThan: Date, limit: number): Promise<string[]> {
  const rows = await db.$client.query<{ id: string }>({
    name: 'okpay_email_stale_inbound',
    text: `SELECT id FROM inbound_emails
           WHERE (status = 'received' AND received_at < $1) OR (status = 'processing' AND lease_until < now())
           ORDER BY received_at LIMIT $2`,
    values: [olderThan, limit],
  });
  return rows.rows.map((row) => row.id);
}

export async function setInboundConversation(db: Queryable, id: string, conversationId: string): Promise<void> {
  await db.$client.query('UPDATE inbound_emails SET conversation_id = $2 WHERE id = $1', [id, conversationId]);
}

export type InboundOutcome = {
  status: 'processed' | 'ignored' | 'failed';
  outcome: string;
  conversationId?: string | null;
  flags?: string[];
  error?: string | null;
};

export async function finishInbound(db: Queryable, id: string, result: InboundOutcome, at: Date): Promise<void> {
  await db.$client.query({
    name: 'okpay_email_finish_inbound',
    text: `UPDATE inbound_emails SET status = $2, outcome = $3, conversation_id = coalesce($4, conversation_id), flags = $5,
             error = $6, processed_at = $7, lease_until = NULL WHERE id = $1`,
    values: [id, result.status, result.outcome, result.conversationId ?? null, result.flags ?? [], result.error ?? null, at],
  });
}

/** Gives a message back after a failure that may pass (the database restarting): it is tried again. */
export async function releaseInbound(db: Queryable, id: string, error: string): Promise<void> {
  await db.$client.query(
    "UPDATE inbound_emails SET status = 'received', lease_until = NULL, error = $2 WHERE id = $1 AND status = 'processing'",
    [id, error.slice(0, 2000)],
  );
}

/** Puts stored messages back in line to be parsed again. */
export async function requeueInbound(db: Queryable, filter: { ids?: string[]; since?: Date; statuses?: string[] }): Promise<string[]> {
  const conditions = [isNotNull(inboundEmails.raw)];
  if (filter.ids?.length) conditions.push(inArray(inboundEmails.id, filter.ids));
  if (filter.since) conditions.push(gt(inboundEmails.receivedAt, filter.since));
  if (filter.statuses?.length) conditions.push(inArray(inboundEmails.status, filter.statuses));
  const rows = await db
    .update(inboundEmails)
    .set({ status: 'received', leaseUntil: null, error: null })
    .where(and(...conditions))
    .returning({ id: inboundEmails.id });
  return rows.map((row) => row.id);
}

/** Raw messages past their retention: the bytes go, the record of what happened stays a while longer. */
export async function pruneInbound(db: Queryable, retentionDays: number): Promise<number> {
  const stripped = await db.$client.query(
    `UPDATE inbound_emails SET raw = NULL WHERE raw IS NOT NULL AND status IN ('processed', 'ignored')
     AND received_at < now() - make_interval(days => $1)`,
    [retentionDays],
  );
  const removed = await db.$client.query(
    `DELETE FROM inbound_emails i WHERE received_at < now() - make_interval(days => $1 * 4) AND status IN ('processed', 'ignored')
     AND NOT EXISTS (SELECT 1 FROM email_messages m WHERE m.inbound_email_id = i.id)`,
    [retentionDays],
  );
  return (stripped.rowCount ?? 0) + (removed.rowCount ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Threads: what ties an email conversation to mail
// ---------------------------------------------------------------------------------------------

export async function insertThread(db: Queryable, thread: typeof emailThreads.$inferInsert): Promise<void> {
  await db.$client.query({
    name: 'okpay_email_insert_thread',
    text: `INSERT INTO email_threads (conversation_id, reply_token, customer_address, thread_guid, thread_index)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    values: [thread.conversationId, thread.replyToken, thread.customerAddress, thread.threadGuid ?? null, thread.threadIndex ?? null],
  });
}

/** The thread by one of its keys (each a prepared statement of its own). */
async function findThreadBy(db: Queryable, name: string, where: string, value: string): Promise<EmailThread | undefined> {
  const found = await db.$client.query<EmailThread>({
    name,
    text: `SELECT ${threadColumns} FROM email_threads WHERE ${where}`,
    values: [value],
  });
  return found.rows[0];
}

export function findThread(db: Queryable, conversationId: string): Promise<EmailThread | undefined> {
  return findThreadBy(db, 'okpay_email_thread', 'conversation_id = $1', conversationId);
}

export function findThreadByToken(db: Queryable, token: string): Promise<EmailThread | undefined> {
  return findThreadBy(db, 'okpay_email_thread_by_token', 'reply_token = $1', token);
}

export function findThreadByGuid(db: Queryable, guid: string): Promise<EmailThread | undefined> {
  return findThreadBy(db, 'okpay_email_thread_by_guid', 'thread_guid = $1 ORDER BY created_at DESC LIMIT 1', guid);
}

export async function updateThreadIndex(db: Queryable, conversationId: string, threadIndex: string, guid: string | null): Promise<void> {
  await db.$client.query({
    name: 'okpay_email_update_thread_index',
    text: 'UPDATE email_threads SET thread_index = $2, thread_guid = coalesce(thread_guid, $3) WHERE conversation_id = $1',
    values: [conversationId, threadIndex, guid],
  });
}

/** The conversation one of these Message-IDs belongs to, trying them in the order given. */
export async function findConversationByMessageIds(db: Queryable, ids: string[]): Promise<string | undefined> {
  if (ids.length === 0) return undefined;
  const found = await db.$client.query<{ conversation_id: string }>({
    name: 'okpay_email_conversation_by_message_ids',
    text: `SELECT m.conversation_id FROM unnest($1::text[]) WITH ORDINALITY AS wanted(id, position)
           JOIN email_messages m ON m.internet_message_id = wanted.id ORDER BY wanted.position LIMIT 1`,
    values: [ids],
  });
  return found.rows[0]?.conversation_id;
}

export async function findConversationIdByReference(db: Queryable, reference: string): Promise<string | undefined> {
  const found = await db.$client.query<{ id: string }>({
    name: 'okpay_email_conversation_by_reference',
    text: 'SELECT id FROM conversations WHERE reference = $1',
    values: [reference],
  });
  return found.rows[0]?.id;
}

/**
 * Everyone who may write into a conversation by mail: the address it is kept with, the linked
 * customer's email, whoever has written into it before and whoever the customer copied in (their
 * reply-all must not open a new ticket, as it does in FreeScout).
 */
export async function conversationWriters(db: Queryable, conversationId: string): Promise<Set<string>> {
  const result = await db.$client.query<{ address: string | null }>(
    `SELECT lower(customer_address) AS address FROM email_threads WHERE conversation_id = $1
     UNION SELECT lower(contact_email) FROM conversations WHERE id = $1
     UNION SELECT lower(cu.email) FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1
     UNION SELECT lower(from_address) FROM email_messages WHERE conversation_id = $1 AND direction = 'inbound'
     UNION SELECT lower(unnest(cc)) FROM email_messages WHERE conversation_id = $1`,
    [conversationId],
  );
  return new Set(result.rows.map((row) => row.address).filter((address): address is string => Boolean(address)));
}

// ---------------------------------------------------------------------------------------------
// Messages: the mail side of conversation messages
// ---------------------------------------------------------------------------------------------

/** A mail's own columns, internet_message_id through flags, in the order both inserts list them. */
function mailValues(message: NewEmailMessage): unknown[] {
  return [
    message.internetMessageId,
    message.inReplyTo ?? null,
    message.references ?? [],
    message.fromAddress,
    message.recipient,
    message.cc ?? [],
    message.subject,
    message.quoted ?? null,
    message.quotedRedactions ? JSON.stringify(message.quotedRedactions) : null,
    JSON.stringify(message.attachments ?? []),
    message.flags ?? [],
  ];
}

export async function insertEmailMessage(db: Queryable, message: NewEmailMessage): Promise<string> {
  const inserted = await db.$client.query<{ id: string }>({
    name: 'okpay_email_insert_message',
    text: `INSERT INTO email_messages (conversation_id, message_id, direction, kind, internet_message_id, in_reply_to, "references",
             from_address, recipient, cc, subject, quoted, quoted_redactions, attachments, flags, inbound_email_id, bounce_token,
             thread_index, status, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, coalesce($20, now())) RETURNING id`,
    values: [
      message.conversationId,
      message.messageId ?? null,
      message.direction,
      message.kind,
      ...mailValues(message),
      message.inboundEmailId ?? null,
      message.bounceToken ?? null,
      message.threadIndex ?? null,
      message.status,
      message.createdAt ?? null,
    ],
  });
  const id = inserted.rows[0]?.id;
  if (!id) throw new Error('email message insert returned nothing');
  return id;
}

export async function findEmailMessage(db: Queryable, id: string): Promise<EmailMessage | undefined> {
  const [row] = await db.select().from(emailMessages).where(eq(emailMessages.id, id));
  return row;
}

export async function findEmailMessageForMessage(db: Queryable, messageId: string): Promise<EmailMessage | undefined> {
  const [row] = await db.select().from(emailMessages).where(eq(emailMessages.messageId, messageId));
  return row;
}

export async function findEmailMessageByBounceToken(db: Queryable, token: string): Promise<EmailMessage | undefined> {
  const [row] = await db.select().from(emailMessages).where(eq(emailMessages.bounceToken, token));
  return row;
}

export async function findOutboundByInternetId(db: Queryable, internetMessageId: string): Promise<EmailMessage | undefined> {
  const [row] = await db
    .select()
    .from(emailMessages)
    .where(and(eq(emailMessages.internetMessageId, internetMessageId), eq(emailMessages.direction, 'outbound')));
  return row;
}

/** The conversation a mail with this Message-ID from this sender already went into: a second delivery of it. */
export async function findInboundByMessageId(db: Queryable, internetMessageId: string, sender: string): Promise<string | undefined> {
  const found = await db.$client.query<{ conversation_id: string }>({
    name: 'okpay_email_inbound_by_message_id',
    text: `SELECT conversation_id FROM email_messages WHERE internet_message_id = $1 AND direction = 'inbound' AND from_address = $2 LIMIT 1`,
    values: [internetMessageId, sender],
  });
  return found.rows[0]?.conversation_id;
}

export async function listEmailMessages(db: Queryable, conversationId: string): Promise<EmailMessage[]> {
  return db.select().from(emailMessages).where(eq(emailMessages.conversationId, conversationId)).orderBy(emailMessages.createdAt);
}

/** The thread so far, newest last, for In-Reply-To and References of the next reply. */
export async function threadHistory(
  db: Queryable,
  conversationId: string,
): Promise<Array<Pick<EmailMessage, 'internetMessageId' | 'references' | 'direction' | 'subject' | 'cc'>>> {
  const found = await db.$client.query<Pick<EmailMessage, 'internetMessageId' | 'references' | 'direction' | 'subject' | 'cc'>>({
    name: 'okpay_email_thread_history',
    text: `SELECT internet_message_id AS "internetMessageId", "references", direction, subject, cc FROM email_messages
           WHERE conversation_id = $1 AND status <> 'failed' ORDER BY created_at, id`,
    values: [conversationId],
  });
  return found.rows;
}

export async function countRecentAcknowledgements(db: Queryable, recipient: string, since: Date): Promise<number> {
  const found = await db.$client.query<{ count: number }>({
    name: 'okpay_email_count_acknowledgements',
    text: "SELECT count(*)::int AS count FROM email_messages WHERE kind = 'acknowledgement' AND recipient = $1 AND created_at > $2",
    values: [recipient, since],
  });
  return found.rows[0]?.count ?? 0;
}

/** Claims queued outgoing messages for one delivery attempt each, with their conversations and reply tokens. */
export async function startDeliveryAttempts(
  db: Queryable,
  ids: string[],
): Promise<Array<{ row: EmailMessage; conversation: ConversationRow | null; replyToken: string | null }>> {
  const found = await db.$client.query<Record<string, unknown>>({
    name: 'okpay_email_start_deliveries',
    text: `WITH claimed AS (
             UPDATE email_messages SET attempts = attempts + 1 WHERE id = ANY($1::uuid[]) AND status = 'queued' RETURNING *
           )
           SELECT to_jsonb(claimed) AS message, to_jsonb(c) AS conversation, t.reply_token
           FROM claimed LEFT JOIN conversations c ON c.id = claimed.conversation_id LEFT JOIN email_threads t ON t.conversation_id = c.id`,
    values: [ids],
  });
  return found.rows.map((record) => ({
    row: rowFrom(emailMessages, record.message as Record<string, unknown>),
    conversation: record.conversation ? rowFrom(conversations, record.conversation as Record<string, unknown>) : null,
    replyToken: (record.reply_token as string | null) ?? null,
  }));
}

/**
 * Marks delivered mail sent and announces each in the outbox, in one statement; returns the
 * conversations as they are now, for the console.
 */
export async function markEmailsSent(db: Queryable, ids: string[], at: Date): Promise<ConversationRow[]> {
  const found = await db.$client.query<Record<string, unknown>>({
    name: 'okpay_email_mark_many_sent',
    text: `WITH sent AS (
             UPDATE email_messages SET status = 'sent', sent_at = $2, last_error = NULL WHERE id = ANY($1::uuid[])
             RETURNING id, conversation_id, kind, recipient
           ), announced AS (
             INSERT INTO domain_events (type, subject_type, subject_id, payload)
             SELECT 'support.email.sent', 'conversation', conversation_id::text,
               jsonb_build_object('emailMessageId', id, 'kind', kind, 'recipient', recipient)
             FROM sent ORDER BY id
           )
           SELECT c.* FROM conversations c WHERE c.id IN (SELECT conversation_id FROM sent)`,
    values: [ids, at],
  });
  return found.rows.map((row) => rowFrom(conversations, row));
}

export async function markEmailAttemptFailed(db: Queryable, id: string, error: string, isFinal: boolean): Promise<void> {
  await db.$client.query({
    name: 'okpay_email_mark_attempt_failed',
    text: "UPDATE email_messages SET last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END WHERE id = $1",
    values: [id, error.slice(0, 1000), isFinal],
  });
}

export async function requeueEmailMessage(db: Queryable, id: string): Promise<EmailMessage | undefined> {
  const [row] = await db
    .update(emailMessages)
    .set({ status: 'queued', attempts: 0, lastError: null })
    .where(and(eq(emailMessages.id, id), inArray(emailMessages.status, ['failed', 'bounced'])))
    .returning();
  return row;
}

export async function markEmailBounced(db: Queryable, id: string, diagnostic: string): Promise<void> {
  await db
    .update(emailMessages)
    .set({ status: 'bounced', lastError: diagnostic.slice(0, 1000) })
    .where(eq(emailMessages.id, id));
}

/** Outgoing mail left queued by a node that stopped before its job was sent. */
export async function findStrandedOutbound(db: Queryable, olderThan: Date): Promise<string[]> {
  const rows = await db
    .select({ id: emailMessages.id })
    .from(emailMessages)
    .where(and(eq(emailMessages.status, 'queued'), eq(emailMessages.attempts, 0), lt(emailMessages.createdAt, olderThan)))
    .limit(500);
  return rows.map((row) => row.id);
}

// ---------------------------------------------------------------------------------------------
// Addresses: deliverability learnt from bounces
// ---------------------------------------------------------------------------------------------

export async function markUndeliverable(
  db: Queryable,
  address: string,
  status: string,
  diagnostic: string | null,
  at: Date,
): Promise<void> {
  await db
    .insert(emailAddresses)
    .values({ address, undeliverableSince: at, bounceStatus: status, bounceDiagnostic: diagnostic, updatedAt: at })
    .onConflictDoUpdate({
      target: emailAddresses.address,
      set: {
        undeliverableSince: sql`coalesce(${emailAddresses.undeliverableSince}, ${at})`,
        bounceStatus: status,
        bounceDiagnostic: diagnostic,
        updatedAt: at,
      },
    });
}

/** Mail from the address proves it works again. */
export async function clearUndeliverable(db: Queryable, address: string, at: Date): Promise<void> {
  await db.$client.query({
    name: 'okpay_email_clear_undeliverable',
    text: 'UPDATE email_addresses SET undeliverable_since = NULL, updated_at = $2 WHERE address = $1 AND undeliverable_since IS NOT NULL',
    values: [address, at],
  });
}

export async function findAddressState(db: Queryable, address: string): Promise<EmailAddressState | undefined> {
  const [row] = await db.select().from(emailAddresses).where(eq(emailAddresses.address, address));
  return row;
}

export type NewEmailConversation = {
  customerId: string | null;
  isVerified: boolean;
  visitorId: string | null;
  category: string;
  subject: string;
  locale: 'zh-CN' | 'en';
  contactName: string | null;
  contactEmail: string | null;
  reference: string;
  /** Into the queue for routing, or straight to the agent who started it. */
  assigneeId: string | null;
  /** Left in the widget while nobody was online. */
  isOfflineMessage?: boolean;
  at: Date;
};

/** Inserts an email conversation; undefined when the reference is taken (the caller draws another). */
export async function insertEmailConversation(db: Queryable, input: NewEmailConversation): Promise<ConversationRow | undefined> {
  const inserted = await db.$client.query(
    `INSERT INTO conversations (customer_id, is_verified, visitor_id, channel, status, category, subject, locale, contact_name, contact_email,
       reference, assignee_id, waiting_since, created_at, updated_at, is_offline_message)
     VALUES ($1, $2, $3, 'email', 'open', $4, $5, $6, $7, $8, $9, $10, CASE WHEN $10::uuid IS NULL THEN $11::timestamptz END, $11, $11, $12)
     ON CONFLICT (reference) WHERE reference IS NOT NULL DO NOTHING RETURNING *`,
    [
      input.customerId,
      input.isVerified,
      input.visitorId,
      input.category,
      input.subject,
      input.locale,
      input.contactName,
      input.contactEmail,
      input.reference,
      input.assigneeId,
      input.at,
      input.isOfflineMessage ?? false,
    ],
  );
  const row = inserted.rows[0];
  return row ? rowFrom(conversations, row) : undefined;
}

/** Inserts with a freshly drawn reference, drawing again (up to 5 times) while the one drawn is taken. */
export async function insertEmailConversationWithReference(
  db: Queryable,
  input: Omit<NewEmailConversation, 'reference'>,
  draw: () => string,
): Promise<ConversationRow> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await insertEmailConversation(db, { ...input, reference: draw() });
    if (row) return row;
  }
  throw new Error('no free conversation reference after 5 draws');
}

/**
 * The end of processing an incoming mail, in one statement: its mail row, the sender's address
 * known to work again, and the stored mail marked done. (The reply's due time is the SLA clocks'.)
 */
export async function recordInboundMessage(db: Queryable, input: { message: NewEmailMessage; outcome: string; at: Date }): Promise<void> {
  const message = input.message;
  await db.$client.query({
    name: 'okpay_email_record_inbound',
    text: `WITH stored AS (
             INSERT INTO email_messages (conversation_id, message_id, direction, kind, internet_message_id, in_reply_to, "references",
               from_address, recipient, cc, subject, quoted, quoted_redactions, attachments, flags, inbound_email_id, status, created_at)
             VALUES ($1, $2, 'inbound', 'message', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'received', $15)
             RETURNING id
           ), works AS (
             UPDATE email_addresses SET undeliverable_since = NULL, updated_at = $15 WHERE address = $6 AND undeliverable_since IS NOT NULL
           )
           UPDATE inbound_emails SET status = 'processed', outcome = $16, conversation_id = $1, flags = $13, error = NULL,
             processed_at = $15, lease_until = NULL
           WHERE id = $14 AND EXISTS (SELECT 1 FROM stored)`,
    values: [
      message.conversationId,
      message.messageId ?? null,
      ...mailValues(message),
      message.inboundEmailId ?? null,
      input.at,
      input.outcome,
    ],
  });
}

/**
 * Everything the database needs to turn one plain incoming mail into a new conversation (see
 * okpay_email_new_conversation): the conversation as insertEmailConversation takes it (queued,
 * never an offline message), its thread, first message and acknowledgement.
 */
export type NewConversationFromMail = Omit<NewEmailConversation, 'assigneeId' | 'isOfflineMessage'> & {
  inboundEmailId: string;
  conversationId: string;
  /** The mail's own Message-ID when it has one and a sender: the same mail again is recorded as a duplicate. */
  duplicateMessageId: string | null;
  sender: string | null;
  replyToken: string;
  customerAddress: string;
  threadGuid: string | null;
  threadIndex: string | null;
  createdData: Record<string, unknown>;
  authorType: 'customer' | 'visitor';
  authorId: string;
  authorName: string | null;
  body: string;
  redactions: Record<string, number> | null;
  clientMessageId: string;
  internetMessageId: string;
  inReplyTo: string | null;
  references: string[];
  recipient: string;
  cc: string[];
  mailSubject: string;
  quoted: string | null;
  quotedRedactions: Record<string, number> | null;
  flags: string[];
  /** The automatic acknowledgement, sent when the sender has had fewer than `limit` since `since`. */
  acknowledgement: {
    limit: number;
    since: Date;
    recipient: string;
    internetMessageId: string;
    inReplyTo: string | null;
    references: string[];
    fromAddress: string;
    subject: string;
    bounceToken: string;
    threadIndex: string;
    threadGuid: string | null;
  } | null;
};

export type NewConversationFromMailResult =
  | { kind: 'created'; conversation: ConversationRow; message: MessageRow; acknowledgementId: string | null }
  | { kind: 'duplicate'; conversationId: string | null }
  | { kind: 'reference_taken' }
  | { kind: 'already_done' };

/** The whole write of a new conversation from a plain mail, in one call and one commit. */
export async function insertConversationFromMail(db: Queryable, input: NewConversationFromMail): Promise<NewConversationFromMailResult> {
  const result = await db.$client.query<{ result: Record<string, unknown> }>({
    name: 'okpay_email_new_conversation',
    text: 'SELECT okpay_email_new_conversation($1::jsonb) AS result',
    values: [JSON.stringify(input)],
  });
  const row = result.rows[0]?.result;
  if (!row) throw new Error('okpay_email_new_conversation returned nothing');
  if (row.alreadyDone) return { kind: 'already_done' };
  if (row.referenceTaken) return { kind: 'reference_taken' };
  if ('duplicateOf' in row) return { kind: 'duplicate', conversationId: (row.duplicateOf as string | null) ?? null };
  return {
    kind: 'created',
    conversation: rowFrom(conversations, row.conversation as Record<string, unknown>),
    message: rowFrom(messages, row.message as Record<string, unknown>),
    acknowledgementId: (row.acknowledgementId as string | null) ?? null,
  };
}
