import type { Locale, Report, ReportConversations, ReportName, ReportTable } from '@okpay/contracts';
import { type CsvColumn, toCsv } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { periodsFor } from './local-periods.js';
import { reportLabels } from './report-labels.js';
import { reportScope } from './report-scope.js';
import { ReportError } from './reports.errors.js';
import { ReportReader, staffNames } from './reports.repository.js';
import { runReport } from './run-report.js';

type ReportDeps = Pick<SupportDeps, 'db' | 'config'>;
type ReportFilters = { from: string; to: string; channel?: string; agentId?: string; category?: string };

const unitSuffix: Record<Locale, { duration: string; percent: string }> = {
  'zh-CN': { duration: '（秒）', percent: '（%）' },
  en: { duration: ' (seconds)', percent: ' (%)' },
};

/** A report table as CSV through the platform helper: durations in seconds, rates in percent, both plain numbers. */
export function tableCsv(table: ReportTable, locale: Locale): string {
  const columns: Array<CsvColumn<ReportTable['rows'][number]>> = table.columns.map((item) => {
    const suffix = item.kind === 'duration' ? unitSuffix[locale].duration : item.kind === 'percent' ? unitSuffix[locale].percent : '';
    return {
      header: `${item.label}${suffix}`,
      kind: item.kind === 'text' ? 'text' : 'number',
      value: (row) => {
        const cell = row.cells[item.key];
        if (cell === null || cell === undefined) return '';
        if (typeof cell === 'string') return cell;
        if (item.kind === 'percent') return (cell * 100).toFixed(1);
        if (item.kind === 'duration') return cell.toFixed(1);
        return Number.isInteger(cell) ? String(cell) : cell.toFixed(2);
      },
    };
  });
  return toCsv(columns, table.rows);
}

const readerFor = (deps: ReportDeps) => new ReportReader(deps.db, periodsFor(deps.config.timeZone));

/** One report for whole days in the team's zone, with the request's filters, in the caller's language. */
export async function getReport(
  deps: ReportDeps,
  name: ReportName,
  query: ReportFilters & { bucket: Report['bucket'] },
  locale: Locale,
): Promise<Report> {
  const reader = readerFor(deps);
  const scope = reportScope(reader.periods, query, query.bucket);
  return runReport(deps.db, reader, name, { scope, bucket: query.bucket, locale });
}

/** One table of a report as a CSV file, named after the report, the table and its days. */
export async function exportReportTable(
  deps: ReportDeps,
  name: ReportName,
  query: ReportFilters & { bucket: Report['bucket']; table: string },
  locale: Locale,
): Promise<{ fileName: string; csv: string }> {
  const reader = readerFor(deps);
  const scope = reportScope(reader.periods, query, query.bucket);
  const report = await runReport(deps.db, reader, name, { scope, bucket: query.bucket, locale });
  const table = report.tables.find((item) => item.id === query.table);
  if (!table) throw ReportError('report_table_not_found', { table: query.table });
  const days = `${reader.periods.dateLabel(scope.from)}_${reader.periods.dateLabel(scope.to - 1)}`;
  return { fileName: `okpay-${name}-${query.table}-${days}.csv`, csv: tableCsv(table, locale) };
}

/** The conversations behind a report number: the facts of one metric with the same filters, newest first. */
export async function listReportConversations(
  deps: ReportDeps,
  query: ReportFilters & { metric: string; limit: number },
  locale: Locale,
): Promise<ReportConversations> {
  const reader = readerFor(deps);
  const scope = reportScope(reader.periods, query);
  const found = await reader.conversations(query.metric, scope, query.limit);
  const names = await staffNames(deps.db, [...new Set(found.rows.map((row) => row.agent_id).filter((id): id is string => id !== null))]);
  const labels = reportLabels(locale);
  return {
    metric: query.metric,
    total: found.total,
    isTotalCapped: found.isTotalCapped,
    conversations: found.rows.map((row) => ({
      conversationId: row.conversation_id,
      at: row.occurred_at.toISOString(),
      channel: row.channel,
      category: row.category,
      agentId: row.agent_id,
      agentName: row.agent_id ? (names.get(row.agent_id) ?? labels.columns.unknownAgent) : null,
      value: row.value,
      businessValue: row.business_value,
    })),
  };
}
