import { sql } from 'drizzle-orm';
import { bigint, doublePrecision, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Reporting tables, written only by the outbox subscriber `support.reports` and rebuilt by replaying
// it (`okpay events:replay support.reports`); report requests read them and never the live tables.

/** Each conversation's state between its events (who holds it, what is unanswered, its rating). */
export const reportConversations = pgTable('report_conversations', {
  id: uuid('id').primaryKey(),
  state: jsonb('state').$type<Record<string, unknown>>().notNull(),
});

/**
 * Raw observations: one row per first response, resolution, transfer, rating… with wall-clock and
 * business seconds. For drill-down to conversations and exact percentiles over small sets.
 */
export const reportFacts = pgTable(
  'report_facts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    metric: text('metric').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    conversationId: uuid('conversation_id'),
    channel: text('channel').notNull(),
    category: text('category'),
    agentId: uuid('agent_id'),
    value: doublePrecision('value'),
    businessValue: doublePrecision('business_value'),
    /** The business calendar's version the business seconds were counted in. */
    calendarVersion: text('calendar_version'),
  },
  (table) => [
    index('report_facts_metric_idx').on(table.metric, table.occurredAt),
    // A channel's facts of a year without reading the other channels' (percentiles and drill-down filtered by channel).
    index('report_facts_channel_idx').on(table.metric, table.channel, table.occurredAt),
    // Migration 0028 adds INCLUDE (channel, category, value, business_value): an agent's year is read
    // from the index alone (45 ms instead of 1.1 s at a million conversations).
    index('report_facts_agent_idx').on(table.agentId, table.metric, table.occurredAt).where(sql`${table.agentId} is not null`),
  ],
);

/**
 * Sums per metric, period (half hour, local day, local month), channel and one dimension (all,
 * agent or category): count, seconds (or score) and business seconds. Half hours carry `all` only.
 */
export const reportRollups = pgTable(
  'report_rollups',
  {
    metric: text('metric').notNull(),
    period: text('period').notNull(),
    dimKind: text('dim_kind').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    dimId: text('dim_id').notNull(),
    channel: text('channel').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
    sum: doublePrecision('sum').notNull(),
    businessSum: doublePrecision('business_sum').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.metric, table.period, table.dimKind, table.periodStart, table.dimId, table.channel] }),
    // A range of days or months of some metrics of one dimension. Migration 0028 adds INCLUDE (dim_id,
    // channel, count, sum, business_sum): a year of the team's days is read from the index alone (7 ms
    // at a million conversations, where the planner otherwise chose a 250 ms scan of the table).
    index('report_rollups_period_idx').on(table.period, table.dimKind, table.metric, table.periodStart),
    // One agent's or category's year: the keys above put the day before the agent, so they would step
    // through every agent's days (300 ms for a year of one agent among 50, against 4 ms here). Migration
    // 0028 adds INCLUDE (channel, count, sum, business_sum).
    index('report_rollups_dim_idx')
      .on(table.dimKind, table.dimId, table.metric, table.period, table.periodStart)
      .where(sql`${table.dimKind} <> 'all'`),
  ],
);

/**
 * Duration histograms (logarithmic buckets, see histogram.ts) for local days and months, one array
 * of bucket counts per period, dimension and scale (0 wall-clock, 1 business). One dimension at a
 * time, the channel among them (all, channel, agent or category), so a year per agent is a few
 * thousand rows to add up.
 */
export const reportHistograms = pgTable(
  'report_histograms',
  {
    metric: text('metric').notNull(),
    period: text('period').notNull(),
    dimKind: text('dim_kind').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    dimId: text('dim_id').notNull(),
    scale: smallint('scale').notNull(),
    counts: integer('counts').array().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.metric, table.period, table.dimKind, table.periodStart, table.dimId, table.scale] }),
    // One agent's, channel's or category's days without stepping through the others' (as the rollups' index).
    index('report_histograms_dim_idx')
      .on(table.dimKind, table.dimId, table.metric, table.period, table.periodStart)
      .where(sql`${table.dimKind} <> 'all'`),
  ],
);

/**
 * Each local day's counts and sums per local hour (24 entries, by the wall-clock hour) for the whole
 * team, one row per metric, channel and day: the hour-of-week heatmap over a year reads a row per
 * day and channel instead of every half hour.
 */
export const reportDayHours = pgTable(
  'report_day_hours',
  {
    metric: text('metric').notNull(),
    dayStart: timestamp('day_start', { withTimezone: true }).notNull(),
    channel: text('channel').notNull(),
    counts: bigint('counts', { mode: 'number' }).array().notNull(),
    sums: doublePrecision('sums').array().notNull(),
    businessSums: doublePrecision('business_sums').array().notNull(),
  },
  (table) => [primaryKey({ columns: [table.metric, table.dayStart, table.channel] })],
);

/** Each agent's presence since their last change, to count online time per half hour. */
export const reportAgentPresence = pgTable('report_agent_presence', {
  staffId: uuid('staff_id').primaryKey(),
  status: text('status').notNull(),
  since: timestamp('since', { withTimezone: true }).notNull(),
});

/** Where the report tables stand: the last event folded in, and the zone their days are cut in. */
export const reportState = pgTable('report_state', {
  id: smallint('id').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull(),
  timeZone: text('time_zone').notNull(),
});
