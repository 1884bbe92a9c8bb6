import { sql } from 'drizzle-orm';
import { check, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { conversations, messages } from '../support.tables.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

export type StoredAttachment = {
  /** The stored attachment; absent when it was refused. */
  id?: string;
  fileName: string;
  contentType: string;
  size: number;
  /** Why it was not kept: too large or a type we do not accept. */
  refused?: 'too_large' | 'type_not_allowed' | 'too_many';
};

/**
 * Every message that reached us, raw, committed before the sender hears 250. Processing reads
 * it from here (so a crash loses nothing and parsing can be replayed); the raw bytes are kept for
 * a bounded time.
 */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    source: text('source').notNull(),
    /** MAIL FROM; '' for the null sender of bounces, null when the source did not say. */
    envelopeFrom: text('envelope_from'),
    envelopeTo: text('envelope_to').array().notNull(),
    remoteAddress: text('remote_address'),
    raw: bytea('raw'),
    rawSha256: bytea('raw_sha256').notNull(),
    size: integer('size').notNull(),
    status: text('status').notNull().default('received'),
    outcome: text('outcome'),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    flags: text('flags').array().notNull().default(sql`'{}'::text[]`),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('inbound_emails_raw_sha256_key').on(table.rawSha256),
    index('inbound_emails_pending_idx').on(table.receivedAt).where(sql`${table.status} in ('received', 'processing')`),
    index('inbound_emails_received_idx').on(table.receivedAt),
    check('inbound_emails_status_check', sql`${table.status} in ('received', 'processing', 'processed', 'ignored', 'failed')`),
    check('inbound_emails_source_check', sql`${table.source} in ('smtp', 'webhook')`),
  ],
);

/** What ties an email conversation to mail: the reply-to token, the customer's address, Outlook's thread GUID. */
export const emailThreads = pgTable(
  'email_threads',
  {
    conversationId: uuid('conversation_id')
      .primaryKey()
      .references(() => conversations.id),
    /** Opaque, 128-bit: `support+<token>@…` in our Reply-To. Never the ticket reference. */
    replyToken: text('reply_token').notNull(),
    customerAddress: text('customer_address').notNull(),
    threadGuid: text('thread_guid'),
    /** The latest Thread-Index seen or sent, to which our replies append a block. */
    threadIndex: text('thread_index'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('email_threads_reply_token_key').on(table.replyToken),
    index('email_threads_thread_guid_idx').on(table.threadGuid).where(sql`${table.threadGuid} is not null`),
    index('email_threads_customer_address_idx').on(table.customerAddress),
  ],
);

/**
 * The mail side of messages, both ways: Message-IDs for threading, the quoted history folded
 * away from the body, attachments, and for outgoing mail its delivery state.
 */
export const emailMessages = pgTable(
  'email_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    messageId: uuid('message_id').references(() => messages.id),
    direction: text('direction').notNull(),
    kind: text('kind').notNull(),
    internetMessageId: text('internet_message_id').notNull(),
    inReplyTo: text('in_reply_to'),
    references: text('references').array().notNull().default(sql`'{}'::text[]`),
    fromAddress: text('from_address').notNull(),
    /** Outgoing: who it is sent to. Incoming: our address it came to. */
    recipient: text('recipient').notNull(),
    cc: text('cc').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject').notNull(),
    /** Quoted history and signature, masked like the body. */
    quoted: text('quoted'),
    quotedRedactions: jsonb('quoted_redactions').$type<Record<string, number>>(),
    attachments: jsonb('attachments').$type<StoredAttachment[]>().notNull().default([]),
    flags: text('flags').array().notNull().default(sql`'{}'::text[]`),
    inboundEmailId: uuid('inbound_email_id').references(() => inboundEmails.id, { onDelete: 'set null' }),
    /** Outgoing: VERP token in the envelope sender, so a bounce finds this message. */
    bounceToken: text('bounce_token'),
    /** Outgoing: the Thread-Index sent, fixed when queued so every retry carries the same. */
    threadIndex: text('thread_index'),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('email_messages_internet_id_idx').on(table.internetMessageId),
    index('email_messages_conversation_idx').on(table.conversationId, table.createdAt),
    index('email_messages_message_idx').on(table.messageId).where(sql`${table.messageId} is not null`),
    uniqueIndex('email_messages_bounce_token_key').on(table.bounceToken).where(sql`${table.bounceToken} is not null`),
    index('email_messages_acknowledgements_idx').on(table.recipient, table.createdAt).where(sql`${table.kind} = 'acknowledgement'`),
    check('email_messages_direction_check', sql`${table.direction} in ('inbound', 'outbound')`),
    check('email_messages_kind_check', sql`${table.kind} in ('message', 'reply', 'acknowledgement')`),
    check('email_messages_status_check', sql`${table.status} in ('received', 'queued', 'sent', 'failed', 'bounced')`),
  ],
);

/** Addresses a hard bounce proved undeliverable; cleared when mail from the address arrives again. */
export const emailAddresses = pgTable('email_addresses', {
  address: text('address').primaryKey(),
  undeliverableSince: timestamp('undeliverable_since', { withTimezone: true }),
  bounceStatus: text('bounce_status'),
  bounceDiagnostic: text('bounce_diagnostic'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
