import type { RatingFollowUp, ReportBucket, ReportName } from '@okpay/contracts';
import { App, Button, Card, DatePicker, List, Result, Segmented, Select, Space, Tabs, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { listAgents, type StaffWithLoad } from '../../api/agent-console';
import { messageOf } from '../../api/client';
import { markRatingReviewed } from '../../api/ratings';
import { listRatingFollowUps, type ReportFilters } from '../../api/reports';
import { currentLocale } from '../../i18n';
import { usePageTitle } from '../../layout/use-page-title';
import { Face } from '../../rating/face';
import { useStaffSession } from '../../session/sessions';
import { canSupervise } from '../agent-layout';
import { formatShortTime, teamToday } from '../console/time';
import { ReportView } from './report-view';
import { StaffingView } from './staffing-view';

const tabs = ['volume', 'response-times', 'sla', 'csat', 'deflection', 'staffing'] as const;
type Tab = (typeof tabs)[number];
const categories = ['account', 'top_up', 'transactions', 'freeze', 'card_binding', 'exchange', 'other'] as const;

/** Quick ranges, ending today in the team's zone. */
function presets(t: TFunction): Array<{ label: string; value: [Dayjs, Dayjs] }> {
  const today = dayjs(teamToday());
  return [
    { label: t('reports.presets.week'), value: [today.subtract(6, 'day'), today] },
    { label: t('reports.presets.month'), value: [today.subtract(29, 'day'), today] },
    {
      label: t('reports.presets.lastMonth'),
      value: [today.subtract(1, 'month').startOf('month'), today.subtract(1, 'month').endOf('month')],
    },
    { label: t('reports.presets.year'), value: [today.subtract(364, 'day'), today] },
  ];
}

/** Low ratings waiting for a supervisor, beside the ratings report. */
function FollowUps() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [items, setItems] = useState<RatingFollowUp[]>();
  const load = useCallback(() => {
    listRatingFollowUps().then(
      (found) => setItems(found.followUps),
      (caught: unknown) => void message.error(messageOf(caught)),
    );
  }, [message]);
  useEffect(load, [load]);
  const review = async (conversationId: string) => {
    try {
      await markRatingReviewed(conversationId);
      void message.success(t('rating.markedReviewed'));
      load();
    } catch (caught) {
      void message.error(messageOf(caught));
    }
  };
  return (
    <Card size="small" title={t('reports.followUps.title', { count: items?.length ?? 0 })}>
      <List<RatingFollowUp>
        loading={items === undefined}
        dataSource={items ?? []}
        locale={{ emptyText: t('reports.followUps.empty') }}
        renderItem={(item) => (
          <List.Item
            actions={[
              <Link key="open" to={`/agent?c=${item.conversationId}`}>
                {t('reports.openConversation')}
              </Link>,
              <Button key="review" size="small" onClick={() => void review(item.conversationId)}>
                {t('rating.markReviewed')}
              </Button>,
            ]}
          >
            <List.Item.Meta
              avatar={<Face score={item.score} size={28} />}
              title={
                <Space size="small" wrap>
                  <span>{item.customerName ?? t('reports.followUps.anonymous')}</span>
                  {item.reference && <Typography.Text type="secondary">#{item.reference}</Typography.Text>}
                  <Tag>{t(`console.channels.${item.channel}`)}</Tag>
                  {item.reasons.map((reason) => (
                    <Tag key={reason} color="red">
                      {t(`rating.reasons.${reason}`)}
                    </Tag>
                  ))}
                </Space>
              }
              description={
                <>
                  {item.comment && <div>“{item.comment}”</div>}
                  <Typography.Text type="secondary">
                    {t('reports.followUps.meta', { agent: item.agentName ?? '—', time: formatShortTime(item.ratedAt, currentLocale()) })}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

/** 报表: how busy, how fast, how well (SLA, ratings, self-service) and how many agents are needed. */
export function ReportsPage() {
  const { t } = useTranslation();
  usePageTitle(t('reports.pageTitle'));
  const { state } = useStaffSession();
  const isAllowed = state.status === 'signed-in' && canSupervise(state.account.role);
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = (tabs as readonly string[]).includes(searchParams.get('tab') ?? '') ? (searchParams.get('tab') as Tab) : 'volume';
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs(teamToday()).subtract(6, 'day'), dayjs(teamToday())]);
  const [channel, setChannel] = useState<string>();
  const [agentId, setAgentId] = useState<string>();
  const [category, setCategory] = useState<string>();
  const [bucket, setBucket] = useState<ReportBucket>('day');
  const [agents, setAgents] = useState<StaffWithLoad[]>([]);

  useEffect(() => {
    if (!isAllowed) return;
    listAgents().then(
      (found) => setAgents(found.agents.filter((agent) => agent.role !== 'editor')),
      () => setAgents([]),
    );
  }, [isAllowed]);

  const days = range[1].diff(range[0], 'day') + 1;
  // Hourly buckets cover at most 31 days; a longer range falls back to days.
  const effectiveBucket = bucket === 'hour' && days > 31 ? 'day' : bucket;
  const filters: ReportFilters = useMemo(
    () => ({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), channel, agentId, category, bucket: effectiveBucket }),
    [range, channel, agentId, category, effectiveBucket],
  );
  if (!isAllowed) return <Result status="403" title={t('reports.forbidden')} />;

  const filterBar = (
    <Card size="small" className="report-filters">
      <Space wrap size="middle">
        <DatePicker.RangePicker
          allowClear={false}
          value={range}
          presets={presets(t)}
          disabledDate={(date) => date.isAfter(dayjs(teamToday()), 'day')}
          onChange={(value) => value?.[0] && value[1] && setRange([value[0], value[1]])}
          aria-label={t('reports.range')}
        />
        <Select
          allowClear
          placeholder={t('reports.allChannels')}
          style={{ width: 130 }}
          value={channel}
          onChange={setChannel}
          options={(['chat', 'email', 'phone'] as const).map((value) => ({ value, label: t(`console.channels.${value}`) }))}
          aria-label={t('reports.channel')}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('reports.allAgents')}
          style={{ width: 160 }}
          value={agentId}
          onChange={setAgentId}
          options={agents.map((agent) => ({ value: agent.id, label: agent.name }))}
          aria-label={t('reports.agent')}
        />
        <Select
          allowClear
          placeholder={t('reports.allCategories')}
          style={{ width: 140 }}
          value={category}
          onChange={setCategory}
          options={categories.map((value) => ({ value, label: t(`console.categories.${value}`) }))}
          aria-label={t('reports.category')}
        />
        <Segmented<ReportBucket>
          value={effectiveBucket}
          onChange={setBucket}
          options={[
            { value: 'hour', label: t('reports.buckets.hour'), disabled: days > 31 },
            { value: 'day', label: t('reports.buckets.day') },
            { value: 'week', label: t('reports.buckets.week') },
            { value: 'month', label: t('reports.buckets.month') },
            { value: 'hour_of_week', label: t('reports.buckets.hour_of_week') },
          ]}
          aria-label={t('reports.bucket')}
        />
      </Space>
    </Card>
  );

  const view = (name: ReportName) => (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {filterBar}
      <ReportView name={name} filters={filters} extra={name === 'csat' ? <FollowUps /> : undefined} />
    </Space>
  );
  return (
    <div className="reports-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('reports.pageTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('reports.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearchParams({ tab: key }, { replace: true })}
        destroyOnHidden
        items={tabs.map((key) => ({
          key,
          label: t(`reports.tabs.${key}`),
          children: key === 'staffing' ? <StaffingView /> : view(key),
        }))}
      />
    </div>
  );
}
