/**
 * What reports count, each from the events that start and stop it (README "Report definitions"
 * says the same for supervisors). Durations are kept in wall-clock seconds and in business seconds
 * of the channel's calendar; counts are plain.
 */
export const metrics = {
  /** A conversation started (any channel), at its creation. */
  created: { keepsFacts: true, isDuration: false },
  /** An agent's public message (internal notes excluded). */
  replies: { keepsFacts: false, isDuration: false },
  /** First customer message → the first agent reply after it. */
  firstResponse: { keepsFacts: true, isDuration: true },
  /** A later customer message left unanswered (the oldest of them) → the next agent reply. */
  nextResponse: { keepsFacts: true, isDuration: true },
  /** Creation → the first time the conversation was resolved (pending time included). */
  resolution: { keepsFacts: true, isDuration: true },
  /** Each resolution (a reopened conversation resolved again counts again). */
  resolved: { keepsFacts: true, isDuration: false },
  /** A resolved or closed conversation opened again (by the customer writing, or by staff). */
  reopened: { keepsFacts: true, isDuration: false },
  /** The time agents held the conversation (assignment to resolution, summed over transfers), at each resolution. */
  handle: { keepsFacts: true, isDuration: true },
  /** Chats: start → first assignment to an agent. */
  queueWait: { keepsFacts: true, isDuration: true },
  /** Chats that ended before any agent replied. */
  abandoned: { keepsFacts: true, isDuration: false },
  /** Reassigned from one agent to another (counted for the agent it left). */
  transferred: { keepsFacts: true, isDuration: false },
  /** A rating survey shown in the widget or mailed. */
  csatRequested: { keepsFacts: false, isDuration: false },
  /** A rating; its value is the score (1–5). A changed rating moves the original, it does not add one. */
  csatRating: { keepsFacts: true, isDuration: false },
  /** Ratings at or below CSAT_LOW_SCORE. */
  csatLow: { keepsFacts: false, isDuration: false },
  /** Help-centre suggestions shown while a customer typed, one per attempt at contact. */
  helpShown: { keepsFacts: false, isDuration: false },
  helpOpened: { keepsFacts: false, isDuration: false },
  helpChatStarted: { keepsFacts: false, isDuration: false },
  /** Seconds agents were online for chat (from presence changes). */
  agentOnline: { keepsFacts: false, isDuration: false },
} as const;

export type MetricName = keyof typeof metrics;

/** Stored names; some metrics carry a suffix: `csat_score:4`, `csat_reason:slow_reply`, `sla_met:first_response`. */
export const metricKeys: Record<MetricName, string> = {
  created: 'created',
  replies: 'replies',
  firstResponse: 'first_response',
  nextResponse: 'next_response',
  resolution: 'resolution',
  resolved: 'resolved',
  reopened: 'reopened',
  handle: 'handle',
  queueWait: 'queue_wait',
  abandoned: 'abandoned',
  transferred: 'transferred',
  csatRequested: 'csat_requested',
  csatRating: 'csat_rating',
  csatLow: 'csat_low',
  helpShown: 'help_shown',
  helpOpened: 'help_opened',
  helpChatStarted: 'help_chat_started',
  agentOnline: 'agent_online',
};

export const durationMetricKeys = ['first_response', 'next_response', 'resolution', 'handle', 'queue_wait'] as const;
export type DurationMetricKey = (typeof durationMetricKeys)[number];

export const csatScoreKey = (score: number) => `csat_score:${score}`;
export const csatReasonKey = (reason: string) => `csat_reason:${reason}`;
export const slaKeys = { met: 'sla_met:', breached: 'sla_breached:', warning: 'sla_warning:' } as const;

/** The stored names whose raw facts are kept; asked for every fact of a batch. */
const keptKeys = new Set(
  Object.entries(metricKeys)
    .filter(([name]) => metrics[name as MetricName].keepsFacts)
    .map(([, stored]) => stored),
);

/** Whether raw facts of this stored metric are kept (drill-down, exact percentiles, sub-day filters). */
export function keepsFacts(key: string): boolean {
  return keptKeys.has(key) || key.startsWith(slaKeys.met) || key.startsWith(slaKeys.breached);
}

export function isDurationKey(key: string): key is DurationMetricKey {
  return (durationMetricKeys as readonly string[]).includes(key);
}
