import type { BatchHandler, PublishedEvent, Queryable } from '../../platform/index.js';
import type { BusinessCalendar } from '../hours/business-calendar.js';
import { currentHours } from '../hours/support-hours.js';
import { agentEvents, conversationEvents } from '../support.events.js';
import type { SupportDeps } from '../support-deps.js';
import { type ConversationState, type Fact, type FactChange, type FoldContext, foldConversationEvent } from './conversation-facts.js';
import { bucketOf, lastBucket } from './histogram.js';
import { LocalPeriods } from './local-periods.js';
import { isDurationKey, keepsFacts, metricKeys } from './report-metrics.js';
import {
  type AgentPresence,
  addToDayHours,
  addToHistograms,
  addToRollups,
  clearReportTables,
  type DayHours,
  type HistogramAddition,
  insertFacts,
  loadPresence,
  loadStates,
  lockReportState,
  type RollupAddition,
  savePresence,
  saveReportPosition,
  saveStates,
  subscriberPosition,
  updateFactValues,
} from './reports.repository.js';

export const reportsSubscriber = 'support.reports';

/** Everything reports are built from. SLA outcomes come from the SLA clocks under these names. */
export const reportEventTypes = [
  ...Object.values(conversationEvents),
  'support.sla.met',
  'support.sla.breached',
  'support.sla.warning',
  'support.help-suggestions.shown',
  'support.help-suggestion.opened',
  'support.help-suggestion.chat-started',
  agentEvents.presenceChanged,
];

const helpMetrics: Record<string, string> = {
  'support.help-suggestions.shown': metricKeys.helpShown,
  'support.help-suggestion.opened': metricKeys.helpOpened,
  'support.help-suggestion.chat-started': metricKeys.helpChatStarted,
};

type Presence = AgentPresence;

/**
 * The outbox subscriber that keeps the report tables: each batch of events is folded into the
 * conversations' report state, raw facts and the rollups, in the batch's transaction (so exactly
 * once). When its cursor is sent back to the start (`okpay events:replay support.reports`), the
 * first batch empties the tables and the replay builds them again.
 */
/** What folding needs: the team's zone, the business calendars, a logger. */
export type ReportDeps = Pick<SupportDeps, 'config' | 'db' | 'logger'>;

export function buildReports(deps: ReportDeps): BatchHandler {
  let warnedZone = false;
  return async (events, { tx }) => {
    const db = tx;
    const zone = deps.config.timeZone;
    let stored = await lockReportState(db);
    const last = stored?.position ?? 0;
    if (stored && (await subscriberPosition(db, reportsSubscriber)) < last) {
      // Sent back to the start: rebuild from nothing.
      await clearReportTables(db, zone);
      stored = { position: 0, timeZone: zone };
    } else if (stored && stored.timeZone !== zone && !warnedZone) {
      warnedZone = true;
      deps.logger.warn(
        { built: stored.timeZone, configured: zone },
        'reports were built for another TIME_ZONE: run `okpay events:replay support.reports` to cut days in the new one',
      );
    }
    const periods = new LocalPeriods(stored?.timeZone && stored.position !== 0 ? stored.timeZone : zone);
    const hours = await currentHours(deps);
    const calendars = new Map<string, BusinessCalendar | undefined>();
    const calendarOf = (channel: string) => {
      if (!calendars.has(channel)) {
        const name = hours.channels[channel as keyof typeof hours.channels];
        calendars.set(channel, name ? hours.calendars.get(name) : undefined);
      }
      return calendars.get(channel);
    };
    const context: FoldContext = {
      businessSeconds(channel, from, to) {
        const calendar = calendarOf(channel);
        if (!calendar || to <= from) return 0;
        try {
          return calendar.businessTimeBetween(from, to) / 1000;
        } catch {
          // Outside the years the engine covers: no business time to count.
          return 0;
        }
      },
      calendarVersion: (channel) => calendarOf(channel)?.version ?? '',
      lowScore: deps.config.ratings.lowScore,
    };

    const conversationIds = [...new Set(events.filter(isAboutConversation).map((event) => event.subject?.id as string))];
    const staffIds = [
      ...new Set(events.filter((event) => event.type === agentEvents.presenceChanged).map((event) => event.subject?.id ?? '')),
    ];
    const states = await loadStates(db, conversationIds);
    const presence = await loadPresence(db, staffIds);
    const touchedStates = new Set<string>();
    const touchedPresence = new Set<string>();
    const facts: Fact[] = [];
    const changes: FactChange[] = [];

    for (const event of events) {
      if (isAboutConversation(event)) {
        const id = event.subject?.id as string;
        const folded = foldConversationEvent(states.get(id), event, context);
        if (folded.state) {
          states.set(id, folded.state);
          touchedStates.add(id);
        }
        facts.push(...folded.facts);
        changes.push(...folded.changes);
      } else if (event.type === agentEvents.presenceChanged) {
        const staffId = event.subject?.id ?? '';
        facts.push(...presenceFacts(presence, staffId, String(event.payload.status ?? ''), event.occurredAt.getTime(), periods));
        touchedPresence.add(staffId);
      } else {
        const metric = helpMetrics[event.type];
        if (metric) facts.push(helpFact(event, metric));
      }
    }

    await saveStates(
      db,
      [...touchedStates].map((id) => states.get(id) as ConversationState),
    );
    await savePresence(
      db,
      [...touchedPresence].map((staffId) => ({ staffId, ...(presence.get(staffId) as Presence) })),
    );
    await insertFacts(
      db,
      facts.filter((fact) => fact.count === 1 && keepsFacts(fact.metric)),
    );
    await updateFactValues(db, changes);
    await writeRollups(db, facts, periods);
    await saveReportPosition(db, events.at(-1)?.position ?? last, periods.timeZone);
  };
}

function isAboutConversation(event: PublishedEvent): boolean {
  return (
    event.subject?.type === 'conversation' && (event.type.startsWith('support.conversation.') || event.type.startsWith('support.sla.'))
  );
}

function helpFact(event: PublishedEvent, metric: string): Fact {
  const conversationId = typeof event.payload.conversationId === 'string' ? event.payload.conversationId : null;
  return {
    metric,
    at: event.occurredAt.getTime(),
    conversationId,
    channel: 'chat',
    category: null,
    agentId: null,
    value: null,
    businessValue: null,
    count: 1,
    calendarVersion: null,
  };
}

/** Online time, split into the half hours it covers, when an agent stops being online. */
function presenceFacts(presence: Map<string, Presence>, staffId: string, status: string, at: number, periods: LocalPeriods): Fact[] {
  const previous = presence.get(staffId);
  const facts: Fact[] = [];
  if (previous?.status === 'online' && status !== 'online') {
    for (let start = previous.since; start < at; ) {
      const slotEnd = periods.next('slot', periods.startOf('slot', start));
      const end = Math.min(slotEnd, at);
      facts.push({
        metric: metricKeys.agentOnline,
        at: start,
        conversationId: null,
        channel: 'chat',
        category: null,
        agentId: staffId,
        value: (end - start) / 1000,
        businessValue: null,
        count: 0,
        calendarVersion: null,
      });
      start = end;
    }
  }
  if (!previous || previous.status !== status) presence.set(staffId, { status, since: at });
  return facts;
}

type Sums = { count: number; sum: number; businessSum: number };

/**
 * The batch's facts that land in the same rollup rows: one metric, channel, agent and category in
 * one half hour (a half hour lies in one local hour, day and month). A batch of thousands of facts
 * has a few dozen of these, so each rollup and histogram key is made once per group rather than
 * once per fact (two dozen keys a fact were most of this subscriber's time in the chat's profile).
 */
type FactGroup = Sums & {
  metric: string;
  channel: string;
  agentId: string | null;
  category: string | null;
  slot: number;
  /** Bucket counts of durations, wall-clock and business seconds (scales 0 and 1). */
  buckets: [number[], number[]] | undefined;
};

function groupFacts(facts: Fact[], periods: LocalPeriods): FactGroup[] {
  const groups = new Map<string, FactGroup>();
  for (const fact of facts) {
    const slot = periods.startOf('slot', fact.at);
    // Values never hold NUL (inputs refuse it), so it cannot make two groups one.
    const key = `${fact.metric}\0${fact.channel}\0${fact.agentId ?? ''}\0${fact.category ?? ''}\0${slot}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        metric: fact.metric,
        channel: fact.channel,
        agentId: fact.agentId || null,
        category: fact.category || null,
        slot,
        count: 0,
        sum: 0,
        businessSum: 0,
        buckets: undefined,
      };
      groups.set(key, group);
    }
    const value = fact.value ?? 0;
    const business = fact.businessValue ?? 0;
    group.count += fact.count;
    group.sum += fact.count === 0 || fact.value === null ? value : value * fact.count;
    group.businessSum += business * fact.count;
    if (isDurationKey(fact.metric) && fact.value !== null && fact.count !== 0) {
      const newCounts = () => Array.from({ length: lastBucket + 1 }, () => 0);
      group.buckets ??= [newCounts(), newCounts()];
      const [wallClock, businessTime] = group.buckets;
      const at = bucketOf(fact.value);
      wallClock[at] = (wallClock[at] ?? 0) + fact.count;
      const businessAt = bucketOf(fact.businessValue ?? 0);
      businessTime[businessAt] = (businessTime[businessAt] ?? 0) + fact.count;
    }
  }
  return [...groups.values()];
}

/** Adds the batch's facts to every rollup they belong to, summed first so each row is written once. */
async function writeRollups(db: Queryable, facts: Fact[], periods: LocalPeriods): Promise<void> {
  const rollups = new Map<string, RollupAddition>();
  const histograms = new Map<string, HistogramAddition>();
  const hours = new Map<string, DayHours>();
  const hourly = () => Array.from({ length: 24 }, () => 0);
  for (const group of groupFacts(facts, periods)) {
    const dims: Array<[string, string]> = [['all', '']];
    if (group.agentId) dims.push(['agent', group.agentId]);
    if (group.category) dims.push(['category', group.category]);
    const day = periods.startOf('day', group.slot);
    const month = periods.startOf('month', group.slot);
    const add = (period: string, start: number, dimKind: string, dimId: string) => {
      const key = `${group.metric}\0${period}\0${dimKind}\0${start}\0${dimId}\0${group.channel}`;
      let row = rollups.get(key);
      if (!row) {
        row = {
          metric: group.metric,
          period,
          dimKind,
          periodStart: new Date(start),
          dimId,
          channel: group.channel,
          count: 0,
          sum: 0,
          businessSum: 0,
        };
        rollups.set(key, row);
      }
      row.count += group.count;
      row.sum += group.sum;
      row.businessSum += group.businessSum;
    };
    add('slot', group.slot, 'all', '');
    // The same for the team's day by local hour: the hour-of-week heatmap over long ranges.
    const hourKey = `${group.metric}\0${day}\0${group.channel}`;
    let dayHours = hours.get(hourKey);
    if (!dayHours) {
      dayHours = {
        metric: group.metric,
        dayStart: new Date(day),
        channel: group.channel,
        counts: hourly(),
        sums: hourly(),
        businessSums: hourly(),
      };
      hours.set(hourKey, dayHours);
    }
    const hour = new Date(periods.wall(group.slot)).getUTCHours();
    dayHours.counts[hour] = (dayHours.counts[hour] ?? 0) + group.count;
    dayHours.sums[hour] = (dayHours.sums[hour] ?? 0) + group.sum;
    dayHours.businessSums[hour] = (dayHours.businessSums[hour] ?? 0) + group.businessSum;
    for (const [kind, id] of dims) {
      add('day', day, kind, id);
      add('month', month, kind, id);
    }
    if (!group.buckets) continue;
    // Histograms keep the channel as a dimension of its own rather than beside every agent and category.
    const histogramDims: Array<[string, string]> = [...dims, ['channel', group.channel]];
    group.buckets.forEach((counts, scale) => {
      for (const [dimKind, dimId] of histogramDims) {
        for (const [period, start] of [
          ['day', day],
          ['month', month],
        ] as const) {
          const key = `${group.metric}\0${period}\0${dimKind}\0${start}\0${dimId}\0${scale}`;
          let row = histograms.get(key);
          if (!row) {
            row = { metric: group.metric, period, dimKind, periodStart: new Date(start), dimId, scale, counts: counts.map(() => 0) };
            histograms.set(key, row);
          }
          const sums = row.counts;
          counts.forEach((count, bucket) => {
            sums[bucket] = (sums[bucket] ?? 0) + count;
          });
        }
      }
    });
  }
  await addToRollups(db, [...rollups.values()]);
  await addToHistograms(db, [...histograms.values()]);
  await addToDayHours(db, [...hours.values()]);
}
