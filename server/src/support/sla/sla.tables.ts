import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { staffMembers } from '../../identity/identity.tables.js';
import { conversations } from '../support.tables.js';

/** A target as stored: minutes on the wall clock or in business time of a calendar (null: the channel's). */
export type StoredSlaTarget = { minutes: number; clock: 'business' | 'wall'; calendar: string | null };

/**
 * SLA policies an administrator saved. A row named like a shipped policy replaces it; other names
 * are new policies. One policy per channel, priority and category (null: any).
 */
export const slaPolicies = pgTable('sla_policies', {
  name: text('name').primaryKey(),
  channel: text('channel').notNull(),
  priority: text('priority'),
  category: text('category'),
  firstReply: jsonb('first_reply').$type<StoredSlaTarget | null>(),
  nextReply: jsonb('next_reply').$type<StoredSlaTarget | null>(),
  resolution: jsonb('resolution').$type<StoredSlaTarget | null>(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => staffMembers.id),
});

/**
 * What the SLA clocks know of a conversation, built from its events only (so a replay rebuilds
 * it): channel, priority, category, status and whether an agent has answered yet.
 */
export const slaConversations = pgTable(
  'sla_conversations',
  {
    conversationId: uuid('conversation_id')
      .primaryKey()
      .references(() => conversations.id),
    channel: text('channel').notNull(),
    priority: text('priority').notNull(),
    category: text('category').notNull(),
    status: text('status').notNull(),
    hasAgentReplied: boolean('has_agent_replied').notNull().default(false),
    /** The created event the clocks were started from: a replay starts over from it. */
    createdEventId: bigint('created_event_id', { mode: 'number' }),
    /** The fingerprint of the policies and calendars its clocks' due times were computed with. */
    rulesVersion: text('rules_version').notNull().default(''),
  },
  // The SLA job finds open conversations whose due times were computed under other rules.
  (table) => [index('sla_conversations_rules_idx').on(table.rulesVersion).where(sql`${table.status} in ('open', 'pending')`)],
);

/**
 * One clock per conversation and target. `elapsed_ms` is the time counted up to `resumed_at`
 * (null while paused or stopped); `due_at`/`warn_at` follow while it runs. The `*_cycle` columns
 * say up to which run of the clock warnings, breaches and outcomes were announced: they only
 * grow, so a replay announces nothing twice.
 */
export const slaClocks = pgTable(
  'sla_clocks',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    target: text('target').$type<'first_reply' | 'next_reply' | 'resolution'>().notNull(),
    policyName: text('policy_name').notNull(),
    clock: text('clock').$type<'business' | 'wall'>().notNull(),
    calendarName: text('calendar_name'),
    targetMs: bigint('target_ms', { mode: 'number' }).notNull(),
    cycle: integer('cycle').notNull(),
    state: text('state').$type<'running' | 'paused' | 'met' | 'breached' | 'cancelled'>().notNull(),
    pausedReason: text('paused_reason').$type<'pending'>(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    resumedAt: timestamp('resumed_at', { withTimezone: true }),
    elapsedMs: bigint('elapsed_ms', { mode: 'number' }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    warnAt: timestamp('warn_at', { withTimezone: true }),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
    warnedCycle: integer('warned_cycle').notNull().default(0),
    breachedCycle: integer('breached_cycle').notNull().default(0),
    announcedCycle: integer('announced_cycle').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.target] }),
    // The breach job reads only clocks that still have something to announce.
    index('sla_clocks_due_idx').on(table.dueAt).where(sql`${table.state} = 'running' and ${table.breachedCycle} < ${table.cycle}`),
    index('sla_clocks_warn_idx').on(table.warnAt).where(sql`${table.state} = 'running' and ${table.warnedCycle} < ${table.cycle}`),
    check('sla_clocks_state_check', sql`${table.state} in ('running', 'paused', 'met', 'breached', 'cancelled')`),
    check('sla_clocks_target_check', sql`${table.target} in ('first_reply', 'next_reply', 'resolution')`),
  ],
);
