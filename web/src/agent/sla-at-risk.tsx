import type { SlaAtRisk, SlaAtRiskItem } from '@okpay/contracts';
import { Alert, Card, Empty, Space, Statistic, Table, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { messageOf } from '../api/client';
import { getSlaAtRisk } from '../api/sla';
import { useConnectionCount, useConsoleEvent } from './console/console-context';
import { visitorName } from './console/inbox-column';
import { SlaCountdown } from './console/sla-countdown';
import { useNow } from './console/time';

const refreshEveryMs = 30_000;

/** Supervisors' "at risk now": running SLA targets past their warning share or breached, live. */
export function SlaAtRiskCard() {
  const { t } = useTranslation();
  const [atRisk, setAtRisk] = useState<SlaAtRisk>();
  const [error, setError] = useState<string>();
  const now = useNow(1_000);
  const connectionCount = useConnectionCount();
  const latest = useRef(0);
  const load = useCallback(async () => {
    const call = ++latest.current;
    try {
      const answer = await getSlaAtRisk();
      if (call !== latest.current) return;
      setAtRisk(answer);
      setError(undefined);
    } catch (caught) {
      if (call === latest.current) setError(messageOf(caught));
    }
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), refreshEveryMs);
    return () => clearInterval(timer);
  }, [load]);
  useEffect(() => {
    if (connectionCount > 1) void load();
  }, [connectionCount, load]);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const loadSoon = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), 300);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  useConsoleEvent('sla:alerts', loadSoon);
  useConsoleEvent('sla:changed', (event) => {
    if (atRisk?.items.some((item) => item.conversationId === event.conversationId)) loadSoon();
  });

  return (
    <Card
      title={t('sla.atRisk.title')}
      size="small"
      className="supervisor-card page-section"
      data-testid="sla-at-risk"
      extra={
        atRisk && (
          <Space size="large">
            <Statistic title={t('sla.atRisk.breached')} value={atRisk.breached} valueStyle={{ color: '#cf1322', fontSize: 18 }} />
            <Statistic title={t('sla.atRisk.warning')} value={atRisk.warning} valueStyle={{ color: '#d48806', fontSize: 18 }} />
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('sla.atRisk.intro', { percent: 80 })}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<SlaAtRiskItem>
        rowKey={(item) => `${item.conversationId}:${item.clock.target}`}
        size="small"
        loading={!atRisk && !error}
        dataSource={atRisk?.items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sla.atRisk.empty')} /> }}
        columns={[
          {
            title: t('sla.atRisk.conversation'),
            key: 'conversation',
            render: (_, item) => (
              <Link to={`/agent?view=all&c=${item.conversationId}`}>
                {item.subject ?? item.customerName ?? visitorName(item.conversationId, t('console.visitor'))}
              </Link>
            ),
          },
          { title: t('sla.atRisk.countdown'), key: 'clock', render: (_, item) => <SlaCountdown clock={item.clock} now={now} /> },
          {
            title: t('sla.atRisk.assignee'),
            key: 'assignee',
            render: (_, item) => item.assigneeName ?? <Typography.Text type="secondary">{t('sla.atRisk.unassigned')}</Typography.Text>,
          },
        ]}
      />
    </Card>
  );
}
