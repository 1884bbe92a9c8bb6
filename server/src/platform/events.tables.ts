import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Domain events, written in the same transaction as the change they announce (outbox). Each gets
 * its place in the one delivery order (`position`) once committed; subscribers read in that order.
 */
export const domainEvents = pgTable(
  'domain_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    type: text('type').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    /** Delivery order, given by one dispatcher at a time to committed events, so no later event can slip in before it. */
    position: bigint('position', { mode: 'number' }),
    /**
     * Several events of the row's type in one row (a batch written by one statement, such as the
     * chat's messages), as JSON text: `[{ subjectType, subjectId, payload, occurredAt }, …]` in order;
     * `payload` is then `{}` and the subject columns are null. Subscribers are handed them one by
     * one; they share the row's id and position, so a row is handled, retried or set aside whole.
     * Text, not jsonb: PostgreSQL builds it with json_agg and never reads into it, and turning it
     * into jsonb would cost about 10 µs an event.
     */
    batch: text('batch'),
  },
  // Subscribers read by position only: every index here costs each chat message two writes. An
  // event is inserted without a position, so the position index leaves those rows out.
  (table) => [
    uniqueIndex('domain_events_position_key').on(table.position).where(sql`${table.position} IS NOT NULL`),
    index('domain_events_unpositioned_idx').on(table.id).where(sql`${table.position} IS NULL`),
  ],
);

/** One row per subscriber: how far it has handled the events, and its retry state. */
export const eventSubscriptions = pgTable('event_subscriptions', {
  name: text('name').primaryKey(),
  /** The position of the last event it is done with (handled, skipped or dead-lettered). */
  position: bigint('position', { mode: 'number' }).notNull().default(0),
  attempts: integer('attempts').notNull().default(0),
  retryAt: timestamp('retry_at', { withTimezone: true }),
  lastError: text('last_error'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Events a subscriber gave up on after its retries: for operators to look at and retry. */
export const eventDeadLetters = pgTable(
  'event_dead_letters',
  {
    subscription: text('subscription')
      .notNull()
      .references(() => eventSubscriptions.name),
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => domainEvents.id),
    error: text('error').notNull(),
    attempts: integer('attempts').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set by `okpay events:retry`: the dispatcher hands the event to the subscriber again. */
    retryRequestedAt: timestamp('retry_requested_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.subscription, table.eventId] })],
);
