import type { Locale, Report, ReportBucket, ReportName, ReportTable } from '@okpay/contracts';
import { ratingReasons } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { bucketLabel, type ReportLabels, reportLabels } from './report-labels.js';
import { csatReasonKey, csatScoreKey, durationMetricKeys, metricKeys, slaKeys } from './report-metrics.js';
import {
  type DurationStats,
  type GroupedSums,
  type Grouping,
  listSlaMetrics,
  type ReportReader,
  type ReportScope,
  type Sums,
  staffNames,
} from './reports.repository.js';

type Column = ReportTable['columns'][number];
type Row = ReportTable['rows'][number];
type Filter = Row['filter'];

type Context = {
  db: Queryable;
  reader: ReportReader;
  scope: ReportScope;
  bucket: ReportBucket;
  locale: Locale;
  labels: ReportLabels;
};

const column = (key: string, label: string, kind: Column['kind'], metric: string | null = null): Column => ({ key, label, kind, metric });
const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const countOf = (sums: GroupedSums, metric: string, key = ''): number => sums.get(metric)?.get(key)?.count ?? 0;
const sumsOf = (sums: GroupedSums, metric: string, key = ''): Sums | undefined => sums.get(metric)?.get(key);
const keysOf = (...groups: Array<Map<string, unknown> | undefined>) => [...new Set(groups.flatMap((group) => [...(group?.keys() ?? [])]))];

/** Every bucket of the range in order, so charts show the quiet ones too. */
function bucketKeys(context: Context): string[] {
  if (context.bucket === 'hour_of_week') return Array.from({ length: 168 }, (_, index) => String(index));
  const periods = context.reader.periods;
  const kind = context.bucket === 'hour' ? 'hour' : context.bucket;
  const keys: string[] = [];
  for (let at = periods.startOf(kind, context.scope.from); at < context.scope.to; at = periods.next(kind, at)) {
    keys.push(new Date(at).toISOString());
  }
  return keys;
}

function bucketFilter(context: Context, key: string): Filter {
  if (context.bucket === 'hour_of_week') return {};
  const periods = context.reader.periods;
  const start = Date.parse(key);
  const end = periods.next(context.bucket === 'hour' ? 'hour' : context.bucket, start);
  return { from: new Date(Math.max(start, context.scope.from)).toISOString(), to: new Date(Math.min(end, context.scope.to)).toISOString() };
}

function labelOf(context: Context, key: string): string {
  const periods = context.reader.periods;
  return bucketLabel(
    context.labels,
    context.bucket,
    key,
    (at) => periods.dateLabel(at),
    (at) => periods.timeLabel(at),
  );
}

async function agentNames(db: Queryable, ids: string[], labels: ReportLabels): Promise<Map<string, string>> {
  const found = await staffNames(db, ids);
  return new Map(ids.map((id) => [id, id === '' ? labels.columns.noAgent : (found.get(id) ?? labels.columns.unknownAgent)]));
}

/** The rows of a breakdown table: one per channel, agent or category that has anything. */
async function dimensionRows(
  context: Context,
  grouping: 'channel' | 'agent' | 'category',
  keys: string[],
): Promise<Array<{ key: string; name: string; filter: Filter }>> {
  const { labels } = context;
  if (grouping === 'agent') {
    const names = await agentNames(context.db, keys, labels);
    return keys
      .map((key) => ({ key, name: names.get(key) ?? key, filter: key ? { agentId: key } : {} }))
      .sort((left, right) => left.name.localeCompare(right.name, context.locale));
  }
  const names = grouping === 'channel' ? labels.channels : labels.categories;
  return keys.map((key) => ({ key, name: names[key] ?? key, filter: { [grouping]: key } }));
}

type Cells = Row['cells'];

/** The points of a report's chart: one per bucket of the range. */
function seriesPoints(context: Context, keys: string[], valuesOf: (key: string) => Report['series'][number]['values']): Report['series'] {
  return keys.map((key) => ({ key, label: labelOf(context, key), values: valuesOf(key) }));
}

/** The table of a report's buckets: one row per bucket, each drilling down to its own days or hours. */
function seriesTable(context: Context, keys: string[], columns: Column[], cellsOf: (key: string) => Cells): ReportTable {
  return {
    id: 'series',
    title: context.labels.tables.series,
    columns: [column('bucket', context.labels.columns.bucket, 'text'), ...columns],
    rows: keys.map((key) => ({ cells: { bucket: labelOf(context, key), ...cellsOf(key) }, filter: bucketFilter(context, key) })),
  };
}

/** A breakdown table: one row per channel, agent or category that has anything, drilling down to it. */
async function breakdownTable(
  context: Context,
  id: 'channels' | 'agents' | 'categories',
  grouping: 'channel' | 'agent' | 'category',
  keys: string[],
  columns: Column[],
  cellsOf: (key: string) => Cells,
): Promise<ReportTable> {
  const rows = await dimensionRows(context, grouping, keys);
  return {
    id,
    title: context.labels.tables[id],
    columns: [column('name', context.labels.columns[grouping], 'text'), ...columns],
    rows: rows.map((row) => ({ cells: { name: row.name, ...cellsOf(row.key) }, filter: row.filter })),
  };
}

// ── Volume ───────────────────────────────────────────────────────────────────────────────────

const volumeMetrics = [
  metricKeys.created,
  metricKeys.resolved,
  metricKeys.reopened,
  metricKeys.transferred,
  metricKeys.abandoned,
  metricKeys.replies,
];

async function volume(context: Context): Promise<Omit<Report, 'name' | 'from' | 'to' | 'timeZone' | 'bucket'>> {
  const { reader, scope, labels } = context;
  const [total, series, channels, agents, categories, heatmap] = await Promise.all([
    reader.sums(volumeMetrics, scope, 'total'),
    reader.sums(volumeMetrics, scope, context.bucket),
    reader.sums(volumeMetrics, scope, 'channel'),
    reader.sums([metricKeys.resolved, metricKeys.reopened, metricKeys.transferred, metricKeys.replies], scope, 'agent'),
    reader.sums(volumeMetrics, scope, 'category'),
    reader.sums([metricKeys.created], scope, 'hour_of_week'),
  ]);
  const created = countOf(total.sums, metricKeys.created);
  const resolved = countOf(total.sums, metricKeys.resolved);
  const chatCreated = countOf(channels.sums, metricKeys.created, 'chat');
  const metricColumns = (withCreated: boolean) => [
    ...(withCreated ? [column('created', labels.metrics.created ?? '', 'number', metricKeys.created)] : []),
    column('resolved', labels.metrics.resolved ?? '', 'number', metricKeys.resolved),
    column('reopened', labels.metrics.reopened ?? '', 'number', metricKeys.reopened),
    column('reopenRate', labels.columns.reopenRate, 'percent'),
    column('transferred', labels.metrics.transferred ?? '', 'number', metricKeys.transferred),
    ...(withCreated ? [column('abandoned', labels.metrics.abandoned ?? '', 'number', metricKeys.abandoned)] : []),
    column('replies', labels.metrics.replies ?? '', 'number'),
  ];
  const cells = (sums: GroupedSums, key: string) => ({
    created: countOf(sums, metricKeys.created, key),
    resolved: countOf(sums, metricKeys.resolved, key),
    reopened: countOf(sums, metricKeys.reopened, key),
    reopenRate: ratio(countOf(sums, metricKeys.reopened, key), countOf(sums, metricKeys.resolved, key)),
    transferred: countOf(sums, metricKeys.transferred, key),
    abandoned: countOf(sums, metricKeys.abandoned, key),
    replies:
      total.missing.includes(metricKeys.replies) || series.missing.includes(metricKeys.replies)
        ? null
        : countOf(sums, metricKeys.replies, key),
  });
  const keys = bucketKeys(context);
  const breakdown = (id: 'channels' | 'agents' | 'categories', grouping: 'channel' | 'agent' | 'category', sums: GroupedSums) =>
    breakdownTable(
      context,
      id,
      grouping,
      keysOf(...volumeMetrics.map((metric) => sums.get(metric))),
      metricColumns(grouping !== 'agent'),
      (key) => cells(sums, key),
    );
  return {
    method: 'exact',
    summary: {
      created,
      resolved,
      reopened: countOf(total.sums, metricKeys.reopened),
      reopenRate: ratio(countOf(total.sums, metricKeys.reopened), resolved),
      transferred: countOf(total.sums, metricKeys.transferred),
      abandoned: countOf(total.sums, metricKeys.abandoned),
      abandonmentRate: ratio(countOf(total.sums, metricKeys.abandoned), chatCreated),
      replies: total.missing.includes(metricKeys.replies) ? null : countOf(total.sums, metricKeys.replies),
    },
    series: seriesPoints(context, keys, (key) => cells(series.sums, key)),
    tables: [
      seriesTable(context, keys, metricColumns(true), (key) => cells(series.sums, key)),
      await breakdown('channels', 'channel', channels.sums),
      await breakdown('categories', 'category', categories.sums),
      await breakdown('agents', 'agent', agents.sums),
    ],
    heatmap: Array.from({ length: 168 }, (_, index) => ({
      weekday: Math.floor(index / 24),
      hour: index % 24,
      value: countOf(heatmap.sums, metricKeys.created, String(index)),
    })),
  };
}

// ── Response times ───────────────────────────────────────────────────────────────────────────

async function responseTimes(context: Context): Promise<Omit<Report, 'name' | 'from' | 'to' | 'timeZone' | 'bucket'>> {
  const { reader, scope, labels } = context;
  const metrics = [...durationMetricKeys];
  // Percentiles of every duration for the whole range; per bucket, channel, agent and category only
  // those the charts and tables show (first response and resolution), the others' means from the sums.
  const shown = [metricKeys.firstResponse, metricKeys.resolution];
  const grouped = async (grouping: Grouping, percentiles: string[] = shown) => {
    const counted = await reader.sums(metrics, scope, grouping);
    const found = await reader.durations(percentiles, scope, grouping, counted.sums);
    for (const metric of metrics.filter((item) => !percentiles.includes(item))) {
      const byKey = new Map<string, DurationStats>();
      for (const [key, sums] of counted.sums.get(metric) ?? []) {
        const none = { count: sums.count, p50: null, p90: null, p95: null };
        byKey.set(key, {
          count: sums.count,
          mean: sums.count > 0 ? Math.round((sums.sum / sums.count) * 10) / 10 : null,
          businessMean: sums.count > 0 ? Math.round((sums.businessSum / sums.count) * 10) / 10 : null,
          wall: none,
          business: none,
        });
      }
      found.stats.set(metric, byKey);
    }
    return found;
  };
  const [total, series, channels, agents, categories] = await Promise.all([
    grouped('total', metrics),
    grouped(context.bucket),
    grouped('channel'),
    grouped('agent'),
    grouped('category'),
  ]);
  const stat = (stats: Map<string, Map<string, DurationStats>>, metric: string, key = '') => stats.get(metric)?.get(key);
  const summary: Record<string, number | null> = {};
  for (const metric of metrics) {
    const found = stat(total.stats, metric);
    summary[`${metric}.count`] = found?.count ?? 0;
    summary[`${metric}.p50`] = found?.wall.p50 ?? null;
    summary[`${metric}.p90`] = found?.wall.p90 ?? null;
    summary[`${metric}.p95`] = found?.wall.p95 ?? null;
    summary[`${metric}.mean`] = found?.mean ?? null;
    summary[`${metric}.business_p50`] = found?.business.p50 ?? null;
    summary[`${metric}.business_p90`] = found?.business.p90 ?? null;
    summary[`${metric}.business_p95`] = found?.business.p95 ?? null;
    summary[`${metric}.business_mean`] = found?.businessMean ?? null;
  }
  const keyColumns = [
    column('firstResponseP50', labels.columns.firstResponseP50, 'duration', metricKeys.firstResponse),
    column('firstResponseP90', labels.columns.firstResponseP90, 'duration', metricKeys.firstResponse),
    column('firstResponseBusinessP50', labels.columns.firstResponseBusinessP50, 'duration', metricKeys.firstResponse),
    column('firstResponseBusinessP90', labels.columns.firstResponseBusinessP90, 'duration', metricKeys.firstResponse),
    column('resolutionP50', labels.columns.resolutionP50, 'duration', metricKeys.resolution),
    column('resolutionBusinessP50', labels.columns.resolutionBusinessP50, 'duration', metricKeys.resolution),
    column('handleMean', labels.columns.handleMean, 'duration', metricKeys.handle),
    column('count', labels.metrics.first_response ?? '', 'number', metricKeys.firstResponse),
  ];
  const keyCells = (stats: Map<string, Map<string, DurationStats>>, key: string) => ({
    firstResponseP50: stat(stats, metricKeys.firstResponse, key)?.wall.p50 ?? null,
    firstResponseP90: stat(stats, metricKeys.firstResponse, key)?.wall.p90 ?? null,
    firstResponseBusinessP50: stat(stats, metricKeys.firstResponse, key)?.business.p50 ?? null,
    firstResponseBusinessP90: stat(stats, metricKeys.firstResponse, key)?.business.p90 ?? null,
    resolutionP50: stat(stats, metricKeys.resolution, key)?.wall.p50 ?? null,
    resolutionBusinessP50: stat(stats, metricKeys.resolution, key)?.business.p50 ?? null,
    handleMean: stat(stats, metricKeys.handle, key)?.mean ?? null,
    count: stat(stats, metricKeys.firstResponse, key)?.count ?? 0,
  });
  const breakdown = (
    id: 'channels' | 'agents' | 'categories',
    grouping: 'channel' | 'agent' | 'category',
    stats: Map<string, Map<string, DurationStats>>,
  ) =>
    breakdownTable(context, id, grouping, keysOf(...metrics.map((metric) => stats.get(metric))), keyColumns, (key) => keyCells(stats, key));
  const keys = bucketKeys(context);
  const methods = [total, series, channels, agents, categories].map((item) => item.method);
  return {
    method: methods.includes('histogram') ? 'histogram' : 'exact',
    summary,
    series: seriesPoints(context, keys, (key) => ({
      first_response_p50: stat(series.stats, metricKeys.firstResponse, key)?.wall.p50 ?? null,
      first_response_p90: stat(series.stats, metricKeys.firstResponse, key)?.wall.p90 ?? null,
      first_response_business_p50: stat(series.stats, metricKeys.firstResponse, key)?.business.p50 ?? null,
      first_response_business_p90: stat(series.stats, metricKeys.firstResponse, key)?.business.p90 ?? null,
      resolution_p50: stat(series.stats, metricKeys.resolution, key)?.wall.p50 ?? null,
      resolution_business_p50: stat(series.stats, metricKeys.resolution, key)?.business.p50 ?? null,
      count: stat(series.stats, metricKeys.firstResponse, key)?.count ?? 0,
    })),
    tables: [
      {
        id: 'metrics',
        title: labels.tables.metrics,
        columns: [
          column('metric', labels.columns.metric, 'text'),
          column('count', labels.columns.count, 'number'),
          column('p50', labels.columns.p50, 'duration'),
          column('p90', labels.columns.p90, 'duration'),
          column('p95', labels.columns.p95, 'duration'),
          column('mean', labels.columns.mean, 'duration'),
          column('businessP50', labels.columns.businessP50, 'duration'),
          column('businessP90', labels.columns.businessP90, 'duration'),
          column('businessP95', labels.columns.businessP95, 'duration'),
          column('businessMean', labels.columns.businessMean, 'duration'),
        ],
        rows: metrics.map((metric) => {
          const found = stat(total.stats, metric);
          return {
            cells: {
              metric: labels.metrics[metric] ?? metric,
              count: found?.count ?? 0,
              p50: found?.wall.p50 ?? null,
              p90: found?.wall.p90 ?? null,
              p95: found?.wall.p95 ?? null,
              mean: found?.mean ?? null,
              businessP50: found?.business.p50 ?? null,
              businessP90: found?.business.p90 ?? null,
              businessP95: found?.business.p95 ?? null,
              businessMean: found?.businessMean ?? null,
            },
            filter: {},
          };
        }),
      },
      seriesTable(context, keys, keyColumns, (key) => keyCells(series.stats, key)),
      await breakdown('channels', 'channel', channels.stats),
      await breakdown('agents', 'agent', agents.stats),
      await breakdown('categories', 'category', categories.stats),
    ],
    heatmap: null,
  };
}

// ── SLA attainment ───────────────────────────────────────────────────────────────────────────

async function slaReport(context: Context): Promise<Omit<Report, 'name' | 'from' | 'to' | 'timeZone' | 'bucket'>> {
  const { reader, scope, labels } = context;
  // The targets are whatever the SLA clocks have reported (first_response, next_response, resolution…).
  const metrics = await listSlaMetrics(context.db);
  const targets = [...new Set(metrics.map((metric) => metric.slice(metric.indexOf(':') + 1)))].sort();
  const met = targets.map((target) => `${slaKeys.met}${target}`);
  const breached = targets.map((target) => `${slaKeys.breached}${target}`);
  const [total, series, channels, agents, categories] = metrics.length
    ? await Promise.all([
        reader.sums(metrics, scope, 'total'),
        reader.sums(metrics, scope, context.bucket),
        reader.sums(metrics, scope, 'channel'),
        reader.sums(metrics, scope, 'agent'),
        reader.sums(metrics, scope, 'category'),
      ])
    : Array.from({ length: 5 }, () => ({ sums: new Map() as GroupedSums, missing: [] }));
  const all = (sums: GroupedSums, keys: string[], key: string) => keys.reduce((sum, metric) => sum + countOf(sums, metric, key), 0);
  const cells = (sums: GroupedSums, key: string) => {
    const hits = all(sums, met, key);
    const misses = all(sums, breached, key);
    return { met: hits, breached: misses, attainment: ratio(hits, hits + misses) };
  };
  const columns = [
    column('met', labels.columns.met, 'number'),
    column('breached', labels.columns.breached, 'number'),
    column('attainment', labels.columns.attainment, 'percent'),
  ];
  const breakdown = (id: 'channels' | 'agents' | 'categories', grouping: 'channel' | 'agent' | 'category', sums: GroupedSums) =>
    breakdownTable(context, id, grouping, keysOf(...metrics.map((metric) => sums.get(metric))), columns, (key) => cells(sums, key));
  const keys = bucketKeys(context);
  const overall = cells(total.sums, '');
  const summary: Record<string, number | null> = {
    ...overall,
    warnings: all(
      total.sums,
      targets.map((target) => `${slaKeys.warning}${target}`),
      '',
    ),
  };
  for (const target of targets) {
    const hits = countOf(total.sums, `${slaKeys.met}${target}`);
    const misses = countOf(total.sums, `${slaKeys.breached}${target}`);
    summary[`${target}.attainment`] = ratio(hits, hits + misses);
  }
  return {
    method: 'exact',
    summary,
    series: seriesPoints(context, keys, (key) => cells(series.sums, key)),
    tables: [
      {
        id: 'targets',
        title: labels.tables.targets,
        columns: [
          column('target', labels.columns.target, 'text'),
          column('met', labels.columns.met, 'number'),
          column('breached', labels.columns.breached, 'number'),
          column('warning', labels.columns.warning, 'number'),
          column('attainment', labels.columns.attainment, 'percent'),
        ],
        rows: targets.map((target) => {
          const hits = countOf(total.sums, `${slaKeys.met}${target}`);
          const misses = countOf(total.sums, `${slaKeys.breached}${target}`);
          return {
            cells: {
              target: labels.metrics[target] ?? target,
              met: hits,
              breached: misses,
              warning: countOf(total.sums, `${slaKeys.warning}${target}`),
              attainment: ratio(hits, hits + misses),
            },
            filter: {},
          };
        }),
      },
      seriesTable(context, keys, columns, (key) => cells(series.sums, key)),
      await breakdown('channels', 'channel', channels.sums),
      await breakdown('agents', 'agent', agents.sums),
      await breakdown('categories', 'category', categories.sums),
    ],
    heatmap: null,
  };
}

// ── Ratings ──────────────────────────────────────────────────────────────────────────────────

const scoreMetrics = [1, 2, 3, 4, 5].map(csatScoreKey);
const reasonMetrics = ratingReasons.map(csatReasonKey);
const csatMetrics = [metricKeys.csatRequested, metricKeys.csatRating, metricKeys.csatLow, ...scoreMetrics, ...reasonMetrics];

async function csat(context: Context): Promise<Omit<Report, 'name' | 'from' | 'to' | 'timeZone' | 'bucket'>> {
  const { reader, scope, labels } = context;
  const [total, series, channels, agents, categories] = await Promise.all([
    reader.sums(csatMetrics, scope, 'total'),
    reader.sums(csatMetrics, scope, context.bucket),
    reader.sums(csatMetrics, scope, 'channel'),
    reader.sums(csatMetrics, scope, 'agent'),
    reader.sums(csatMetrics, scope, 'category'),
  ]);
  const cells = (sums: GroupedSums, key: string) => {
    const rating = sumsOf(sums, metricKeys.csatRating, key);
    const ratings = rating?.count ?? 0;
    const satisfied = countOf(sums, csatScoreKey(4), key) + countOf(sums, csatScoreKey(5), key);
    return {
      ratings,
      average: rating && ratings > 0 ? rating.sum / ratings : null,
      csat: ratio(satisfied, ratings),
      low: countOf(sums, metricKeys.csatLow, key),
      responseRate: ratio(ratings, countOf(sums, metricKeys.csatRequested, key)),
    };
  };
  const columns = [
    column('ratings', labels.columns.ratings, 'number', metricKeys.csatRating),
    column('average', labels.columns.average, 'number'),
    column('csat', labels.columns.csat, 'percent'),
    column('low', labels.columns.low, 'number'),
    column('responseRate', labels.columns.responseRate, 'percent'),
  ];
  const breakdown = (id: 'channels' | 'agents' | 'categories', grouping: 'channel' | 'agent' | 'category', sums: GroupedSums) =>
    breakdownTable(context, id, grouping, keysOf(sums.get(metricKeys.csatRating), sums.get(metricKeys.csatRequested)), columns, (key) =>
      cells(sums, key),
    );
  const overall = cells(total.sums, '');
  const keys = bucketKeys(context);
  return {
    method: 'exact',
    summary: { ...overall, requested: countOf(total.sums, metricKeys.csatRequested) },
    series: seriesPoints(context, keys, (key) => cells(series.sums, key)),
    tables: [
      {
        id: 'scores',
        title: labels.tables.scores,
        columns: [
          column('score', labels.columns.score, 'number'),
          column('count', labels.columns.count, 'number'),
          column('share', labels.columns.share, 'percent'),
        ],
        rows: [5, 4, 3, 2, 1].map((score) => ({
          cells: {
            score,
            count: countOf(total.sums, csatScoreKey(score)),
            share: ratio(countOf(total.sums, csatScoreKey(score)), overall.ratings),
          },
          filter: {},
        })),
      },
      {
        id: 'reasons',
        title: labels.tables.reasons,
        columns: [
          column('reason', labels.columns.reason, 'text'),
          column('count', labels.columns.count, 'number'),
          column('share', labels.columns.share, 'percent'),
        ],
        rows: ratingReasons
          .map((reason) => ({
            cells: {
              reason: labels.reasons[reason] ?? reason,
              count: countOf(total.sums, csatReasonKey(reason)),
              share: ratio(countOf(total.sums, csatReasonKey(reason)), overall.ratings),
            },
            filter: {},
          }))
          .sort((left, right) => Number(right.cells.count) - Number(left.cells.count)),
      },
      seriesTable(context, keys, columns, (key) => cells(series.sums, key)),
      await breakdown('agents', 'agent', agents.sums),
      await breakdown('channels', 'channel', channels.sums),
      await breakdown('categories', 'category', categories.sums),
    ],
    heatmap: null,
  };
}

// ── Help-centre deflection ───────────────────────────────────────────────────────────────────

const deflectionMetrics = [metricKeys.helpShown, metricKeys.helpOpened, metricKeys.helpChatStarted];

async function deflection(context: Context): Promise<Omit<Report, 'name' | 'from' | 'to' | 'timeZone' | 'bucket'>> {
  const { reader, labels } = context;
  // Suggestions happen before any conversation: no agent or category to filter by.
  const scope: ReportScope = { from: context.scope.from, to: context.scope.to, channel: context.scope.channel };
  const [total, series] = await Promise.all([
    reader.sums(deflectionMetrics, scope, 'total'),
    reader.sums(deflectionMetrics, scope, context.bucket),
  ]);
  const cells = (sums: GroupedSums, key: string) => {
    const shown = countOf(sums, metricKeys.helpShown, key);
    const chatStarted = countOf(sums, metricKeys.helpChatStarted, key);
    const deflected = Math.max(0, shown - chatStarted);
    return { shown, opened: countOf(sums, metricKeys.helpOpened, key), chatStarted, deflected, deflectionRate: ratio(deflected, shown) };
  };
  const keys = bucketKeys(context);
  return {
    method: 'exact',
    summary: {
      ...cells(total.sums, ''),
      openRate: ratio(countOf(total.sums, metricKeys.helpOpened), countOf(total.sums, metricKeys.helpShown)),
    },
    series: seriesPoints(context, keys, (key) => cells(series.sums, key)),
    tables: [
      seriesTable(
        context,
        keys,
        [
          column('shown', labels.columns.shown, 'number'),
          column('opened', labels.columns.opened, 'number'),
          column('chatStarted', labels.columns.chatStarted, 'number'),
          column('deflected', labels.columns.deflected, 'number'),
          column('deflectionRate', labels.columns.deflectionRate, 'percent'),
        ],
        (key) => cells(series.sums, key),
      ),
    ],
    heatmap: null,
  };
}

const builders: Record<ReportName, (context: Context) => Promise<Omit<Report, 'name' | 'from' | 'to' | 'timeZone' | 'bucket'>>> = {
  volume,
  'response-times': responseTimes,
  sla: slaReport,
  csat,
  deflection,
};

/** Builds one report for a range of whole days with the request's filters, in the caller's language. */
export async function runReport(
  db: Queryable,
  reader: ReportReader,
  name: ReportName,
  input: { scope: ReportScope; bucket: ReportBucket; locale: Locale },
): Promise<Report> {
  const context: Context = {
    db,
    reader,
    scope: input.scope,
    bucket: input.bucket,
    locale: input.locale,
    labels: reportLabels(input.locale),
  };
  const built = await builders[name](context);
  return {
    name,
    from: new Date(input.scope.from).toISOString(),
    to: new Date(input.scope.to).toISOString(),
    timeZone: reader.periods.timeZone,
    bucket: input.bucket,
    ...built,
  };
}
