import type { RatingReason } from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers, staffMembers } from '../../identity/index.js';
import { conversations } from '../support.tables.js';

/**
 * One survey per conversation, whatever happens to it later (ask once): shown in the widget, or
 * mailed after a delay with a link token (stored as its SHA-256 only), or skipped with a reason.
 */
export const ratingSurveys = pgTable(
  'rating_surveys',
  {
    conversationId: uuid('conversation_id')
      .primaryKey()
      .references(() => conversations.id),
    /** `widget`: asked in the chat; `email`: a mail with rating links. */
    channel: text('channel').$type<'widget' | 'email'>().notNull(),
    status: text('status').$type<'scheduled' | 'sent' | 'answered' | 'skipped'>().notNull(),
    skipReason: text('skip_reason').$type<'opted_out' | 'recently_asked' | 'no_address' | 'undeliverable'>(),
    customerId: uuid('customer_id').references(() => customers.id),
    visitorId: uuid('visitor_id'),
    recipientEmail: text('recipient_email'),
    locale: text('locale').$type<'zh-CN' | 'en'>().notNull(),
    /** The agent the conversation was resolved by: the rating is theirs in reports. */
    agentId: uuid('agent_id').references(() => staffMembers.id),
    tokenHash: text('token_hash'),
    sendAt: timestamp('send_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex('rating_surveys_token_key').on(table.tokenHash).where(sql`${table.tokenHash} is not null`),
    // The throttle looks up the last survey each customer, address or visitor was sent.
    index('rating_surveys_customer_idx').on(table.customerId, table.sentAt).where(sql`${table.customerId} is not null`),
    index('rating_surveys_email_idx').on(table.recipientEmail, table.sentAt).where(sql`${table.recipientEmail} is not null`),
    index('rating_surveys_visitor_idx').on(table.visitorId, table.sentAt).where(sql`${table.visitorId} is not null`),
    check('rating_surveys_channel_check', sql`${table.channel} in ('widget', 'email')`),
    check('rating_surveys_status_check', sql`${table.status} in ('scheduled', 'sent', 'answered', 'skipped')`),
  ],
);

/** The customer's answer: one per conversation, changeable until `changeableUntil`. */
export const conversationRatings = pgTable(
  'conversation_ratings',
  {
    conversationId: uuid('conversation_id')
      .primaryKey()
      .references(() => conversations.id),
    score: smallint('score').notNull(),
    reasons: text('reasons').array().$type<RatingReason[]>().notNull().default(sql`'{}'::text[]`),
    comment: text('comment'),
    source: text('source').$type<'widget' | 'email'>().notNull(),
    agentId: uuid('agent_id').references(() => staffMembers.id),
    /** A low score waits for a supervisor to follow it up. */
    needsReview: boolean('needs_review').notNull().default(false),
    reviewedBy: uuid('reviewed_by').references(() => staffMembers.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    /** Who sent it, kept to tell a person from a link scanner if a vote is ever disputed. */
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    ratedAt: timestamp('rated_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    changeableUntil: timestamp('changeable_until', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('conversation_ratings_review_idx').on(table.ratedAt).where(sql`${table.needsReview}`),
    check('conversation_ratings_score_check', sql`${table.score} between 1 and 5`),
    check('conversation_ratings_source_check', sql`${table.source} in ('widget', 'email')`),
  ],
);

/** Customers, addresses and visitors who asked not to be surveyed again: `customer:<id>`, `email:<address>`, `visitor:<id>`. */
export const ratingOptOuts = pgTable('rating_opt_outs', {
  subject: text('subject').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
