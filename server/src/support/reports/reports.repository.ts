import type { ReportBucket } from '@okpay/contracts';
import { and, avg, eq, gt, inArray } from 'drizzle-orm';
import { staffMembers } from '../../identity/index.js';
import type { Queryable } from '../../platform/index.js';
import type { ConversationState, Fact, FactChange } from './conversation-facts.js';
import { addCountsText, exactPercentile, type Histogram, histogramPercentile } from './histogram.js';
import type { LocalPeriods } from './local-periods.js';
import { keepsFacts } from './report-metrics.js';

// Reads of the report tables: the report API's (ReportReader, answering from rollups, histograms and
// raw facts) and the staffing plan's; and the writes of the reports subscriber (build-reports.ts).

/** Whole local days, with optional filters. */
export type ReportScope = { from: number; to: number; channel?: string; agentId?: string; category?: string };
/** How figures are grouped: one total, per channel / agent / category, or per time bucket. */
export type Grouping = 'total' | 'channel' | 'agent' | 'category' | ReportBucket;

export type Sums = { count: number; sum: number; businessSum: number };
/** Per metric, per group key. */
export type GroupedSums = Map<string, Map<string, Sums>>;

export type Distribution = { count: number; p50: number | null; p90: number | null; p95: number | null };
export type DurationStats = { count: number; mean: number | null; businessMean: number | null; wall: Distribution; business: Distribution };

/** How far the conversations behind a number are counted. */
export const drillCountCap = 10_000;

/** Durations are reported to a tenth of a second (no more precise than the events they come from). */
const tenth = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);

/** Up to this many values a percentile is computed from every value; above it, from the histograms. */
export const exactLimit = 3_000;

/** A rollup or histogram row's metric, bucket (see bucketColumn) and dimension value. */
type BucketRow = { metric: string; key_time: Date | null; key_number: number | null; dim_id: string };

type Dimension = { kind: 'all' | 'channel' | 'agent' | 'category'; id: string | null };
type PeriodRange = { period: 'slot' | 'day' | 'month'; from: number; to: number };

/** The range and filters of a facts query: $2 from, $3 to, $4 channel, $5 agent, $6 category (null for any). */
const factFilters = `occurred_at >= $2 AND occurred_at < $3
  AND ($4::text IS NULL OR channel = $4) AND ($5::uuid IS NULL OR agent_id = $5) AND ($6::text IS NULL OR category = $6)`;

/** What a kept fact says besides its metric and conversation. */
type FactRow = {
  occurred_at: Date;
  channel: string;
  category: string | null;
  agent_id: string | null;
  value: number | null;
  business_value: number | null;
};
const factColumns = 'occurred_at, channel, category, agent_id, value, business_value';

/** The values of `factFilters`, $2 to $6. */
const factFilterValues = (scope: ReportScope) => [
  new Date(scope.from),
  new Date(scope.to),
  scope.channel ?? null,
  scope.agentId ?? null,
  scope.category ?? null,
];

/** Median, p90 and p95 to a tenth, however the percentiles are found. */
function distributionOf(count: number, percentile: (fraction: number) => number | null): Distribution {
  return { count, p50: tenth(percentile(0.5)), p90: tenth(percentile(0.9)), p95: tenth(percentile(0.95)) };
}

/** Count and means to a tenth, from a group's count and sums. */
function meansOf(count: number, sum: number, businessSum: number) {
  return count > 0
    ? { count, mean: tenth(sum / count), businessMean: tenth(businessSum / count) }
    : { count: 0, mean: null, businessMean: null };
}

/**
 * The parameters of an `unnest($1::…[], $2::…[], …)` insert: one array per column, in the order
 * `values` lists a row's columns.
 */
function columnsOf<Row>(rows: readonly Row[], values: (row: Row) => unknown[]): unknown[][] {
  const tuples = rows.map(values);
  return (tuples[0] ?? []).map((_, index) => tuples.map((tuple) => tuple[index]));
}

const temporal = new Set<Grouping>(['hour', 'day', 'week', 'month', 'hour_of_week']);

const isDimension = (grouping: Grouping): grouping is 'total' | 'channel' | 'agent' | 'category' => !temporal.has(grouping);

/**
 * The time bucket of a rollup row or fact, grouped in SQL so a year of half hours comes back as 168
 * rows (hour of week) or 365 (days): local starts by date_trunc in the team's zone, or 0–167 for the
 * hour of week.
 */
function bucketColumn(grouping: Grouping, zoneParameter: number, source: 'rollups' | 'facts' = 'rollups'): string {
  const at = source === 'rollups' ? 'period_start' : 'occurred_at';
  if (grouping === 'hour_of_week') {
    return `NULL::timestamptz AS key_time, ((extract(isodow FROM ${at} AT TIME ZONE $${zoneParameter})::int - 1) * 24
      + extract(hour FROM ${at} AT TIME ZONE $${zoneParameter})::int) AS key_number`;
  }
  if (temporal.has(grouping)) {
    const cut = `date_trunc('${grouping}', ${at}, $${zoneParameter})`;
    // A rollup row of the bucket's own period starts its bucket: only the others need cutting in the zone (costly per row).
    return `${source === 'rollups' ? `CASE WHEN period = '${grouping}' THEN period_start ELSE ${cut} END` : cut} AS key_time,
      NULL::int AS key_number`;
  }
  return 'NULL::timestamptz AS key_time, NULL::int AS key_number';
}

/** A fact's group key among the dimensions, in SQL ('' for the total and for time buckets). */
function dimensionKey(grouping: Grouping): string {
  switch (grouping) {
    case 'channel':
      return 'channel';
    case 'agent':
      return "coalesce(agent_id::text, '')";
    case 'category':
      return "coalesce(category, '')";
    default:
      return "''";
  }
}

/**
 * Reads the report tables for one request: sums from the rollups (half hours, days, months; one
 * dimension at a time), falling back to the raw facts when two dimensions meet (an agent and a
 * category) or a sub-day bucket is asked with a filter; percentiles exact from the facts when few,
 * else from the histograms.
 */
export class ReportReader {
  constructor(
    private readonly db: Queryable,
    readonly periods: LocalPeriods,
  ) {}

  /** The dimension the rollups can answer with, or null when only the raw facts can. */
  private dimensionFor(scope: ReportScope, grouping: Grouping): Dimension | null {
    const wanted = new Set<'agent' | 'category'>();
    if (scope.agentId || grouping === 'agent') wanted.add('agent');
    if (scope.category || grouping === 'category') wanted.add('category');
    if (wanted.size > 1) return null;
    if ((grouping === 'hour' || grouping === 'hour_of_week') && wanted.size > 0) return null;
    const kind = [...wanted][0] ?? 'all';
    const id = kind === 'agent' ? (scope.agentId ?? null) : kind === 'category' ? (scope.category ?? null) : '';
    return { kind, id };
  }

  /**
   * The dimension the histograms can answer with: they keep the channel as a dimension of its own
   * (not beside every agent and category), so a channel crossed with an agent or category has none.
   */
  private histogramDimensionFor(scope: ReportScope, grouping: Grouping): Dimension | null {
    const wanted = new Set<'channel' | 'agent' | 'category'>();
    if (scope.channel || grouping === 'channel') wanted.add('channel');
    if (scope.agentId || grouping === 'agent') wanted.add('agent');
    if (scope.category || grouping === 'category') wanted.add('category');
    if (wanted.size > 1 || grouping === 'hour' || grouping === 'hour_of_week') return null;
    const kind = [...wanted][0] ?? 'all';
    const id = { all: '', channel: scope.channel ?? null, agent: scope.agentId ?? null, category: scope.category ?? null }[kind];
    return { kind, id };
  }

  /** The rollup periods that cover the range: half hours, days, or months with days at their ends. */
  private plan(scope: ReportScope, grouping: Grouping): PeriodRange[] {
    if (grouping === 'hour' || grouping === 'hour_of_week') return [{ period: 'slot', from: scope.from, to: scope.to }];
    if (grouping === 'day' || grouping === 'week') return [{ period: 'day', from: scope.from, to: scope.to }];
    let firstMonth = this.periods.startOf('month', scope.from);
    if (firstMonth < scope.from) firstMonth = this.periods.next('month', firstMonth);
    const lastMonth = this.periods.startOf('month', scope.to);
    if (firstMonth >= lastMonth) return [{ period: 'day', from: scope.from, to: scope.to }];
    return [
      { period: 'day', from: scope.from, to: firstMonth },
      { period: 'month', from: firstMonth, to: lastMonth },
      { period: 'day', from: lastMonth, to: scope.to },
    ].filter((range) => range.from < range.to) as PeriodRange[];
  }

  /** The group key of a row or fact. */
  keyOf(grouping: Grouping, row: { at: number; channel: string; agentId: string | null; category: string | null }): string {
    switch (grouping) {
      case 'total':
        return '';
      case 'channel':
        return row.channel;
      case 'agent':
        return row.agentId ?? '';
      case 'category':
        return row.category ?? '';
      case 'hour_of_week':
        return String(this.periods.hourOfWeek(row.at));
      default:
        return new Date(this.periods.startOf(grouping === 'hour' ? 'hour' : grouping, row.at)).toISOString();
    }
  }

  /**
   * The group key of a rollup or histogram row: its bucket, or the dimension it was read by (the
   * channel a column of its own in the rollups, a dimension in the histograms).
   */
  private rowKey(grouping: Grouping, dimension: Dimension, scope: ReportScope, row: BucketRow & { channel?: string }): string {
    if (row.key_number !== null) return String(row.key_number);
    return this.keyOf(grouping, {
      at: row.key_time?.getTime() ?? scope.from,
      channel: row.channel ?? (dimension.kind === 'channel' ? row.dim_id : ''),
      agentId: dimension.kind === 'agent' ? row.dim_id : null,
      category: dimension.kind === 'category' ? row.dim_id : null,
    });
  }

  /**
   * The WHERE of a rollup or histogram read over these periods, and the bucket columns for the
   * grouping (`key_time`, `key_number`) that read selects.
   */
  private whereRollups(
    metrics: string[],
    scope: ReportScope,
    grouping: Grouping,
    dimension: Dimension,
    ranges: PeriodRange[],
    hasChannel = true,
  ) {
    const values: unknown[] = [metrics, dimension.kind, dimension.id, hasChannel ? (scope.channel ?? null) : null];
    const periods = ranges.map((range) => {
      values.push(range.period, new Date(range.from), new Date(range.to));
      const at = values.length;
      return `(period = $${at - 2} AND period_start >= $${at - 1} AND period_start < $${at})`;
    });
    // The zone is a parameter only where the bucket uses it (an unused parameter has no type).
    if (temporal.has(grouping)) values.push(this.periods.timeZone);
    return {
      text: `metric = ANY($1::text[]) AND dim_kind = $2 AND ($3::text IS NULL OR dim_id = $3)
             AND ${hasChannel ? '($4::text IS NULL OR channel = $4)' : '$4::text IS NULL'}
             AND (${periods.join(' OR ')})`,
      values,
      bucket: bucketColumn(grouping, values.length),
    };
  }

  private async facts(metrics: string[], scope: ReportScope) {
    const found = await this.db.$client.query<FactRow & { metric: string }>(
      `SELECT metric, ${factColumns} FROM report_facts
       WHERE metric = ANY($1::text[]) AND ${factFilters}`,
      [metrics, ...factFilterValues(scope)],
    );
    return found.rows.map((row) => ({
      metric: row.metric,
      at: row.occurred_at.getTime(),
      channel: row.channel,
      category: row.category,
      agentId: row.agent_id,
      value: row.value,
      businessValue: row.business_value,
    }));
  }

  /**
   * Counts and sums per metric and group. Metrics with no raw facts cannot be answered where only
   * the facts can (two dimensions at once): they come back empty, and `missing` names them.
   */
  async sums(metrics: string[], scope: ReportScope, grouping: Grouping): Promise<{ sums: GroupedSums; missing: string[] }> {
    const sums: GroupedSums = new Map(metrics.map((metric) => [metric, new Map()]));
    const add = (metric: string, key: string, count: number, sum: number, businessSum: number) => {
      const byKey = sums.get(metric) as Map<string, Sums>;
      const current = byKey.get(key) ?? { count: 0, sum: 0, businessSum: 0 };
      current.count += count;
      current.sum += sum;
      current.businessSum += businessSum;
      byKey.set(key, current);
    };
    const dimension = this.dimensionFor(scope, grouping);
    if (!dimension) {
      // Two dimensions at once (an agent's categories, an agent's hours): the facts, added up by the
      // database (an agent's year is about 100,000 facts, read from the agent index alone).
      const answerable = metrics.filter(keepsFacts);
      for (const row of await this.factSums(answerable, scope, grouping)) {
        const key =
          row.key_number !== null
            ? String(row.key_number)
            : row.key_time
              ? this.keyOf(grouping, { at: row.key_time.getTime(), channel: '', agentId: null, category: null })
              : row.key;
        add(row.metric, key, Number(row.count), Number(row.sum), Number(row.business_sum));
      }
      return { sums, missing: metrics.filter((metric) => !keepsFacts(metric)) };
    }
    if (grouping === 'hour_of_week' && dimension.kind === 'all') {
      // A row per local day and channel with its 24 hours, rather than every half hour of the range.
      for (const row of await listDayHours(this.db, { metrics, from: scope.from, to: scope.to, channel: scope.channel })) {
        const weekStart = Math.floor(this.periods.hourOfWeek(row.dayStart.getTime()) / 24) * 24;
        for (let hour = 0; hour < 24; hour++) {
          const count = row.counts[hour] ?? 0;
          const sum = row.sums[hour] ?? 0;
          if (count !== 0 || sum !== 0) add(row.metric, String(weekStart + hour), count, sum, row.businessSums[hour] ?? 0);
        }
      }
      return { sums, missing: [] };
    }
    const where = this.whereRollups(metrics, scope, grouping, dimension, this.plan(scope, grouping));
    const found = await this.db.$client.query<BucketRow & { channel: string; count: string; sum: number; business_sum: number }>(
      `SELECT metric, ${where.bucket}, dim_id, channel,
              sum(count) AS count, sum(sum) AS sum, sum(business_sum) AS business_sum
       FROM report_rollups WHERE ${where.text}
       GROUP BY 1, 2, 3, 4, 5`,
      where.values,
    );
    for (const row of found.rows) {
      add(row.metric, this.rowKey(grouping, dimension, scope, row), Number(row.count), Number(row.sum), Number(row.business_sum));
    }
    return { sums, missing: [] };
  }

  /**
   * Median, p90 and p95 of duration metrics per group, wall-clock and business. Exact (from every
   * value) when there are few enough, else from the rollups' histograms; sub-day buckets and
   * crossed dimensions have exact figures only.
   */
  async durations(
    metrics: string[],
    scope: ReportScope,
    grouping: Grouping,
    counted: GroupedSums,
  ): Promise<{ stats: Map<string, Map<string, DurationStats>>; method: 'exact' | 'histogram' }> {
    const total = metrics.reduce(
      (sum, metric) => sum + [...(counted.get(metric)?.values() ?? [])].reduce((all, item) => all + item.count, 0),
      0,
    );
    const dimension = this.histogramDimensionFor(scope, grouping);
    const stats = new Map<string, Map<string, DurationStats>>(metrics.map((metric) => [metric, new Map()]));
    const meanOf = (metric: string, key: string) => {
      const sums = counted.get(metric)?.get(key);
      return meansOf(sums?.count ?? 0, sums?.sum ?? 0, sums?.businessSum ?? 0);
    };
    if (total <= exactLimit || !dimension) {
      if (total > exactLimit * 5) {
        // Too many values to sort on request: counts and means only.
        for (const metric of metrics) {
          for (const key of counted.get(metric)?.keys() ?? []) {
            const none = { count: meanOf(metric, key).count, p50: null, p90: null, p95: null };
            stats.get(metric)?.set(key, { ...meanOf(metric, key), wall: none, business: none });
          }
        }
        return { stats, method: 'histogram' };
      }
      if (isDimension(grouping)) {
        // Per channel, agent or category the database sorts (percentile_cont, the rule exactPercentile follows) and
        // sends a row per group rather than every value.
        const fractions = [0.5, 0.9, 0.95];
        for (const row of await this.exactDurations(metrics, scope, grouping)) {
          const count = Number(row.count);
          // The database answers the fractions in that order.
          const distribution = (percentiles: number[]) =>
            distributionOf(count, (fraction) => percentiles[fractions.indexOf(fraction)] ?? null);
          stats.get(row.metric)?.set(row.key, {
            ...meansOf(count, row.sum, row.business_sum),
            wall: distribution(row.wall),
            business: distribution(row.business),
          });
        }
        return { stats, method: 'exact' };
      }
      const values = new Map<string, { wall: number[]; business: number[] }>();
      for (const fact of await this.facts(metrics, scope)) {
        const id = `${fact.metric}|${this.keyOf(grouping, fact)}`;
        const entry = values.get(id) ?? { wall: [], business: [] };
        entry.wall.push(fact.value ?? 0);
        entry.business.push(fact.businessValue ?? 0);
        values.set(id, entry);
      }
      for (const [id, entry] of values) {
        const [metric = '', key = ''] = id.split('|');
        entry.wall.sort((left, right) => left - right);
        entry.business.sort((left, right) => left - right);
        const distribution = (sorted: number[]) => distributionOf(sorted.length, (fraction) => exactPercentile(sorted, fraction));
        const sum = entry.wall.reduce((all, value) => all + value, 0);
        const businessSum = entry.business.reduce((all, value) => all + value, 0);
        stats.get(metric)?.set(key, {
          ...meansOf(entry.wall.length, sum, businessSum),
          wall: distribution(entry.wall),
          business: distribution(entry.business),
        });
      }
      return { stats, method: 'exact' };
    }
    const where = this.whereRollups(
      metrics,
      scope,
      grouping,
      dimension,
      this.plan(scope, grouping).filter((range) => range.period !== 'slot'),
      false,
    );
    // One row per period, dimension and scale with all its bucket counts: a year per agent is a few thousand arrays.
    const found = await this.db.$client.query<BucketRow & { scale: number; counts: string }>(
      // The counts as text: a year per agent is thousands of arrays of 108, parsed faster by hand than as int[].
      `SELECT metric, ${where.bucket}, dim_id, scale, counts::text AS counts
       FROM report_histograms WHERE ${where.text}`,
      where.values,
    );
    const histograms = new Map<string, [Histogram, Histogram]>();
    for (const row of found.rows) {
      const id = `${row.metric}|${this.rowKey(grouping, dimension, scope, row)}`;
      const pair = histograms.get(id) ?? [new Map(), new Map()];
      const target = pair[row.scale === 1 ? 1 : 0];
      addCountsText(target, row.counts);
      histograms.set(id, pair);
    }
    for (const [id, [wall, business]] of histograms) {
      const [metric = '', key = ''] = id.split('|');
      const base = meanOf(metric, key);
      const distribution = (histogram: Histogram) => distributionOf(base.count, (fraction) => histogramPercentile(histogram, fraction));
      stats.get(metric)?.set(key, { ...base, wall: distribution(wall), business: distribution(business) });
    }
    return { stats, method: 'histogram' };
  }

  /** Count and sums per metric and group, from the facts. */
  private async factSums(metrics: string[], scope: ReportScope, grouping: Grouping) {
    const values: unknown[] = [metrics, ...factFilterValues(scope)];
    if (temporal.has(grouping)) values.push(this.periods.timeZone);
    const found = await this.db.$client.query<{
      metric: string;
      key: string;
      key_time: Date | null;
      key_number: number | null;
      count: string;
      sum: number;
      business_sum: number;
    }>(
      `SELECT metric, ${dimensionKey(grouping)} AS key, ${bucketColumn(grouping, values.length, 'facts')},
              count(*) AS count, sum(coalesce(value, 0)) AS sum, sum(coalesce(business_value, 0)) AS business_sum
       FROM report_facts WHERE metric = ANY($1::text[]) AND ${factFilters}
       GROUP BY 1, 2, 3, 4`,
      values,
    );
    return found.rows;
  }

  /** Count, sums and exact median, p90 and p95 per metric and channel, agent or category (or in total), from the facts. */
  private async exactDurations(metrics: string[], scope: ReportScope, grouping: 'total' | 'channel' | 'agent' | 'category') {
    const key = dimensionKey(grouping);
    const found = await this.db.$client.query<{
      metric: string;
      key: string;
      count: string;
      sum: number;
      business_sum: number;
      wall: number[];
      business: number[];
    }>(
      `SELECT metric, ${key} AS key, count(*) AS count, sum(coalesce(value, 0)) AS sum, sum(coalesce(business_value, 0)) AS business_sum,
              percentile_cont(ARRAY[0.5, 0.9, 0.95]) WITHIN GROUP (ORDER BY coalesce(value, 0)) AS wall,
              percentile_cont(ARRAY[0.5, 0.9, 0.95]) WITHIN GROUP (ORDER BY coalesce(business_value, 0)) AS business
       FROM report_facts WHERE metric = ANY($1::text[]) AND ${factFilters}
       GROUP BY 1, 2`,
      [metrics, ...factFilterValues(scope)],
    );
    return found.rows;
  }

  /** The kept facts behind a number, newest first. */
  async conversations(metric: string, scope: ReportScope, limit: number) {
    const found = await this.db.$client.query<FactRow & { conversation_id: string | null }>(
      `SELECT conversation_id, ${factColumns} FROM report_facts
       WHERE metric = $1 AND ${factFilters}
       ORDER BY occurred_at DESC LIMIT $7`,
      [metric, ...factFilterValues(scope), limit],
    );
    // Counting every fact of a year would cost more than the list: past the cap it says "more than".
    const counted = await this.db.$client.query<{ total: string }>(
      `SELECT count(*) AS total FROM (SELECT 1 FROM report_facts
         WHERE metric = $1 AND ${factFilters}
         LIMIT $7) capped`,
      [metric, ...factFilterValues(scope), drillCountCap + 1],
    );
    const total = Number(counted.rows[0]?.total ?? 0);
    return { total: Math.min(total, drillCountCap), isTotalCapped: total > drillCountCap, rows: found.rows };
  }
}

/** The SLA targets the clocks have reported so far, as `sla_met:<target>` / `sla_breached:<target>` metrics. */
export async function listSlaMetrics(db: Queryable): Promise<string[]> {
  const found = await db.$client.query<{ metric: string }>(
    "SELECT DISTINCT metric FROM report_rollups WHERE metric LIKE 'sla\\_%' AND period = 'month' AND dim_kind = 'all'",
  );
  return found.rows.map((row) => row.metric);
}

/** Display names of staff members by id (ids that are not uuids or not found are left out). */
export async function staffNames(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const known = ids.filter((id) => /^[0-9a-f-]{36}$/.test(id));
  if (known.length === 0) return new Map();
  const rows = await db
    .select({ id: staffMembers.id, name: staffMembers.displayName })
    .from(staffMembers)
    .where(inArray(staffMembers.id, known));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Half-hour rollups of the whole team for one channel: count and sum of each metric per slot. */
export async function listSlotRollups(
  db: Queryable,
  input: { metrics: string[]; channel: string; from: number; to: number },
): Promise<Array<{ metric: string; periodStart: Date; count: number; sum: number }>> {
  const found = await db.$client.query<{ metric: string; period_start: Date; count: string; sum: number }>(
    `SELECT metric, period_start, count, sum FROM report_rollups
     WHERE metric = ANY($1::text[]) AND period = 'slot' AND dim_kind = 'all' AND dim_id = '' AND channel = $2
       AND period_start >= $3 AND period_start < $4`,
    [input.metrics, input.channel, new Date(input.from), new Date(input.to)],
  );
  return found.rows.map((row) => ({ metric: row.metric, periodStart: row.period_start, count: Number(row.count), sum: row.sum }));
}

/** The first local day with this metric on record for a channel. */
export async function firstDayOf(db: Queryable, metric: string, channel: string): Promise<Date | undefined> {
  const found = await db.$client.query<{ first: Date | null }>(
    `SELECT min(period_start) AS first FROM report_rollups
     WHERE metric = $1 AND period = 'day' AND dim_kind = 'all' AND dim_id = '' AND channel = $2`,
    [metric, channel],
  );
  return found.rows[0]?.first ?? undefined;
}

/** Count and sum of a metric over whole days of one channel. */
export async function sumDays(
  db: Queryable,
  input: { metric: string; channel: string; from: number; to: number },
): Promise<{ count: number; sum: number }> {
  const found = await db.$client.query<{ count: string; sum: number }>(
    `SELECT coalesce(sum(count), 0) AS count, coalesce(sum(sum), 0) AS sum FROM report_rollups
     WHERE metric = $1 AND period = 'day' AND dim_kind = 'all' AND dim_id = '' AND channel = $2 AND period_start >= $3 AND period_start < $4`,
    [input.metric, input.channel, new Date(input.from), new Date(input.to)],
  );
  return { count: Number(found.rows[0]?.count ?? 0), sum: Number(found.rows[0]?.sum ?? 0) };
}

/** The chats an agent usually holds at once: the active agents' configured capacity, rounded. */
export async function averageChatCapacity(db: Queryable): Promise<number | undefined> {
  const [row] = await db
    .select({ capacity: avg(staffMembers.chatCapacity) })
    .from(staffMembers)
    .where(and(eq(staffMembers.isActive, true), inArray(staffMembers.role, ['agent', 'supervisor']), gt(staffMembers.chatCapacity, 0)));
  return row?.capacity === null || row?.capacity === undefined ? undefined : Math.round(Number(row.capacity));
}

// ── Writes: the reports subscriber's alone (build-reports.ts), inside its batch's transaction ──────────

/** Where the report tables stand, locked for the batch; undefined before the first batch. */
export async function lockReportState(db: Queryable): Promise<{ position: number; timeZone: string } | undefined> {
  const found = await db.$client.query<{ position: string; time_zone: string }>(
    'SELECT position, time_zone FROM report_state WHERE id = 1 FOR UPDATE',
  );
  const row = found.rows[0];
  return row ? { position: Number(row.position), timeZone: row.time_zone } : undefined;
}

/** The subscriber's cursor: behind the report state's position when it was sent back to replay. */
export async function subscriberPosition(db: Queryable, subscriber: string): Promise<number> {
  const found = await db.$client.query<{ position: string }>('SELECT position FROM event_subscriptions WHERE name = $1', [subscriber]);
  return Number(found.rows[0]?.position ?? 0);
}

const reportTables = [
  'report_conversations',
  'report_facts',
  'report_rollups',
  'report_histograms',
  'report_day_hours',
  'report_agent_presence',
];

/** Empties every report table for a replay, to cut days in `timeZone` from now on. */
export async function clearReportTables(db: Queryable, timeZone: string): Promise<void> {
  await db.$client.query(`TRUNCATE ${reportTables.join(', ')}`);
  await db.$client.query('UPDATE report_state SET position = 0, time_zone = $1 WHERE id = 1', [timeZone]);
}

/** Records the last event folded in (never going back) and the zone of the tables' days. */
export async function saveReportPosition(db: Queryable, position: number, timeZone: string): Promise<void> {
  await db.$client.query(
    `INSERT INTO report_state (id, position, time_zone) VALUES (1, $1, $2)
     ON CONFLICT (id) DO UPDATE SET position = greatest(report_state.position, excluded.position)`,
    [position, timeZone],
  );
}

export type AgentPresence = { status: string; since: number };

export async function loadStates(db: Queryable, ids: string[]): Promise<Map<string, ConversationState>> {
  if (ids.length === 0) return new Map();
  const found = await db.$client.query<{ id: string; state: ConversationState }>(
    'SELECT id, state FROM report_conversations WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(found.rows.map((row) => [row.id, row.state]));
}

export async function saveStates(db: Queryable, states: ConversationState[]): Promise<void> {
  if (states.length === 0) return;
  await db.$client.query(
    `INSERT INTO report_conversations (id, state)
     SELECT (item->>'id')::uuid, item FROM jsonb_array_elements($1::jsonb) AS item
     ON CONFLICT (id) DO UPDATE SET state = excluded.state`,
    [JSON.stringify(states)],
  );
}

export async function loadPresence(db: Queryable, staffIds: string[]): Promise<Map<string, AgentPresence>> {
  if (staffIds.length === 0) return new Map();
  const found = await db.$client.query<{ staff_id: string; status: string; since: Date }>(
    'SELECT staff_id, status, since FROM report_agent_presence WHERE staff_id = ANY($1::uuid[])',
    [staffIds],
  );
  return new Map(found.rows.map((row) => [row.staff_id, { status: row.status, since: row.since.getTime() }]));
}

export async function savePresence(db: Queryable, rows: Array<{ staffId: string } & AgentPresence>): Promise<void> {
  if (rows.length === 0) return;
  await db.$client.query(
    `INSERT INTO report_agent_presence (staff_id, status, since)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[])
     ON CONFLICT (staff_id) DO UPDATE SET status = excluded.status, since = excluded.since`,
    columnsOf(rows, (row) => [row.staffId, row.status, new Date(row.since)]),
  );
}

export async function insertFacts(db: Queryable, facts: Fact[]): Promise<void> {
  if (facts.length === 0) return;
  await db.$client.query(
    `INSERT INTO report_facts (metric, occurred_at, conversation_id, channel, category, agent_id, value, business_value, calendar_version)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::float8[], $8::float8[], $9::text[])`,
    columnsOf(facts, (fact) => [
      fact.metric,
      new Date(fact.at),
      fact.conversationId,
      fact.channel,
      fact.category,
      fact.agentId,
      fact.value,
      fact.businessValue,
      fact.calendarVersion,
    ]),
  );
}

/** Changes the value of kept facts (a changed rating), found by metric, time and conversation, in order. */
export async function updateFactValues(db: Queryable, changes: FactChange[]): Promise<void> {
  for (const change of changes) {
    await db.$client.query('UPDATE report_facts SET value = $4 WHERE metric = $1 AND occurred_at = $2 AND conversation_id = $3', [
      change.metric,
      new Date(change.at),
      change.conversationId,
      change.value,
    ]);
  }
}

/** A PostgreSQL array literal of numbers, cast by the statement (parsed there faster than a bound array). */
const arrayText = (values: number[]) => `{${values.join(',')}}`;

export type RollupAddition = { metric: string; period: string; dimKind: string; periodStart: Date; dimId: string; channel: string } & Sums;

/** Adds counts and sums to the rollups (one row each, summed beforehand). */
export async function addToRollups(db: Queryable, rows: RollupAddition[]): Promise<void> {
  if (rows.length === 0) return;
  await db.$client.query(
    `INSERT INTO report_rollups (metric, period, dim_kind, period_start, dim_id, channel, count, sum, business_sum)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::bigint[], $8::float8[], $9::float8[])
     ON CONFLICT (metric, period, dim_kind, period_start, dim_id, channel) DO UPDATE SET count = report_rollups.count + excluded.count,
       sum = report_rollups.sum + excluded.sum, business_sum = report_rollups.business_sum + excluded.business_sum`,
    columnsOf(rows, (row) => [
      row.metric,
      row.period,
      row.dimKind,
      row.periodStart,
      row.dimId,
      row.channel,
      row.count,
      row.sum,
      row.businessSum,
    ]),
  );
}

export type HistogramAddition = {
  metric: string;
  period: string;
  dimKind: string;
  periodStart: Date;
  dimId: string;
  scale: number;
  counts: number[];
};

/** Adds bucket counts to the histograms, bucket by bucket. */
export async function addToHistograms(db: Queryable, rows: HistogramAddition[]): Promise<void> {
  if (rows.length === 0) return;
  // Adding arrays bucket by bucket: unnest of two arrays walks them side by side, in bucket order.
  await db.$client.query(
    `INSERT INTO report_histograms (metric, period, dim_kind, period_start, dim_id, scale, counts)
     SELECT metric, period, dim_kind, period_start, dim_id, scale, counts::int[]
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::smallint[], $7::text[])
       AS given(metric, period, dim_kind, period_start, dim_id, scale, counts)
     ON CONFLICT (metric, period, dim_kind, period_start, dim_id, scale) DO UPDATE
     SET counts = ARRAY(SELECT coalesce(old, 0) + coalesce(new, 0)
                        FROM unnest(report_histograms.counts, excluded.counts) WITH ORDINALITY AS pair(old, new, at) ORDER BY at)`,
    columnsOf(rows, (row) => [row.metric, row.period, row.dimKind, row.periodStart, row.dimId, row.scale, arrayText(row.counts)]),
  );
}

/** One local day's figures per local hour (24 entries each). */
export type DayHours = { metric: string; dayStart: Date; channel: string; counts: number[]; sums: number[]; businessSums: number[] };

/** Adds to the day-by-hour rollups, hour by hour. */
export async function addToDayHours(db: Queryable, rows: DayHours[]): Promise<void> {
  if (rows.length === 0) return;
  await db.$client.query(
    `INSERT INTO report_day_hours (metric, day_start, channel, counts, sums, business_sums)
     SELECT metric, day_start, channel, counts::bigint[], sums::float8[], business_sums::float8[]
     FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[])
       AS given(metric, day_start, channel, counts, sums, business_sums)
     ON CONFLICT (metric, day_start, channel) DO UPDATE
     SET counts = ARRAY(SELECT old + new FROM unnest(report_day_hours.counts, excluded.counts) WITH ORDINALITY AS pair(old, new, at) ORDER BY at),
         sums = ARRAY(SELECT old + new FROM unnest(report_day_hours.sums, excluded.sums) WITH ORDINALITY AS pair(old, new, at) ORDER BY at),
         business_sums = ARRAY(SELECT old + new FROM unnest(report_day_hours.business_sums, excluded.business_sums)
                               WITH ORDINALITY AS pair(old, new, at) ORDER BY at)`,
    columnsOf(rows, (row) => [
      row.metric,
      row.dayStart,
      row.channel,
      arrayText(row.counts),
      arrayText(row.sums),
      arrayText(row.businessSums),
    ]),
  );
}

/** The day-by-hour rollups of the whole team for local days starting in [from, to). */
export async function listDayHours(
  db: Queryable,
  input: { metrics: string[]; from: number; to: number; channel?: string },
): Promise<DayHours[]> {
  const found = await db.$client.query<{
    metric: string;
    day_start: Date;
    channel: string;
    counts: string[];
    sums: number[];
    business_sums: number[];
  }>(
    `SELECT metric, day_start, channel, counts, sums, business_sums FROM report_day_hours
     WHERE metric = ANY($1::text[]) AND day_start >= $2 AND day_start < $3 AND ($4::text IS NULL OR channel = $4)`,
    [input.metrics, new Date(input.from), new Date(input.to), input.channel ?? null],
  );
  return found.rows.map((row) => ({
    metric: row.metric,
    dayStart: row.day_start,
    channel: row.channel,
    counts: row.counts.map(Number),
    sums: row.sums,
    businessSums: row.business_sums,
  }));
}
