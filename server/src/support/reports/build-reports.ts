import type pg from 'pg';
import type { BatchHandler, PublishedEvent } from '../../platform/index.js';
import type { BusinessCalendar } from '../hours/business-calendar.js';
import { currentHours } from '../hours/support-hours.js';
import { agentEvents, conversationEvents } from '../support.events.js';
import type { SupportDeps } from '../support-deps.js';
import { type ConversationState, type Fact, type FactChange, type FoldContext, foldConversationEvent } from './conversation-facts.js';
import { bucketOf, lastBucket } from './histogram.js';
import { LocalPeriods } from './local-periods.js';
import { isDurationKey, keepsFacts, metricKeys } from './report-metrics.js';

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

const reportTables = ['report_conversations', 'report_facts', 'report_rollups', 'report_histograms', 'report_agent_presence'];

type Presence = { status: string; since: number };

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
    const db = tx.$client;
    const zone = deps.config.timeZone;
    const stored = await db.query<{ position: string; time_zone: string }>(
      'SELECT position, time_zone FROM report_state WHERE id = 1 FOR UPDATE',
    );
    const cursor = await db.query<{ position: string }>('SELECT position FROM event_subscriptions WHERE name = $1', [reportsSubscriber]);
    const last = Number(stored.rows[0]?.position ?? 0);
    if (stored.rows[0] && Number(cursor.rows[0]?.position ?? 0) < last) {
      // Sent back to the start: rebuild from nothing.
      await db.query(`TRUNCATE ${reportTables.join(', ')}`);
      await db.query('UPDATE report_state SET position = 0, time_zone = $1 WHERE id = 1', [zone]);
    } else if (stored.rows[0] && stored.rows[0].time_zone !== zone && !warnedZone) {
      warnedZone = true;
      deps.logger.warn(
        { built: stored.rows[0].time_zone, configured: zone },
        'reports were built for another TIME_ZONE: run `okpay events:replay support.reports` to cut days in the new one',
      );
    }
    const periods = new LocalPeriods(stored.rows[0]?.time_zone && stored.rows[0].position !== '0' ? stored.rows[0].time_zone : zone);
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
    for (const change of changes) {
      await db.query('UPDATE report_facts SET value = $4 WHERE metric = $1 AND occurred_at = $2 AND conversation_id = $3', [
        change.metric,
        new Date(change.at),
        change.conversationId,
        change.value,
      ]);
    }
    await writeRollups(db, facts, periods);
    const position = events.at(-1)?.position ?? last;
    await db.query(
      `INSERT INTO report_state (id, position, time_zone) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET position = greatest(report_state.position, excluded.position)`,
      [position, periods.timeZone],
    );
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

async function loadStates(db: pg.PoolClient, ids: string[]): Promise<Map<string, ConversationState>> {
  if (ids.length === 0) return new Map();
  const found = await db.query<{ id: string; state: ConversationState }>(
    'SELECT id, state FROM report_conversations WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(found.rows.map((row) => [row.id, row.state]));
}

async function saveStates(db: pg.PoolClient, states: ConversationState[]): Promise<void> {
  if (states.length === 0) return;
  await db.query(
    `INSERT INTO report_conversations (id, state)
     SELECT (item->>'id')::uuid, item FROM jsonb_array_elements($1::jsonb) AS item
     ON CONFLICT (id) DO UPDATE SET state = excluded.state`,
    [JSON.stringify(states)],
  );
}

async function loadPresence(db: pg.PoolClient, staffIds: string[]): Promise<Map<string, Presence>> {
  if (staffIds.length === 0) return new Map();
  const found = await db.query<{ staff_id: string; status: string; since: Date }>(
    'SELECT staff_id, status, since FROM report_agent_presence WHERE staff_id = ANY($1::uuid[])',
    [staffIds],
  );
  return new Map(found.rows.map((row) => [row.staff_id, { status: row.status, since: row.since.getTime() }]));
}

async function savePresence(db: pg.PoolClient, rows: Array<{ staffId: string } & Presence>): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO report_agent_presence (staff_id, status, since)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[])
     ON CONFLICT (staff_id) DO UPDATE SET status = excluded.status, since = excluded.since`,
    [rows.map((row) => row.staffId), rows.map((row) => row.status), rows.map((row) => new Date(row.since))],
  );
}

async function insertFacts(db: pg.PoolClient, facts: Fact[]): Promise<void> {
  if (facts.length === 0) return;
  await db.query(
    `INSERT INTO report_facts (metric, occurred_at, conversation_id, channel, category, agent_id, value, business_value, calendar_version)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::float8[], $8::float8[], $9::text[])`,
    [
      facts.map((fact) => fact.metric),
      facts.map((fact) => new Date(fact.at)),
      facts.map((fact) => fact.conversationId),
      facts.map((fact) => fact.channel),
      facts.map((fact) => fact.category),
      facts.map((fact) => fact.agentId),
      facts.map((fact) => fact.value),
      facts.map((fact) => fact.businessValue),
      facts.map((fact) => fact.calendarVersion),
    ],
  );
}

type Sums = { count: number; sum: number; businessSum: number };

/** Adds the batch's facts to every rollup they belong to, summed first so each row is written once. */
async function writeRollups(db: pg.PoolClient, facts: Fact[], periods: LocalPeriods): Promise<void> {
  const sums = new Map<string, Sums>();
  const buckets = new Map<string, number[]>();
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
  if (sums.size > 0) {
    const rows = [...sums.entries()].map(([key, value]) => ({ key: key.split('|'), value }));
    await db.query(
      `INSERT INTO report_rollups (metric, period, dim_kind, period_start, dim_id, channel, count, sum, business_sum)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::bigint[], $8::float8[], $9::float8[])
       ON CONFLICT (metric, period, dim_kind, period_start, dim_id, channel) DO UPDATE SET count = report_rollups.count + excluded.count,
         sum = report_rollups.sum + excluded.sum, business_sum = report_rollups.business_sum + excluded.business_sum`,
      [
        rows.map((row) => row.key[0]),
        rows.map((row) => row.key[1]),
        rows.map((row) => row.key[2]),
        rows.map((row) => new Date(Number(row.key[3]))),
        rows.map((row) => row.key[4]),
        rows.map((row) => row.key[5]),
        rows.map((row) => row.value.count),
        rows.map((row) => row.value.sum),
        rows.map((row) => row.value.businessSum),
      ],
    );
  }
  if (buckets.size > 0) {
    const rows = [...buckets.entries()].map(([key, counts]) => ({ key: key.split('|'), counts }));
    // Adding arrays bucket by bucket: unnest of two arrays walks them side by side, in bucket order.
    await db.query(
      `INSERT INTO report_histograms (metric, period, dim_kind, period_start, dim_id, scale, counts)
       SELECT metric, period, dim_kind, period_start, dim_id, scale, counts::int[]
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::smallint[], $7::text[])
         AS given(metric, period, dim_kind, period_start, dim_id, scale, counts)
       ON CONFLICT (metric, period, dim_kind, period_start, dim_id, scale) DO UPDATE
       SET counts = ARRAY(SELECT coalesce(old, 0) + coalesce(new, 0)
                          FROM unnest(report_histograms.counts, excluded.counts) WITH ORDINALITY AS pair(old, new, at) ORDER BY at)`,
      [
        rows.map((row) => row.key[0]),
        rows.map((row) => row.key[1]),
        rows.map((row) => row.key[2]),
        rows.map((row) => new Date(Number(row.key[3]))),
        rows.map((row) => row.key[4]),
        rows.map((row) => Number(row.key[5])),
        rows.map((row) => `{${row.counts.join(',')}}`),
      ],
    );
  }
}
