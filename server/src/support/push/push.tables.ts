import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers, sessions } from '../../identity/identity.tables.js';
import { conversations } from '../support.tables.js';

/**
 * One browser (device) that receives Web Push for a customer. Created from a signed-in session and
 * removed when that session is signed out or revoked (a trigger on `sessions`), when the customer
 * removes it, or when the push service answers 404/410. A session that merely lapses keeps it: a
 * customer who closed the app is exactly who should hear that support answered.
 */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    sessionId: text('session_id').references(() => sessions.id, { onDelete: 'cascade' }),
    /** The push service's URL for this browser (a capability: only our VAPID key may use it). */
    endpoint: text('endpoint').notNull(),
    /** The browser's P-256 key and auth secret (base64url), for RFC 8291 encryption. */
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    userAgent: text('user_agent'),
    timeZone: text('time_zone').notNull(),
    locale: text('locale').notNull().default('zh-CN'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    lastSentAt: timestamp('last_sent_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('push_subscriptions_endpoint_key').on(table.endpoint),
    index('push_subscriptions_customer_idx').on(table.customerId),
    index('push_subscriptions_session_idx').on(table.sessionId),
    check('push_subscriptions_locale_check', sql`${table.locale} in ('zh-CN', 'en')`),
  ],
);

/**
 * One notification for one device: written in the transaction of the event that caused it, sent
 * by a job (after quiet hours if need be). `dedupe_key` makes each fact notify a device once.
 */
export const pushDeliveries = pgTable(
  'push_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => pushSubscriptions.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    kind: text('kind').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    /** What the notification is about (a message seq, a due time), never its text. */
    facts: jsonb('facts').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    sendAfter: timestamp('send_after', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Why it was not sent, or the push service's last answer. */
    outcome: text('outcome'),
  },
  (table) => [
    uniqueIndex('push_deliveries_dedupe_key').on(table.subscriptionId, table.dedupeKey),
    index('push_deliveries_created_idx').on(table.createdAt),
    check('push_deliveries_status_check', sql`${table.status} in ('queued', 'sent', 'skipped', 'failed')`),
    check('push_deliveries_kind_check', sql`${table.kind} in ('agent_reply', 'email_reply', 'resolved', 'waiting', 'callback_soon')`),
  ],
);

/** What a customer wants pushed, and their quiet hours (minutes after local midnight, in each device's zone). */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    customerId: uuid('customer_id')
      .primaryKey()
      .references(() => customers.id),
    pushAgentReply: boolean('push_agent_reply').notNull().default(true),
    pushEmailReply: boolean('push_email_reply').notNull().default(true),
    pushResolved: boolean('push_resolved').notNull().default(true),
    pushWaiting: boolean('push_waiting').notNull().default(true),
    pushCallbackSoon: boolean('push_callback_soon').notNull().default(true),
    quietStartMinute: smallint('quiet_start_minute'),
    quietEndMinute: smallint('quiet_end_minute'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check(
      'notification_preferences_quiet_hours_check',
      sql`(${table.quietStartMinute} is null) = (${table.quietEndMinute} is null)
        and coalesce(${table.quietStartMinute} between 0 and 1439, true)
        and coalesce(${table.quietEndMinute} between 0 and 1440, true)`,
    ),
  ],
);
