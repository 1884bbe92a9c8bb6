import type { StaffingPlan } from '@okpay/contracts';
import { Alert, Card, Col, DatePicker, Form, InputNumber, Row, Select, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getStaffingPlan, type StaffingFilters } from '../../api/reports';
import { useLoaded } from '../../api/use-loaded';
import { formatDuration, teamToday } from '../console/time';
import { EChart } from './echart';

type Interval = StaffingPlan['intervals'][number];

/**
 * How many agents each half hour of a day needs: contacts forecast from the same kind of day in
 * past weeks, Erlang C against the service target, and who is (or usually is) online.
 */
/** A ratio edited as a whole percentage; 0 counts only where the minimum allows it. */
function PercentInput({
  label,
  min,
  max,
  value,
  onChange,
}: {
  label?: string;
  min: number;
  max: number;
  value: number;
  onChange(ratio: number): void;
}) {
  return (
    <InputNumber
      aria-label={label}
      min={min}
      max={max}
      value={Math.round(value * 100)}
      onChange={(percent) => {
        if (percent !== null && (percent !== 0 || min === 0)) onChange(percent / 100);
      }}
      suffix="%"
      style={{ width: 90 }}
    />
  );
}

export function StaffingView() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<StaffingFilters>({
    date: dayjs(teamToday()).add(1, 'day').format('YYYY-MM-DD'),
    channel: 'chat',
    answerWithinSeconds: 20,
    serviceLevel: 0.8,
    maxOccupancy: 0.85,
    shrinkage: 0.3,
  });
  const { data: plan, error } = useLoaded(['staff', 'staffing', filters], () => getStaffingPlan(filters), { keepPrevious: true });

  const change = (patch: Partial<StaffingFilters>) => setFilters((current) => ({ ...current, ...patch }));
  const open = useMemo(() => plan?.intervals.filter((interval) => interval.isOpen || interval.forecast > 0) ?? [], [plan]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 48, bottom: 28, containLabel: true },
      xAxis: { type: 'category', data: open.map((interval) => interval.label) },
      yAxis: [
        { type: 'value', name: t('reports.staffing.contactsAxis'), minInterval: 1 },
        { type: 'value', name: t('reports.staffing.agentsAxis'), minInterval: 1 },
      ],
      series: [
        {
          name: t('reports.staffing.forecast'),
          type: 'bar',
          data: open.map((interval) => interval.forecast),
          itemStyle: { color: '#adc6ff' },
        },
        { name: t('reports.staffing.actual'), type: 'bar', data: open.map((interval) => interval.actual), itemStyle: { color: '#1677ff' } },
        {
          name: t('reports.staffing.required'),
          type: 'line',
          yAxisIndex: 1,
          step: 'middle',
          data: open.map((interval) => interval.required),
          itemStyle: { color: '#fa541c' },
        },
        {
          name: t('reports.staffing.online'),
          type: 'line',
          yAxisIndex: 1,
          step: 'middle',
          data: open.map((interval) => interval.online ?? interval.typicalOnline),
          itemStyle: { color: '#52c41a' },
          lineStyle: { type: 'dashed' },
        },
      ],
    }),
    [open, t],
  );

  const understaffed = plan?.intervals.filter((interval) => interval.isUnderstaffed) ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Form layout="inline" className="staffing-form">
          <Form.Item label={t('reports.staffing.date')}>
            <DatePicker
              allowClear={false}
              value={dayjs(filters.date)}
              onChange={(value: Dayjs | null) => value && change({ date: value.format('YYYY-MM-DD') })}
            />
          </Form.Item>
          <Form.Item label={t('reports.channel')}>
            <Select
              style={{ width: 120 }}
              value={filters.channel}
              onChange={(channel) => change({ channel })}
              options={(['chat', 'phone', 'email'] as const).map((channel) => ({
                value: channel,
                label: t(`console.channels.${channel}`),
              }))}
            />
          </Form.Item>
          <Form.Item label={t('reports.staffing.target')}>
            <Space.Compact>
              <PercentInput
                label={t('reports.staffing.serviceLevel')}
                min={1}
                max={99}
                value={filters.serviceLevel}
                onChange={(serviceLevel) => change({ serviceLevel })}
              />
              <InputNumber
                aria-label={t('reports.staffing.answerWithin')}
                min={1}
                max={3600}
                value={filters.answerWithinSeconds}
                onChange={(value) => value && change({ answerWithinSeconds: value })}
                suffix={t('reports.staffing.secondsUnit')}
                style={{ width: 110 }}
              />
            </Space.Compact>
          </Form.Item>
          <Form.Item label={t('reports.staffing.maxOccupancy')}>
            <PercentInput min={10} max={100} value={filters.maxOccupancy} onChange={(maxOccupancy) => change({ maxOccupancy })} />
          </Form.Item>
          <Form.Item label={t('reports.staffing.shrinkage')}>
            <PercentInput min={0} max={90} value={filters.shrinkage} onChange={(shrinkage) => change({ shrinkage })} />
          </Form.Item>
          {filters.channel === 'chat' && (
            <Form.Item label={t('reports.staffing.concurrency')}>
              <InputNumber
                min={1}
                max={5}
                placeholder={plan ? String(plan.parameters.concurrency) : undefined}
                value={filters.concurrency}
                onChange={(value) => change({ concurrency: value ?? undefined })}
                style={{ width: 80 }}
              />
            </Form.Item>
          )}
        </Form>
      </Card>
      {error && <Alert type="error" showIcon title={error} />}
      {!plan && !error && <Skeleton active />}
      {plan && (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('reports.staffing.peak')}
                  value={plan.peak ? t('reports.staffing.peakValue', { time: plan.peak.label, agents: plan.peak.required }) : '—'}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('reports.staffing.forecastTotal')}
                  value={Math.round(plan.intervals.reduce((sum, interval) => sum + interval.forecast, 0))}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('reports.staffing.aht')}
                  value={plan.parameters.ahtSeconds === null ? '—' : formatDuration(plan.parameters.ahtSeconds * 1000, t)}
                  suffix={
                    plan.parameters.concurrencyFactor > 1 && plan.parameters.effectiveAhtSeconds !== null ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('reports.staffing.effectiveAht', {
                          aht: formatDuration(plan.parameters.effectiveAhtSeconds * 1000, t),
                          concurrency: plan.parameters.concurrency,
                        })}
                      </Typography.Text>
                    ) : undefined
                  }
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('reports.staffing.understaffed')}
                  value={understaffed.length}
                  valueStyle={{ color: understaffed.length ? '#cf1322' : undefined }}
                />
              </Card>
            </Col>
          </Row>
          <Typography.Text type="secondary">
            {t(plan.parameters.forecastBasis === 'recent' ? 'reports.staffing.basisRecent' : 'reports.staffing.basis', {
              kind: t(`reports.staffing.dayKinds.${plan.dayKind}`, { defaultValue: plan.dayKind }),
              days: plan.parameters.historyDays.length,
              zone: plan.timeZone,
            })}
          </Typography.Text>
          {plan.parameters.ahtSeconds === null && <Alert type="info" showIcon title={t('reports.staffing.noHistory')} />}
          {plan.channel === 'email' && <Alert type="info" showIcon title={t('reports.staffing.emailNote')} />}
          <Card size="small" title={t('reports.staffing.chartTitle')}>
            <EChart option={option} label={t('reports.staffing.chartTitle')} height={320} />
          </Card>
          <Card size="small" title={t('reports.staffing.tableTitle')}>
            <Table<Interval>
              size="small"
              rowKey="start"
              dataSource={open}
              pagination={false}
              scroll={{ x: 'max-content', y: 480 }}
              rowClassName={(interval) => (interval.isUnderstaffed ? 'staffing-understaffed' : '')}
              aria-label={t('reports.staffing.tableTitle')}
              columns={[
                { key: 'label', title: t('reports.staffing.interval'), dataIndex: 'label' },
                { key: 'forecast', title: t('reports.staffing.forecast'), dataIndex: 'forecast', align: 'right' },
                { key: 'actual', title: t('reports.staffing.actual'), align: 'right', render: (_, interval) => interval.actual ?? '—' },
                {
                  key: 'required',
                  title: t('reports.staffing.required'),
                  align: 'right',
                  render: (_, interval) => interval.required ?? '—',
                },
                {
                  key: 'scheduled',
                  title: t('reports.staffing.scheduled'),
                  align: 'right',
                  render: (_, interval) => interval.scheduled ?? '—',
                },
                {
                  key: 'online',
                  title: t('reports.staffing.online'),
                  align: 'right',
                  render: (_, interval) =>
                    interval.online !== null ? interval.online : interval.typicalOnline !== null ? `~${interval.typicalOnline}` : '—',
                },
                {
                  key: 'serviceLevel',
                  title: t('reports.staffing.achieved'),
                  align: 'right',
                  render: (_, interval) => (interval.serviceLevel === null ? '—' : `${(interval.serviceLevel * 100).toFixed(1)}%`),
                },
                {
                  key: 'flag',
                  title: '',
                  render: (_, interval) =>
                    interval.isUnderstaffed ? (
                      <Tag color="red">{t('reports.staffing.short')}</Tag>
                    ) : !interval.isOpen ? (
                      <Tag>{t('reports.staffing.closed')}</Tag>
                    ) : null,
                },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
