import { SafetyCertificateFilled, UserSwitchOutlined } from '@ant-design/icons';
import { Alert, App, Card, Col, Empty, Progress, Result, Row, Select, Statistic, Table, type TableProps, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  assignConversation,
  getSupervisorOverview,
  type InboxItem,
  listInbox,
  type StaffWithLoad,
  type SupervisorOverview,
} from '../api/agent-console';
import { messageOf } from '../api/client';
import { useLoaded } from '../api/use-loaded';
import { usePageTitle } from '../layout/use-page-title';
import { useStaffSession } from '../session/sessions';
import { canSupervise } from './agent-layout';
import { AgentOption } from './console/agent-option';
import { useConnectionCount, useConsoleEvent } from './console/console-context';
import { customerNameOf, visitorName } from './console/inbox-column';
import { presenceColours, statusColours } from './console/labels';
import { formatDuration, useNow } from './console/time';
import { SlaAtRiskCard } from './sla-at-risk';

type Live = { overview: SupervisorOverview; active: InboxItem[] };

const refreshEveryMs = 10_000;

async function loadLive(): Promise<Live> {
  const [overview, open, pending] = await Promise.all([
    getSupervisorOverview(),
    listInbox('all', { status: 'open' }),
    listInbox('all', { status: 'pending' }),
  ]);
  const active = [...open.conversations, ...pending.conversations].filter((item) => item.assigneeId !== null);
  return { overview, active };
}

/** The live queue, the team's load and the chats in progress: refreshed by socket events and every 10 s. */
function useLiveOverview(isAllowed: boolean) {
  const {
    data: live,
    error,
    reload,
  } = useLoaded(['staff', 'supervisor-live'], loadLive, {
    enabled: isAllowed,
    refetchInterval: refreshEveryMs,
  });
  const connectionCount = useConnectionCount();
  // Back on the socket after a loss: what changed meanwhile was not announced.
  useEffect(() => {
    if (isAllowed && connectionCount > 1) void reload();
  }, [isAllowed, connectionCount, reload]);

  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const loadSoon = () => {
    if (!isAllowed) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void reload(), 300);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  useConsoleEvent('queue:changed', loadSoon);
  useConsoleEvent('conversation:updated', loadSoon);
  useConsoleEvent('presence', loadSoon);

  return { live, error, reload };
}

/** Supervisors and admins see the live queue and the team here, and move chats between agents. */
export function SupervisorPage() {
  const { t } = useTranslation();
  usePageTitle(t('agent.supervisorTitle'));
  const { state } = useStaffSession();
  const isAllowed = state.status === 'signed-in' && canSupervise(state.account.role);
  const { live, error, reload } = useLiveOverview(isAllowed);
  const now = useNow(1_000);
  const { message } = App.useApp();
  const [assigning, setAssigning] = useState<string>();

  if (state.status !== 'signed-in') return null;
  // The server enforces roles on every supervisor API; hiding the page is only a courtesy.
  if (!isAllowed) return <Result status="403" title="403" subTitle={t('agent.forbidden')} />;

  const agents = live?.overview.agents ?? [];
  const assign = async (conversationId: string, agentId: string) => {
    setAssigning(conversationId);
    try {
      await assignConversation(conversationId, agentId);
      void message.success(t('supervisor.assigned', { name: agents.find((agent) => agent.id === agentId)?.name ?? '' }));
      await reload();
    } catch (caught) {
      void message.error(messageOf(caught));
    } finally {
      setAssigning(undefined);
    }
  };

  const agentPicker = (conversationId: string, currentId: string | null) => (
    <Select<string>
      size="small"
      className="supervisor-assign"
      placeholder={t('supervisor.assignTo')}
      aria-label={t('supervisor.assignTo')}
      value={currentId ?? undefined}
      loading={assigning === conversationId}
      disabled={assigning === conversationId}
      onChange={(agentId) => void assign(conversationId, agentId)}
      popupMatchSelectWidth={false}
      options={agents.map((agent) => ({
        value: agent.id,
        disabled: agent.id === currentId,
        label: <AgentOption agent={agent} />,
      }))}
      labelRender={({ value }) => agents.find((agent) => agent.id === value)?.name ?? ''}
    />
  );

  const queueColumns: TableProps<SupervisorOverview['queue'][number]>['columns'] = [
    { key: 'position', title: '#', width: 48, render: (_, row) => row.position },
    {
      key: 'customer',
      title: t('supervisor.customer'),
      render: (_, row) => (
        <span className="supervisor-customer nowrap">
          <Link to={`/agent?view=unassigned&c=${row.id}`}>{row.customerName ?? visitorName(row.id, t('console.visitor'))}</Link>
          {row.isVerified ? (
            <SafetyCertificateFilled className="verified-icon" title={t('console.verified')} aria-label={t('console.verified')} />
          ) : (
            <Tag className="visitor-tag">{t('console.visitorTag')}</Tag>
          )}
        </span>
      ),
    },
    { key: 'category', title: t('console.header.category'), render: (_, row) => t(`console.categories.${row.category}`) },
    {
      key: 'waiting',
      title: t('supervisor.waiting'),
      render: (_, row) => {
        const waited = now - Date.parse(row.waitingSince);
        return <span className={waited > 5 * 60_000 ? 'waiting-long' : undefined}>{formatDuration(waited, t)}</span>;
      },
    },
    { key: 'assign', title: t('supervisor.assign'), width: 200, render: (_, row) => agentPicker(row.id, null) },
  ];

  const activeColumns: TableProps<InboxItem>['columns'] = [
    {
      key: 'customer',
      title: t('supervisor.customer'),
      render: (_, row) => (
        <Link className="nowrap" to={`/agent?view=all&c=${row.id}`}>
          {customerNameOf(row, t('console.visitor'))}
        </Link>
      ),
    },
    {
      key: 'category',
      title: t('console.header.category'),
      render: (_, row) => <span className="nowrap">{t(`console.categories.${row.category}`)}</span>,
    },
    {
      key: 'status',
      title: t('agent.status'),
      render: (_, row) => <Tag color={statusColours[row.status]}>{t(`console.statuses.${row.status}`)}</Tag>,
    },
    {
      key: 'unread',
      title: t('supervisor.lastMessage'),
      responsive: ['xl'],
      render: (_, row) => (
        <Typography.Text type="secondary" ellipsis className="supervisor-preview">
          {row.lastMessage?.body ?? '—'}
        </Typography.Text>
      ),
    },
    { key: 'agent', title: t('supervisor.agent'), width: 200, render: (_, row) => agentPicker(row.id, row.assigneeId) },
  ];

  return (
    <div className="supervisor-page">
      <Typography.Title level={3} className="page-title">
        {t('agent.supervisorTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('supervisor.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} className="form-alert" />}
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card size="small" className="stat-card">
            <Statistic title={t('supervisor.queueLength')} value={live?.overview.queue.length ?? '—'} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small" className="stat-card">
            <Statistic title={t('supervisor.agentsOnline')} value={live?.overview.agentsOnline ?? '—'} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small" className="stat-card">
            <Statistic
              title={t('supervisor.nextWait')}
              value={live ? formatDuration(live.overview.estimatedWaitForNextSeconds * 1000, t) : '—'}
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small" className="stat-card">
            <Statistic
              title={t('supervisor.handleTime')}
              value={live ? formatDuration(live.overview.typicalHandleSeconds * 1000, t) : '—'}
            />
          </Card>
        </Col>
      </Row>

      <SlaAtRiskCard />

      <Row gutter={[16, 16]} className="page-section">
        <Col xs={24} xl={14}>
          <Card title={t('supervisor.queueTitle')} size="small" className="supervisor-card">
            <Table
              rowKey="id"
              size="small"
              columns={queueColumns}
              dataSource={live?.overview.queue ?? []}
              loading={!live && !error}
              pagination={false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('supervisor.queueEmpty')} /> }}
            />
          </Card>
          <Card title={t('supervisor.activeTitle')} size="small" className="supervisor-card page-section">
            <Table
              rowKey="id"
              size="small"
              columns={activeColumns}
              dataSource={live?.active ?? []}
              loading={!live && !error}
              pagination={false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('supervisor.activeEmpty')} /> }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            title={
              <span>
                <UserSwitchOutlined /> {t('supervisor.teamTitle')}
              </span>
            }
            size="small"
            className="supervisor-card"
          >
            {agents.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('supervisor.teamEmpty')} />
            ) : (
              <ul className="team-list">
                {agents.map((agent) => (
                  <AgentRow key={agent.id} agent={agent} now={now} />
                ))}
              </ul>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function AgentRow({ agent, now }: { agent: StaffWithLoad; now: number }) {
  const { t } = useTranslation();
  const percent = agent.capacity > 0 ? Math.round((agent.load / agent.capacity) * 100) : 0;
  return (
    <li className="team-member">
      <div className="team-member-head">
        <span className="team-member-name">{agent.name}</span>
        <Tag className="role-tag">{t(`agent.roles.${agent.role}`)}</Tag>
        <Tag color={presenceColours[agent.status]}>{t(`console.presence.${agent.status}`)}</Tag>
        {agent.lastActiveAt && (
          <span className="team-member-active">
            {t('supervisor.lastActive', { duration: formatDuration(now - Date.parse(agent.lastActiveAt), t) })}
          </span>
        )}
      </div>
      <div className="team-member-load">
        <Progress
          percent={percent}
          size="small"
          status={agent.load >= agent.capacity ? 'exception' : 'normal'}
          format={() => t('supervisor.load', { load: agent.load, capacity: agent.capacity })}
          aria-label={t('supervisor.loadLabel', { name: agent.name })}
        />
      </div>
    </li>
  );
}
