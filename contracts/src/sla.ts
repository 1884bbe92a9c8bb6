import { z } from 'zod';
import { calendarNameSchema } from './hours.js';
import { conversationCategorySchema, conversationChannelSchema, conversationPrioritySchema } from './support.js';

// SLA: policies per channel and priority (optionally category), and the clocks every conversation keeps.

export const slaTargets = ['first_reply', 'next_reply', 'resolution'] as const;
export const slaTargetNameSchema = z.enum(slaTargets);
export type SlaTargetName = z.infer<typeof slaTargetNameSchema>;

/** At most a year: a longer promise is no promise. */
export const slaMaxMinutes = 366 * 24 * 60;

/**
 * One target: an amount of time counted on the wall clock, or as business time of a calendar
 * (null: the calendar of the conversation's channel).
 */
export const slaTargetSchema = z
  .strictObject({
    minutes: z.number().int().min(1).max(slaMaxMinutes),
    clock: z.enum(['business', 'wall']),
    calendar: calendarNameSchema.nullable().default(null),
  })
  .refine((target) => target.clock === 'business' || target.calendar === null, {
    message: 'a wall-clock target counts no calendar',
    path: ['calendar'],
  });
export type SlaTarget = z.infer<typeof slaTargetSchema>;

export const slaPolicyNameSchema = calendarNameSchema;

export const saveSlaPolicyRequestSchema = z.strictObject({
  channel: conversationChannelSchema,
  /** null: every priority the channel has no policy of its own for. */
  priority: conversationPrioritySchema.nullable().default(null),
  /** null: every category. */
  category: conversationCategorySchema.nullable().default(null),
  firstReply: slaTargetSchema.nullable(),
  nextReply: slaTargetSchema.nullable(),
  resolution: slaTargetSchema.nullable(),
});
export type SaveSlaPolicyRequest = z.infer<typeof saveSlaPolicyRequestSchema>;

export const slaPolicySchema = z.object({
  name: z.string(),
  channel: conversationChannelSchema,
  priority: conversationPrioritySchema.nullable(),
  category: conversationCategorySchema.nullable(),
  firstReply: slaTargetSchema.nullable(),
  nextReply: slaTargetSchema.nullable(),
  resolution: slaTargetSchema.nullable(),
  /** Shipped with OKPay: it can be changed and reset, not removed. */
  isShipped: z.boolean(),
  isChanged: z.boolean(),
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

export const slaSettingsSchema = z.object({
  policies: z.array(slaPolicySchema),
  /** Calendars a business-time target may name. */
  calendars: z.array(z.string()),
  /** Each channel's calendar, counted when a target names none. */
  channelCalendars: z.record(conversationChannelSchema, z.string()),
  /** Share of a target used at which the assignee and supervisors are warned. */
  warningPercent: z.number().int(),
});
export type SlaSettings = z.infer<typeof slaSettingsSchema>;

export const slaClockStateSchema = z.enum(['running', 'paused', 'met', 'breached', 'cancelled']);
export type SlaClockState = z.infer<typeof slaClockStateSchema>;

/**
 * A conversation's clock for one target, as the console shows it. While it runs, `remainingMs`
 * was the time left at `asOf` (negative once breached), measured the way the target counts;
 * a business-time clock runs only while its calendar is open (`isTicking`) and flips at
 * `nextChange`, so a countdown can follow it without asking again.
 */
export const slaClockSchema = z.object({
  target: slaTargetNameSchema,
  policy: z.string(),
  state: slaClockStateSchema,
  clock: z.enum(['business', 'wall']),
  calendar: z.string().nullable(),
  targetMs: z.number(),
  startedAt: z.iso.datetime({ offset: true }),
  dueAt: z.iso.datetime({ offset: true }).nullable(),
  stoppedAt: z.iso.datetime({ offset: true }).nullable(),
  /** Paused: why (the customer's turn while the conversation is pending). */
  pausedReason: z.enum(['pending']).nullable(),
  remainingMs: z.number(),
  asOf: z.iso.datetime({ offset: true }),
  isTicking: z.boolean(),
  nextChange: z.iso.datetime({ offset: true }).nullable(),
  risk: z.enum(['ok', 'warning', 'breached']),
});
export type SlaClock = z.infer<typeof slaClockSchema>;

/** The clock a list shows for a conversation: the running one due first. */
export const slaSummarySchema = slaClockSchema.nullable();

/** Supervisors' "at risk now": running clocks past the warning share or breached, most urgent first. */
export const slaAtRiskItemSchema = z.object({
  conversationId: z.string(),
  channel: conversationChannelSchema,
  priority: conversationPrioritySchema,
  status: z.string(),
  customerName: z.string().nullable(),
  subject: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  clock: slaClockSchema,
});
export type SlaAtRiskItem = z.infer<typeof slaAtRiskItemSchema>;
export const slaAtRiskSchema = z.object({
  asOf: z.iso.datetime({ offset: true }),
  breached: z.number().int(),
  warning: z.number().int(),
  items: z.array(slaAtRiskItemSchema),
});
export type SlaAtRisk = z.infer<typeof slaAtRiskSchema>;

/** Socket event `sla:alert` to the assignee (or every agent while unassigned) and supervisors. */
export const slaAlertSchema = z.object({
  kind: z.enum(['warning', 'breached']),
  conversationId: z.string(),
  target: slaTargetNameSchema,
  policy: z.string(),
  dueAt: z.string(),
  at: z.string(),
  assigneeId: z.string().nullable(),
  channel: conversationChannelSchema,
});
export type SlaAlert = z.infer<typeof slaAlertSchema>;
export const slaAlertsEventSchema = z.object({ alerts: z.array(slaAlertSchema) });
export type SlaAlertsEvent = z.infer<typeof slaAlertsEventSchema>;

/** The clock a list shows: the running one due first, else the paused one with least time left. */
export function slaSummaryOf(clocks: readonly SlaClock[]): SlaClock | null {
  const dueOf = (clock: SlaClock) => (clock.dueAt ? Date.parse(clock.dueAt) : Number.POSITIVE_INFINITY);
  const running = clocks.filter((clock) => clock.state === 'running').sort((left, right) => dueOf(left) - dueOf(right));
  if (running[0]) return running[0];
  return clocks.filter((clock) => clock.state === 'paused').sort((left, right) => left.remainingMs - right.remainingMs)[0] ?? null;
}

/**
 * Time left on a clock at `now`, following a business-time clock across one open/closed change
 * after `asOf` (the console asks again before a second one).
 */
export function slaRemainingAt(clock: Pick<SlaClock, 'state' | 'remainingMs' | 'asOf' | 'isTicking' | 'nextChange'>, now: number): number {
  if (clock.state !== 'running') return clock.remainingMs;
  const asOf = Date.parse(clock.asOf);
  const change = clock.nextChange === null ? Number.POSITIVE_INFINITY : Date.parse(clock.nextChange);
  const elapsed = clock.isTicking ? Math.min(now, change) - asOf : Math.max(0, now - change);
  return clock.remainingMs - Math.max(0, elapsed);
}

/** Socket event `sla:changed` to staff: a conversation's clocks as they now stand. */
export const slaChangedEventSchema = z.object({ conversationId: z.string(), clocks: z.array(slaClockSchema) });
export type SlaChangedEvent = z.infer<typeof slaChangedEventSchema>;
