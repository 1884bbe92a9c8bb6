import type { reportConversationsSchema } from '@okpay/contracts';
import { Alert, Drawer, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import { getReportConversations, type ReportFilters } from '../../api/reports';
import { useLoaded } from '../../api/use-loaded';
import { currentLocale } from '../../i18n';
import { formatDuration, formatShortTime } from '../console/time';
import type { DrillRequest } from './report-table';

type Answer = z.infer<typeof reportConversationsSchema>;

/** The conversations behind a number, each opening in the inbox. */
export function DrillDrawer({ request, filters, onClose }: { request: DrillRequest | null; filters: ReportFilters; onClose(): void }) {
  const { t } = useTranslation();
  const { data: answer, error } = useLoaded(
    ['staff', 'report-drill', request, filters],
    () => {
      const { bucket: _bucket, ...rest } = filters;
      return getReportConversations({ ...rest, ...request?.filter, metric: request?.metric ?? '', limit: 200 });
    },
    { enabled: request !== null },
  );

  const isDuration = request !== null && ['first_response', 'next_response', 'resolution', 'handle', 'queue_wait'].includes(request.metric);
  return (
    <Drawer open={request !== null} onClose={onClose} title={request?.title} size={720} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} />}
      {answer && (
        <>
          <Typography.Paragraph type="secondary">
            {t('reports.drillCount', {
              shown: answer.conversations.length,
              total: answer.isTotalCapped ? `${answer.total}+` : answer.total,
            })}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey={(row) => `${row.conversationId}-${row.at}`}
            dataSource={answer.conversations}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            columns={[
              { key: 'at', title: t('reports.drillAt'), render: (_, row) => formatShortTime(row.at, currentLocale()) },
              {
                key: 'channel',
                title: t('reports.channel'),
                render: (_, row) => t(`console.channels.${row.channel}` as 'console.channels.chat'),
              },
              {
                key: 'category',
                title: t('reports.category'),
                render: (_, row) => (row.category ? t(`console.categories.${row.category}` as 'console.categories.other') : '—'),
              },
              { key: 'agent', title: t('reports.agent'), render: (_, row) => row.agentName ?? '—' },
              ...(isDuration
                ? [
                    {
                      key: 'value',
                      title: t('reports.wallClock'),
                      render: (_: unknown, row: Answer['conversations'][number]) => formatDuration((row.value ?? 0) * 1000, t),
                    },
                    {
                      key: 'business',
                      title: t('reports.businessHours'),
                      render: (_: unknown, row: Answer['conversations'][number]) => formatDuration((row.businessValue ?? 0) * 1000, t),
                    },
                  ]
                : request?.metric === 'csat_rating'
                  ? [
                      {
                        key: 'value',
                        title: t('reports.score'),
                        render: (_: unknown, row: Answer['conversations'][number]) => row.value ?? '—',
                      },
                    ]
                  : []),
              {
                key: 'open',
                title: '',
                render: (_, row) =>
                  row.conversationId ? <Link to={`/agent?c=${row.conversationId}`}>{t('reports.openConversation')}</Link> : null,
              },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}
