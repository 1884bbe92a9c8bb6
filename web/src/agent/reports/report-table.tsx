import { DownloadOutlined } from '@ant-design/icons';
import type { ReportTable as ReportTableData } from '@okpay/contracts';
import { Button, Card, Table, type TableProps, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../console/time';

type Row = ReportTableData['rows'][number];
type Column = ReportTableData['columns'][number];

/** A cell as a supervisor reads it: durations in minutes and hours, rates in percent. */
export function formatCell(value: string | number | null | undefined, kind: Column['kind'], t: TFunction): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (kind === 'duration') return formatDuration(value * 1000, t);
  if (kind === 'percent') return `${(value * 100).toFixed(1)}%`;
  return Number.isInteger(value) ? value.toLocaleString() : value.toFixed(2);
}

export type DrillRequest = { metric: string; title: string; filter: Row['filter'] };

/** One report table with its CSV download; numbers with conversations behind them open the list of those. */
export function ReportTable({ table, csvUrl, onDrill }: { table: ReportTableData; csvUrl: string; onDrill(request: DrillRequest): void }) {
  const { t } = useTranslation();
  const columns: TableProps<Row>['columns'] = table.columns.map((column, index) => ({
    key: column.key,
    title: column.label,
    align: column.kind === 'text' ? 'left' : 'right',
    fixed: index === 0 ? 'left' : undefined,
    render: (_, row) => {
      const value = row.cells[column.key];
      const text = formatCell(value, column.kind, t);
      const isDrillable = column.metric !== null && typeof value === 'number' && value > 0;
      if (!isDrillable || column.metric === null) return text;
      const metric = column.metric;
      return (
        <Button
          type="link"
          size="small"
          className="report-drill"
          onClick={() =>
            onDrill({ metric, title: `${String(row.cells[table.columns[0]?.key ?? ''] ?? '')} · ${column.label}`, filter: row.filter })
          }
        >
          {text}
        </Button>
      );
    },
  }));
  return (
    <Card
      size="small"
      title={table.title}
      extra={
        <Button size="small" icon={<DownloadOutlined />} href={csvUrl} download>
          {t('reports.exportCsv')}
        </Button>
      }
      className="report-table"
    >
      {table.rows.length === 0 ? (
        <Typography.Text type="secondary">{t('reports.noData')}</Typography.Text>
      ) : (
        <Table<Row>
          size="small"
          rowKey={(row) => JSON.stringify(row.filter) + String(row.cells[table.columns[0]?.key ?? ''])}
          columns={columns}
          dataSource={table.rows}
          pagination={table.rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          aria-label={table.title}
        />
      )}
    </Card>
  );
}
