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
  insertFacts,
  loadPresence,
  loadStates,
  lockReportState,
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

/** Adds the batch's facts to every rollup they belong to, summed first so each row is written once. */
async function writeRollups(db: Queryable, facts: Fact[], periods: LocalPeriods): Promise<void> {
  const sums = new Map<string, Sums>();
  const buckets = new Map<string, number[]>();
  const hours = new Map<string, { counts: number[]; sums: number[]; businessSums: number[] }>();
  const hourly = () => Array.from({ length: 24 }, () => 0);
  for (const fact of facts) {
    const dims: Array<[string, string]> = [['all', '']];
    if (fact.agentId) dims.push(['agent', fact.agentId]);
    if (fact.category) dims.push(['category', fact.category]);
    const starts = {
      slot: periods.startOf('slot', fact.at),
      day: periods.startOf('day', fact.at),
      month: periods.startOf('month', fact.at),
    };
    const value = fact.value ?? 0;
    const business = fact.businessValue ?? 0;
    const add = (period: string, start: number, kind: string, id: string) => {
      const key = `${fact.metric}|${period}|${kind}|${start}|${id}|${fact.channel}`;
      const current = sums.get(key) ?? { count: 0, sum: 0, businessSum: 0 };
      current.count += fact.count;
      current.sum += fact.count === 0 || fact.value === null ? value : value * fact.count;
      current.businessSum += business * fact.count;
      sums.set(key, current);
    };
    add('slot', starts.slot, 'all', '');
    // The same for the team's day by local hour: the hour-of-week heatmap over long ranges.
    const hourKey = `${fact.metric}|${starts.day}|${fact.channel}`;
    const day = hours.get(hourKey) ?? { counts: hourly(), sums: hourly(), businessSums: hourly() };
    const hour = new Date(periods.wall(fact.at)).getUTCHours();
    day.counts[hour] = (day.counts[hour] ?? 0) + fact.count;
    day.sums[hour] = (day.sums[hour] ?? 0) + (fact.count === 0 || fact.value === null ? value : value * fact.count);
    day.businessSums[hour] = (day.businessSums[hour] ?? 0) + business * fact.count;
    hours.set(hourKey, day);
    for (const [kind, id] of dims) {
      add('day', starts.day, kind, id);
      add('month', starts.month, kind, id);
    }
    if (isDurationKey(fact.metric) && fact.value !== null && fact.count !== 0) {
      // Histograms keep the channel as a dimension of its own rather than beside every agent and category.
      const histogramDims: Array<[string, string]> = [...dims, ['channel', fact.channel]];
      for (const [scale, seconds] of [
        [0, fact.value],
        [1, fact.businessValue ?? 0],
      ] as const) {
        const bucket = bucketOf(seconds);
        for (const [kind, id] of histogramDims) {
          for (const [period, start] of [
            ['day', starts.day],
            ['month', starts.month],
          ] as const) {
            const key = `${fact.metric}|${period}|${kind}|${start}|${id}|${scale}`;
            const counts = buckets.get(key) ?? Array.from({ length: lastBucket + 1 }, () => 0);
            counts[bucket] = (counts[bucket] ?? 0) + fact.count;
            buckets.set(key, counts);
          }
        }
      }
    }
  }
  await addToRollups(
    db,
    [...sums.entries()].map(([key, value]) => {
      const [metric = '', period = '', dimKind = '', start = '0', dimId = '', channel = ''] = key.split('|');
      return { metric, period, dimKind, periodStart: new Date(Number(start)), dimId, channel, ...value };
    }),
  );
  await addToHistograms(
    db,
    [...buckets.entries()].map(([key, counts]) => {
      const [metric = '', period = '', dimKind = '', start = '0', dimId = '', scale = '0'] = key.split('|');
      return { metric, period, dimKind, periodStart: new Date(Number(start)), dimId, scale: Number(scale), counts };
    }),
  );
  await addToDayHours(
    db,
    [...hours.entries()].map(([key, value]) => {
      const [metric = '', start = '0', channel = ''] = key.split('|');
      return { metric, dayStart: new Date(Number(start)), channel, ...value };
    }),
  );
}
