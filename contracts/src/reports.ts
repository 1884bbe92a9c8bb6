import { z } from 'zod';
import { dateOrInstantSchema } from './dates.js';
import { localeSchema } from './locale.js';
import { conversationCategorySchema, conversationChannelSchema } from './support.js';

// Supervisors' reports: volume, response times, SLA attainment, ratings, help-centre deflection
// and staffing, built from the outbox into rollups. Days are the team's (TIME_ZONE).

export const reportNames = ['volume', 'response-times', 'sla', 'csat', 'deflection'] as const;
export const reportNameSchema = z.enum(reportNames);
export type ReportName = z.infer<typeof reportNameSchema>;

export const reportBuckets = ['hour', 'day', 'week', 'month', 'hour_of_week'] as const;
export const reportBucketSchema = z.enum(reportBuckets);
export type ReportBucket = z.infer<typeof reportBucketSchema>;

/**
 * Every report takes the same filters. Reports cover whole days of the team's zone: from the start
 * of `from`'s day through `to`'s day (a date is included whole; an instant ends the range at the
 * next midnight, or at itself if it is one). At most 731 days.
 */
export const reportQuerySchema = z.strictObject({
  from: dateOrInstantSchema,
  to: dateOrInstantSchema,
  channel: conversationChannelSchema.optional(),
  agentId: z.uuid().optional(),
  category: conversationCategorySchema.optional(),
  bucket: reportBucketSchema.default('day'),
});
export type ReportQuery = z.input<typeof reportQuerySchema>;

/** The same, for a CSV download of one of the report's tables. */
export const reportExportQuerySchema = reportQuerySchema.extend({
  table: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,40}$/)
    .default('series'),
  locale: localeSchema.optional(),
});

// Each branch nullable on its own: OpenAPI 3.0 has no `null` type, and `nullable` needs a `type` beside it.
export const reportCellSchema = z.union([z.string().nullable(), z.number().nullable()]);

/** What a row stands for, as filters: drilling into one of its numbers adds these to the report's own. */
export const reportRowFilterSchema = z.object({
  channel: z.string().optional(),
  agentId: z.string().optional(),
  category: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});

/** One table of a report: shown in the console, and downloadable as CSV with the same columns. */
export const reportTableSchema = z.object({
  id: z.string(),
  title: z.string(),
  columns: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      /** `duration` cells are seconds; `percent` cells are 0–1. */
      kind: z.enum(['text', 'number', 'duration', 'percent']),
      /** The metric behind the column's numbers, when the conversations behind them can be listed. */
      metric: z.string().nullable(),
    }),
  ),
  rows: z.array(z.object({ cells: z.record(z.string(), reportCellSchema), filter: reportRowFilterSchema })),
});
export type ReportTable = z.infer<typeof reportTableSchema>;

export const reportSchema = z.object({
  name: reportNameSchema,
  /** The whole days covered, as instants, and the zone they are days in. */
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  bucket: reportBucketSchema,
  /** `exact` when percentiles come from every value; `histogram` when from rollups (within 15 %). */
  method: z.enum(['exact', 'histogram']),
  /** Headline figures by key (seconds for durations, 0–1 for rates). */
  summary: z.record(z.string(), z.number().nullable()),
  /** One point per bucket, values by key; `key` is the bucket's start (ISO), `label` its local name. */
  series: z.array(z.object({ key: z.string(), label: z.string(), values: z.record(z.string(), z.number().nullable()) })),
  tables: z.array(reportTableSchema),
  /** Conversations started, by weekday (0 Monday) and hour, for the arrivals heatmap (volume only). */
  heatmap: z.array(z.object({ weekday: z.number().int(), hour: z.number().int(), value: z.number() })).nullable(),
});
export type Report = z.infer<typeof reportSchema>;

/** The conversations behind a number. */
export const reportConversationsQuerySchema = reportQuerySchema.omit({ bucket: true }).extend({
  metric: z.string().regex(/^[a-z_]+(?::[a-z_0-9-]+)?$/),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const reportConversationSchema = z.object({
  conversationId: z.string().nullable(),
  at: z.string(),
  channel: z.string(),
  category: z.string().nullable(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  /** Seconds (wall-clock and business) for durations, the score for ratings. */
  value: z.number().nullable(),
  businessValue: z.number().nullable(),
});
export const reportConversationsSchema = z.object({
  metric: z.string(),
  /** How many there are, counted up to 10,000 (`isTotalCapped`: more than that). */
  total: z.number().int(),
  isTotalCapped: z.boolean(),
  conversations: z.array(reportConversationSchema),
});
export type ReportConversations = z.infer<typeof reportConversationsSchema>;

// ── Staffing ─────────────────────────────────────────────────────────────────────────────────

export const staffingParametersSchema = z.strictObject({
  /** Contacts in the interval. */
  contacts: z.number().min(0).max(1_000_000),
  intervalMinutes: z.number().int().min(1).max(1440),
  ahtSeconds: z.number().min(1).max(86_400),
  answerWithinSeconds: z.number().min(0).max(86_400),
  serviceLevel: z.number().gt(0).lt(1),
  maxOccupancy: z.number().gt(0).max(1),
  shrinkage: z.number().min(0).lt(1),
});
export type StaffingParameters = z.infer<typeof staffingParametersSchema>;

/** What Erlang C says: agents on the floor, scheduled (with shrinkage), and what that many achieve. */
export const staffingAnswerSchema = z.object({
  agents: z.number().int(),
  scheduled: z.number().int(),
  serviceLevel: z.number(),
  occupancy: z.number(),
  waitProbability: z.number(),
  /** Average speed of answer in seconds with that many agents. */
  averageSpeedOfAnswerSeconds: z.number(),
  /** Offered traffic in Erlangs (contacts × handle time ÷ interval). */
  trafficErlangs: z.number(),
});
export type StaffingAnswer = z.infer<typeof staffingAnswerSchema>;

export const staffingQuerySchema = z.strictObject({
  /** The local day to plan (defaults to tomorrow). */
  date: z.iso.date().optional(),
  channel: z.enum(['chat', 'phone', 'email']).default('chat'),
  /** Weeks of history the forecast learns from. */
  weeks: z.coerce.number().int().min(1).max(26).default(8),
  answerWithinSeconds: z.coerce.number().int().min(1).max(86_400).default(20),
  serviceLevel: z.coerce.number().gt(0).lt(1).default(0.8),
  maxOccupancy: z.coerce.number().gt(0).max(1).default(0.85),
  shrinkage: z.coerce.number().min(0).lt(1).default(0.3),
  /** Chats an agent holds at once; handle time is divided by its efficiency factor (1→1, 2→1.7, 3→2.5, 4→2.9, 5→3.5). */
  concurrency: z.coerce.number().int().min(1).max(5).optional(),
});

export const staffingIntervalSchema = z.object({
  start: z.string(),
  label: z.string(),
  forecast: z.number(),
  /** Contacts that actually arrived (null for the future). */
  actual: z.number().nullable(),
  ahtSeconds: z.number().nullable(),
  required: z.number().int().nullable(),
  scheduled: z.number().int().nullable(),
  serviceLevel: z.number().nullable(),
  occupancy: z.number().nullable(),
  /** Agents online on average in the interval (null for the future). */
  online: z.number().nullable(),
  /** Agents usually online in this interval on days like this one (the history's average). */
  typicalOnline: z.number().nullable(),
  isUnderstaffed: z.boolean(),
  isOpen: z.boolean(),
});

export const staffingPlanSchema = z.object({
  date: z.string(),
  channel: z.string(),
  timeZone: z.string(),
  dayKind: z.string(),
  parameters: z.object({
    answerWithinSeconds: z.number(),
    serviceLevel: z.number(),
    maxOccupancy: z.number(),
    shrinkage: z.number(),
    concurrency: z.number(),
    concurrencyFactor: z.number(),
    ahtSeconds: z.number().nullable(),
    effectiveAhtSeconds: z.number().nullable(),
    historyWeeks: z.number(),
    /** The past days the forecast averaged: same weekday and day kind (public holidays with holidays, 调休 workdays with workdays). */
    historyDays: z.array(z.string()),
    /** `similar`: days like this one; `recent`: every day on record, when none is like it yet; `none`: no history. */
    forecastBasis: z.enum(['similar', 'recent', 'none']),
  }),
  intervals: z.array(staffingIntervalSchema),
  peak: z.object({ start: z.string(), label: z.string(), required: z.number().int() }).nullable(),
});
export type StaffingPlan = z.infer<typeof staffingPlanSchema>;
