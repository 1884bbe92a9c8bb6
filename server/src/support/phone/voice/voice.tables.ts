import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { staffMembers } from '../../../identity/identity.tables.js';
import { calls } from '../phone.tables.js';

/**
 * An in-app voice call's routing and media state beside its `calls` row: who is connected, whose
 * console rings and until when, its place in the voice queue, hold and mute, and when each side
 * was last heard from. Everything a node needs after a restart is here.
 */
export const voiceCalls = pgTable(
  'voice_calls',
  {
    callId: uuid('call_id')
      .primaryKey()
      .references(() => calls.id),
    /** The agent talking to the caller now. */
    agentId: uuid('agent_id').references(() => staffMembers.id),
    /** The agent whose console rings, and when it stops ringing for them. */
    ringingAgentId: uuid('ringing_agent_id').references(() => staffMembers.id),
    ringUntil: timestamp('ring_until', { withTimezone: true }),
    /** In the voice queue since (first, or again after a transfer to the queue); null while with an agent. */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    /** When a caller still waiting is told nobody could answer. */
    queueUntil: timestamp('queue_until', { withTimezone: true }),
    /** Agents who declined or missed this call: it is not offered to them again. */
    passedOver: uuid('passed_over').array().notNull().default(sql`'{}'::uuid[]`),
    isOnHold: boolean('is_on_hold').notNull().default(false),
    isCustomerMuted: boolean('is_customer_muted').notNull().default(false),
    isAgentMuted: boolean('is_agent_muted').notNull().default(false),
    /** When a node last held each side's socket in the call; a side silent past the grace period ends it. */
    customerSeenAt: timestamp('customer_seen_at', { withTimezone: true }).notNull(),
    agentSeenAt: timestamp('agent_seen_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    // The sweep reads live calls only.
    index('voice_calls_live_idx').on(table.waitingSince).where(sql`${table.endedAt} is null`),
  ],
);

/**
 * An agent's voice line: a row while their console rings for a call or they talk on one. The
 * primary key is the claim: a node rings an agent only by inserting this row, so two nodes can never
 * ring the same agent, and one call holds at most one line.
 */
export const voiceAgentLines = pgTable(
  'voice_agent_lines',
  {
    staffId: uuid('staff_id')
      .primaryKey()
      .references(() => staffMembers.id),
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id),
    isRinging: boolean('is_ringing').notNull(),
    since: timestamp('since', { withTimezone: true }).notNull(),
  },
  (table) => [uniqueIndex('voice_agent_lines_call_key').on(table.callId)],
);
