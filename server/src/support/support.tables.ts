import type {
  ConversationCategory,
  ConversationChannel,
  ConversationPriority,
  ConversationStatus,
  Locale,
  PresenceStatus,
} from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers, staffMembers } from '../identity/identity.tables.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * One model for every channel. A conversation belongs to a signed-in customer or an anonymous
 * visitor; `is_verified` records whether the identity came from a signed token.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id').references(() => customers.id),
    visitorId: uuid('visitor_id'),
    isVerified: boolean('is_verified').notNull().default(false),
    channel: text('channel').$type<ConversationChannel>().notNull().default('chat'),
    status: text('status').$type<ConversationStatus>().notNull().default('open'),
    priority: text('priority').$type<ConversationPriority>().notNull().default('normal'),
    category: text('category').$type<ConversationCategory>().notNull().default('other'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject'),
    contactName: text('contact_name'),
    contactEmail: text('contact_email'),
    locale: text('locale').$type<Locale>().notNull().default('zh-CN'),
    assigneeId: uuid('assignee_id').references(() => staffMembers.id),
    /** Left for an agent while nobody was online; answered later, replies also go by email. */
    isOfflineMessage: boolean('is_offline_message').notNull().default(false),
    lastMessageSeq: bigint('last_message_seq', { mode: 'number' }).notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    lastCustomerMessageAt: timestamp('last_customer_message_at', { withTimezone: true }),
    lastAgentMessageAt: timestamp('last_agent_message_at', { withTimezone: true }),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    /** When the conversation entered the queue; null once assigned. */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    /** The agent who last handed it back to the queue, and when: routing passes them over for a while. */
    returnedBy: uuid('returned_by').references(() => staffMembers.id),
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** Short ticket reference customers quote (`K7Q2M9`); given to email conversations. */
    reference: text('reference'),
    /** When our next reply is due (the running first- or next-reply SLA clock, see sla/); null while nothing is owed. */
    responseDueAt: timestamp('response_due_at', { withTimezone: true }),
    /** When the next SLA target of any kind falls due (the earliest running clock); the inbox sorts by it. */
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }),
    /** How urgent its SLA clocks make it: 0 in time, 1 past the warning share, 2 breached. Raises it in the queue. */
    slaRisk: integer('sla_risk').notNull().default(0),
  },
  // No index on the SLA columns: no query looks conversations up by them, and the SLA subscriber
  // updates them with every reply, which stays a HOT update (no new index entries) only while no
  // index names them.
  (table) => [
    uniqueIndex('conversations_reference_key').on(table.reference).where(sql`${table.reference} is not null`),
    index('conversations_customer_idx').on(table.customerId, table.createdAt),
    index('conversations_visitor_idx').on(table.visitorId, table.createdAt),
    index('conversations_assignee_idx').on(table.assigneeId, table.status),
    index('conversations_queue_idx').on(table.waitingSince).where(sql`${table.waitingSince} is not null`),
    index('conversations_updated_idx').on(table.updatedAt),
    check(
      'conversations_owner',
      sql`${table.customerId} is not null or ${table.visitorId} is not null or ${table.contactEmail} is not null`,
    ),
    check('conversations_status_check', sql`${table.status} in ('open', 'pending', 'resolved', 'closed')`),
    check('conversations_channel_check', sql`${table.channel} in ('chat', 'email', 'phone')`),
    check('conversations_priority_check', sql`${table.priority} in ('low', 'normal', 'high', 'urgent')`),
    check(
      'conversations_category_check',
      sql`${table.category} in ('account', 'top_up', 'transactions', 'freeze', 'card_binding', 'exchange', 'other')`,
    ),
  ],
);

/**
 * Messages carry a per-conversation sequence number assigned when they commit; clients resume
 * by asking for everything after the last number they saw. Internal notes are messages agents
 * alone can read.
 */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // No foreign key: it would probe the conversation once per message stored. Every insert
    // (insertMessages, insertReopeningMessage) takes its rows from its own update of the
    // conversation row, which proves the conversation exists and holds it until commit, and
    // conversations are never deleted (their timeline's rows reference them).
    conversationId: uuid('conversation_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    authorType: text('author_type').$type<'customer' | 'visitor' | 'agent' | 'system'>().notNull(),
    authorId: text('author_id'),
    authorName: text('author_name'),
    body: text('body').notNull(),
    isInternal: boolean('is_internal').notNull().default(false),
    /** What masking removed before storage (counts by kind); shown to agents, never the values. */
    redactions: jsonb('redactions').$type<Record<string, number>>(),
    attachmentId: uuid('attachment_id'),
    /** The sender's own id for the message, so a retried send is stored once. */
    clientMessageId: text('client_message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('messages_conversation_seq_key').on(table.conversationId, table.seq),
    uniqueIndex('messages_client_id_key').on(table.conversationId, table.clientMessageId).where(sql`${table.clientMessageId} is not null`),
    check('messages_author_check', sql`${table.authorType} in ('customer', 'visitor', 'agent', 'system')`),
  ],
);

/** The timeline: every state change, from which response times and SLAs are computed. */
export const conversationEvents = pgTable(
  'conversation_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    type: text('type').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('conversation_events_conversation_idx').on(table.conversationId, table.id)],
);

/** Wallet objects a conversation is about (a transaction, top-up or card). */
export const conversationLinks = pgTable(
  'conversation_links',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    objectType: text('object_type').$type<'transaction' | 'top_up' | 'card'>().notNull(),
    objectId: uuid('object_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.objectType, table.objectId] }),
    check('conversation_links_type_check', sql`${table.objectType} in ('transaction', 'top_up', 'card')`),
  ],
);

/** How far each participant has read; unread counts are last_message_seq minus this. */
export const conversationReads = pgTable(
  'conversation_reads',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    readerType: text('reader_type').notNull(),
    readerId: text('reader_id').notNull(),
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.conversationId, table.readerType, table.readerId] })],
);

export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  conversationId: uuid('conversation_id')
    .notNull()
    .references(() => conversations.id),
  uploaderType: text('uploader_type').notNull(),
  uploaderId: text('uploader_id'),
  fileName: text('file_name').notNull(),
  mimeType: text('mime_type').notNull(),
  size: integer('size').notNull(),
  data: bytea('data').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Agent availability for routing. Load is counted from conversations, capacity from staff_members. */
export const agentPresence = pgTable(
  'agent_presence',
  {
    staffId: uuid('staff_id')
      .primaryKey()
      .references(() => staffMembers.id),
    status: text('status').$type<PresenceStatus>().notNull().default('offline'),
    lastActiveAt: timestamp('last_active_at', { withTimezone: true }).notNull().defaultNow(),
    /** 'manual' when the agent chose the status; 'inactivity' when the away timer set it. */
    statusSource: text('status_source').$type<'manual' | 'inactivity' | 'disconnect'>().notNull().default('manual'),
    /** Ties in load go to whoever waited longest for a chat. */
    lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('agent_presence_status_check', sql`${table.status} in ('online', 'away', 'offline')`)],
);

/** Socket.IO's Postgres adapter keeps large packets here (its own layout). */
export const socketIoAttachments = pgTable('socket_io_attachments', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  createdAt: timestamp('created_at', { withTimezone: true }).defaultNow(),
  payload: bytea('payload'),
});

export const cannedResponses = pgTable('canned_responses', {
  id: uuid('id').primaryKey().defaultRandom(),
  shortcut: text('shortcut').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  locale: text('locale').notNull().default('zh-CN'),
  category: text('category'),
  createdBy: uuid('created_by').references(() => staffMembers.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The address a visitor asked to receive a chat's transcript at, proven by a code mailed there.
 * One row per conversation, so a conversation sends at most one verification mail.
 */
export const transcriptAddresses = pgTable('transcript_addresses', {
  conversationId: uuid('conversation_id')
    .primaryKey()
    .references(() => conversations.id),
  email: text('email').notNull(),
  codeHash: text('code_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
