import type { Report, ReportName } from '@okpay/contracts';
import { Alert, Card, Col, Empty, Row, Skeleton, Space, Statistic, Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getReport, type ReportFilters, reportCsvUrl } from '../../api/reports';
import { useLoaded } from '../../api/use-loaded';
import { currentLocale } from '../../i18n';
import type { Messages } from '../../i18n/zh-CN';
import { DrillDrawer } from './drill-drawer';
import { type ChartOption, EChart } from './echart';
import { type DrillRequest, formatCell, ReportTable } from './report-table';

type Figure = { key: string; label: string; kind: 'number' | 'duration' | 'percent' };
type FigureLabel = keyof Messages['reports']['figures'];

/** The headline figures of each report, in order: the summary's key, its label and how it is shown. */
const headlines: Record<ReportName, Array<[key: string, label: FigureLabel, kind: Figure['kind']]>> = {
  volume: [
    ['created', 'created', 'number'],
    ['resolved', 'resolved', 'number'],
    ['reopenRate', 'reopenRate', 'percent'],
    ['transferred', 'transferred', 'number'],
    ['abandonmentRate', 'abandonmentRate', 'percent'],
    ['replies', 'replies', 'number'],
  ],
  'response-times': [
    ['first_response.p50', 'firstResponseP50', 'duration'],
    ['first_response.business_p50', 'firstResponseBusinessP50', 'duration'],
    ['first_response.p90', 'firstResponseP90', 'duration'],
    ['next_response.p50', 'nextResponseP50', 'duration'],
    ['resolution.business_p50', 'resolutionBusinessP50', 'duration'],
    ['queue_wait.p50', 'queueWaitP50', 'duration'],
  ],
  sla: [
    ['attainment', 'attainment', 'percent'],
    ['met', 'met', 'number'],
    ['breached', 'breached', 'number'],
    ['warnings', 'warnings', 'number'],
  ],
  csat: [
    ['csat', 'csat', 'percent'],
    ['average', 'average', 'number'],
    ['ratings', 'ratings', 'number'],
    ['responseRate', 'responseRate', 'percent'],
    ['low', 'low', 'number'],
  ],
  deflection: [
    ['deflectionRate', 'deflectionRate', 'percent'],
    ['shown', 'shown', 'number'],
    ['chatStarted', 'chatStarted', 'number'],
    ['opened', 'opened', 'number'],
  ],
};

/** The headline figures of a report, in order; the SLA report adds one per target it has. */
function figuresOf(name: ReportName, report: Report, t: TFunction): Figure[] {
  const figures: Figure[] = headlines[name].map(([key, label, kind]) => ({ key, label: t(`reports.figures.${label}`), kind }));
  if (name !== 'sla') return figures;
  const targets = Object.keys(report.summary)
    .filter((key) => key.endsWith('.attainment'))
    .map((key) => {
      const target = key.split('.')[0] ?? key;
      const known = ['first_response', 'next_response', 'resolution'].includes(target);
      return {
        key,
        label: t('reports.figures.targetAttainment', {
          target: known ? t(`reports.targets.${target as 'first_response'}`) : target,
        }),
        kind: 'percent' as const,
      };
    });
  return [...figures, ...targets];
}

const minutes = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined ? null : Math.round((seconds / 60) * 10) / 10;
const percent = (ratio: number | null | undefined) => (ratio === null || ratio === undefined ? null : Math.round(ratio * 1000) / 10);

/** The charts of each report: trends over the buckets, and the arrivals heatmap or score distribution. */
function chartsOf(name: ReportName, report: Report, t: TFunction): Array<{ title: string; option: ChartOption }> {
  const labels = report.series.map((point) => point.label);
  const grid = { left: 48, right: 48, top: 48, bottom: 28, containLabel: true };
  const series = (key: string, scale: (value: number | null | undefined) => number | null = (value) => value ?? null) =>
    report.series.map((point) => scale(point.values[key]));
  const figure = (label: FigureLabel) => t(`reports.figures.${label}`);
  // The pieces the trend charts share: counts as bars or lines, and scaled figures drawn across gaps.
  const bar = (key: string, label: FigureLabel, extra: object = {}) => ({ name: figure(label), type: 'bar', data: series(key), ...extra });
  const line = (key: string, label: FigureLabel) => ({ name: figure(label), type: 'line', data: series(key) });
  const gapless = (key: string, label: FigureLabel, scale: (value: number | null | undefined) => number | null, extra: object = {}) => ({
    name: figure(label),
    type: 'line',
    data: series(key, scale),
    connectNulls: true,
    ...extra,
  });
  /** A percentage on the right-hand axis (see countsAndPercent). */
  const rate = (key: string, label: FigureLabel) => gapless(key, label, percent, { yAxisIndex: 1 });
  const countsAndPercent = [
    { type: 'value', minInterval: 1 },
    { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
  ];
  /** A chart of figures over the report's buckets, with a legend above. */
  const trend = (title: string, yAxis: unknown, lines: object[], tooltip: object = { trigger: 'axis' }) => ({
    title,
    option: { tooltip, legend: { top: 0 }, grid, xAxis: { type: 'category', data: labels }, yAxis, series: lines },
  });
  switch (name) {
    case 'volume':
      return [
        trend(t('reports.charts.volumeTrend'), { type: 'value', minInterval: 1 }, [
          bar('created', 'created'),
          line('resolved', 'resolved'),
          line('abandoned', 'abandoned'),
        ]),
        {
          title: t('reports.charts.arrivals'),
          option: {
            tooltip: { position: 'top' },
            grid: { left: 56, right: 16, top: 16, bottom: 56, containLabel: true },
            xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, hour) => `${hour}`), splitArea: { show: true } },
            yAxis: { type: 'category', data: t('reports.weekdays').split(','), inverse: true, splitArea: { show: true } },
            visualMap: {
              min: 0,
              max: Math.max(1, ...(report.heatmap ?? []).map((cell) => cell.value)),
              calculable: true,
              orient: 'horizontal',
              left: 'center',
              bottom: 0,
              inRange: { color: ['#f0f5ff', '#1677ff'] },
            },
            series: [
              {
                name: figure('created'),
                type: 'heatmap',
                data: (report.heatmap ?? []).map((cell) => [cell.hour, cell.weekday, cell.value]),
              },
            ],
          },
        },
      ];
    case 'response-times':
      return [
        trend(
          t('reports.charts.firstResponseTrend'),
          { type: 'value', name: t('reports.minutesUnit') },
          [
            gapless('first_response_p50', 'firstResponseP50', minutes),
            gapless('first_response_p90', 'firstResponseP90', minutes),
            gapless('first_response_business_p50', 'firstResponseBusinessP50', minutes, { lineStyle: { type: 'dashed' } }),
          ],
          {
            trigger: 'axis',
            valueFormatter: (value: unknown) => (typeof value === 'number' ? `${value} ${t('reports.minutesUnit')}` : '—'),
          },
        ),
      ];
    case 'sla':
      return [
        trend(t('reports.charts.slaTrend'), countsAndPercent, [
          bar('met', 'met', { stack: 'sla', itemStyle: { color: '#52c41a' } }),
          bar('breached', 'breached', { stack: 'sla', itemStyle: { color: '#ff4d4f' } }),
          rate('attainment', 'attainment'),
        ]),
      ];
    case 'csat': {
      const scores = report.tables.find((table) => table.id === 'scores')?.rows ?? [];
      const reasons = report.tables.find((table) => table.id === 'reasons')?.rows ?? [];
      return [
        trend(t('reports.charts.csatTrend'), countsAndPercent, [bar('ratings', 'ratings'), rate('csat', 'csat')]),
        {
          title: t('reports.charts.scores'),
          option: {
            tooltip: {},
            grid,
            xAxis: { type: 'category', data: scores.map((row) => `${row.cells.score}`) },
            yAxis: { type: 'value', minInterval: 1 },
            series: [
              {
                type: 'bar',
                name: figure('ratings'),
                data: scores.map((row) => ({
                  value: row.cells.count,
                  itemStyle: {
                    color: ({ 5: '#52c41a', 4: '#95de64', 3: '#fadb14', 2: '#ffa940', 1: '#ff7875' } as Record<number, string>)[
                      Number(row.cells.score)
                    ],
                  },
                })),
              },
            ],
          },
        },
        {
          title: t('reports.charts.reasons'),
          option: {
            tooltip: {},
            grid: { ...grid, left: 90 },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: { type: 'category', data: reasons.map((row) => String(row.cells.reason)), inverse: true },
            series: [{ type: 'bar', name: figure('ratings'), data: reasons.map((row) => row.cells.count) }],
          },
        },
      ];
    }
    case 'deflection':
      return [
        trend(t('reports.charts.deflectionTrend'), countsAndPercent, [
          bar('shown', 'shown'),
          bar('chatStarted', 'chatStarted'),
          rate('deflectionRate', 'deflectionRate'),
        ]),
      ];
  }
}

/** One report: headline figures, charts and tables (each with CSV), for the filters chosen above. */
export function ReportView({ name, filters, extra }: { name: ReportName; filters: ReportFilters; extra?: React.ReactNode }) {
  const { t } = useTranslation();
  const {
    data: report,
    error,
    isLoading,
  } = useLoaded(['staff', 'report', name, filters], () => getReport(name, filters), {
    keepPrevious: true,
  });
  const [drill, setDrill] = useState<DrillRequest | null>(null);

  const charts = useMemo(() => (report ? chartsOf(name, report, t) : []), [name, report, t]);
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!report) return <Skeleton active paragraph={{ rows: 8 }} />;
  const figures = figuresOf(name, report, t);
  const isEmpty = figures.every((figure) => !report.summary[figure.key]);
  return (
    <Space direction="vertical" size="middle" className="report-view" style={{ width: '100%', opacity: isLoading ? 0.6 : 1 }}>
      <Row gutter={[12, 12]}>
        {figures.map((figure) => (
          <Col key={figure.key} xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic title={figure.label} value={formatCell(report.summary[figure.key], figure.kind, t)} />
            </Card>
          </Col>
        ))}
      </Row>
      <Space size="small" wrap>
        <Tag>{t('reports.zone', { zone: report.timeZone })}</Tag>
        {name === 'response-times' && (
          <Tooltip title={t(report.method === 'exact' ? 'reports.exactHint' : 'reports.histogramHint')}>
            <Tag color={report.method === 'exact' ? 'green' : 'blue'}>
              {t(report.method === 'exact' ? 'reports.exact' : 'reports.histogram')}
            </Tag>
          </Tooltip>
        )}
      </Space>
      {name === 'sla' && isEmpty && <Alert type="info" showIcon title={t('reports.slaEmpty')} />}
      {isEmpty && name !== 'sla' && <Empty description={t('reports.noData')} />}
      {extra}
      <Row gutter={[12, 12]}>
        {charts.map((chart) => (
          <Col key={chart.title} xs={24} xl={charts.length > 1 ? 12 : 24}>
            <Card size="small" title={chart.title}>
              <EChart option={chart.option} label={chart.title} />
            </Card>
          </Col>
        ))}
      </Row>
      {report.tables.map((table) => (
        <ReportTable key={table.id} table={table} csvUrl={reportCsvUrl(name, filters, table.id, currentLocale())} onDrill={setDrill} />
      ))}
      <DrillDrawer request={drill} filters={filters} onClose={() => setDrill(null)} />
    </Space>
  );
}
