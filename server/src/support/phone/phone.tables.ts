import type { CallbackState, CallDirection, CallState, Locale } from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers, staffMembers } from '../../identity/identity.tables.js';
import { conversations } from '../support.tables.js';

/**
 * A phone call: always on a conversation with channel `phone`. Its state lives here so a node
 * restarting mid-call picks it up where it was; every change goes through the state machine
 * (`call-state.ts`) under this row's lock.
 */
export const calls = pgTable(
  'calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    /** Who carried it (`twilio`), and its id there (Twilio's CallSid). */
    provider: text('provider').notNull(),
    providerCallId: text('provider_call_id').notNull(),
    direction: text('direction').$type<CallDirection>().notNull(),
    fromNumber: text('from_number').notNull(),
    toNumber: text('to_number').notNull(),
    /** The customer whose verified phone matched the caller's number. */
    customerId: uuid('customer_id').references(() => customers.id),
    state: text('state').$type<CallState>().notNull().default('ringing'),
    /** The language the caller chose in the menu. */
    locale: text('locale').$type<Locale>(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** The provider's recording of a voicemail. */
    recordingUrl: text('recording_url'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex('calls_provider_call_key').on(table.provider, table.providerCallId),
    index('calls_conversation_idx').on(table.conversationId, table.startedAt),
    check(
      'calls_state_check',
      sql`${table.state} in ('ringing', 'queued', 'answered', 'completed', 'abandoned', 'no-answer', 'busy', 'failed', 'voicemail')`,
    ),
    check('calls_direction_check', sql`${table.direction} in ('inbound', 'outbound')`),
  ],
);

/**
 * The call's log: every report about it, in order, with the state before and after (equal when
 * the state machine refused or ignored it). `provider_event_key` is unique per call, so the same
 * report delivered twice is recorded once and refused the second time.
 */
export const callEvents = pgTable(
  'call_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id),
    seq: integer('seq').notNull(),
    event: text('event').notNull(),
    fromState: text('from_state').$type<CallState>().notNull(),
    toState: text('to_state').$type<CallState>().notNull(),
    providerEventKey: text('provider_event_key'),
    /** Why, when the event has a cause worth keeping (an in-app call's disposition, a declined ring). */
    reason: text('reason'),
    /** The agent the event was about (rung, declined, answered, transferred to). */
    staffId: uuid('staff_id').references(() => staffMembers.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex('call_events_seq_key').on(table.callId, table.seq),
    uniqueIndex('call_events_provider_key').on(table.callId, table.providerEventKey).where(sql`${table.providerEventKey} is not null`),
  ],
);

/**
 * A callback a customer asked for: a task that joins the phone queue at `due_at` and goes to an
 * agent like a conversation. Each attempt is an outbound call on the same conversation; a missed
 * one is tried again per the retry policy until `attempts` reaches it.
 */
export const callbacks = pgTable(
  'callbacks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    number: text('number').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    state: text('state').$type<CallbackState>().notNull().default('scheduled'),
    attempts: integer('attempts').notNull().default(0),
    /** The attempt (1, 2, …) whose "about to call" notice was queued: claimed by one node, once. */
    remindedAttempt: integer('reminded_attempt'),
    locale: text('locale').$type<Locale>().notNull(),
    timeZone: text('time_zone').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('callbacks_due_idx').on(table.dueAt).where(sql`${table.state} = 'scheduled'`),
    uniqueIndex('callbacks_open_per_customer_key').on(table.customerId).where(sql`${table.state} in ('scheduled', 'queued')`),
    check('callbacks_state_check', sql`${table.state} in ('scheduled', 'queued', 'completed', 'failed')`),
  ],
);
