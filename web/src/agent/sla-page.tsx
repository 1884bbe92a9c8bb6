import { PlusOutlined } from '@ant-design/icons';
import {
  conversationCategories,
  type SaveSlaPolicyRequest,
  type SlaPolicy,
  type SlaTarget,
  type SlaTargetName,
  slaTargets,
} from '@okpay/contracts';
import { Alert, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getSlaSettings, removeSlaPolicy, saveSlaPolicy } from '../api/sla';
import { usePageTitle } from '../layout/use-page-title';
import { useAdminSettings } from './use-admin-settings';

const channels = ['chat', 'email', 'phone'] as const;
const priorities = ['low', 'normal', 'high', 'urgent'] as const;
const fieldOf: Record<SlaTargetName, 'firstReply' | 'nextReply' | 'resolution'> = {
  first_reply: 'firstReply',
  next_reply: 'nextReply',
  resolution: 'resolution',
};
type Unit = 'minutes' | 'hours' | 'days';
const unitMinutes: Record<Unit, number> = { minutes: 1, hours: 60, days: 9 * 60 };

/** "2 分钟", "48 小时", "27 小时": a target's amount. */
export function amountText(minutes: number, t: TFunction): string {
  if (minutes < 60) return t('sla.policies.amountText.minutes', { count: minutes });
  if (minutes % 60 === 0) return t('sla.policies.amountText.hours', { count: minutes / 60 });
  return t('sla.policies.amountText.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

function targetText(target: SlaTarget | null, channelCalendar: string, t: TFunction): string {
  if (!target) return t('sla.policies.none');
  const amount = amountText(target.minutes, t);
  return target.clock === 'wall'
    ? t('sla.policies.target.wall', { amount })
    : t('sla.policies.target.business', { amount, calendar: target.calendar ?? channelCalendar });
}

type TargetForm = { enabled: boolean; amount: number; unit: Unit; clock: 'business' | 'wall'; calendar: string };
type PolicyForm = {
  name: string;
  channel: SlaPolicy['channel'];
  priority: string;
  category: string;
} & Record<SlaTargetName, TargetForm>;

function toForm(target: SlaTarget | null): TargetForm {
  if (!target) return { enabled: false, amount: 1, unit: 'hours', clock: 'business', calendar: '' };
  const unit: Unit = target.minutes % 60 === 0 && target.minutes >= 60 ? 'hours' : 'minutes';
  return { enabled: true, amount: target.minutes / unitMinutes[unit], unit, clock: target.clock, calendar: target.calendar ?? '' };
}

function fromForm(form: TargetForm): SlaTarget | null {
  if (!form.enabled) return null;
  return {
    minutes: Math.round(form.amount * unitMinutes[form.unit]),
    clock: form.clock,
    calendar: form.clock === 'business' && form.calendar ? form.calendar : null,
  };
}

/** SLA policies: targets per channel and priority (optionally category), edited by admins. */
export function SlaPage() {
  const { t } = useTranslation();
  usePageTitle(t('sla.title'));
  const { isAdmin, current, error, apply } = useAdminSettings(['staff', 'sla-settings'], getSlaSettings);
  const [editing, setEditing] = useState<{ policy: SlaPolicy | null } | undefined>();
  const [form] = Form.useForm<PolicyForm>();

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!current) return <Card loading />;

  const open = (policy: SlaPolicy | null) => {
    setEditing({ policy });
    form.setFieldsValue({
      name: policy?.name ?? '',
      channel: policy?.channel ?? 'chat',
      priority: policy?.priority ?? '',
      category: policy?.category ?? '',
      first_reply: toForm(policy?.firstReply ?? null),
      next_reply: toForm(policy?.nextReply ?? null),
      resolution: toForm(policy?.resolution ?? null),
    });
  };

  const submit = async () => {
    const values = await form.validateFields();
    const body: SaveSlaPolicyRequest = {
      channel: values.channel,
      priority: (values.priority || null) as SaveSlaPolicyRequest['priority'],
      category: (values.category || null) as SaveSlaPolicyRequest['category'],
      firstReply: fromForm(values.first_reply),
      nextReply: fromForm(values.next_reply),
      resolution: fromForm(values.resolution),
    };
    const name = editing?.policy?.name ?? values.name;
    if (await apply(saveSlaPolicy(name, body), t('sla.policies.saved'))) setEditing(undefined);
  };

  const channelCalendar = (channel: string) => current.channelCalendars[channel as SlaPolicy['channel']] ?? 'default';
  const isShippedEdit = editing?.policy?.isShipped === true;

  return (
    <Space orientation="vertical" size="large" className="full-width">
      <div>
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          {t('sla.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('sla.intro', { percent: current.warningPercent })}</Typography.Paragraph>
        {!isAdmin && <Alert type="info" showIcon title={t('sla.policies.readOnly')} />}
      </div>
      <Card
        title={t('sla.policies.listTitle')}
        extra={
          isAdmin && (
            <Button icon={<PlusOutlined />} onClick={() => open(null)}>
              {t('sla.policies.create')}
            </Button>
          )
        }
      >
        <Table<SlaPolicy>
          rowKey="name"
          pagination={false}
          dataSource={current.policies}
          scroll={{ x: true }}
          columns={[
            {
              title: t('sla.policies.name'),
              dataIndex: 'name',
              render: (name: string, policy) => (
                <Space size={4} style={{ whiteSpace: 'nowrap' }}>
                  <Typography.Text strong>{name}</Typography.Text>
                  {policy.isShipped && <Tag>{t('sla.policies.shipped')}</Tag>}
                  {policy.isChanged && <Tag color="blue">{t('sla.policies.changed')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('sla.policies.channel'),
              dataIndex: 'channel',
              render: (channel: string) => t(`hours.channels.${channel as 'chat'}`),
            },
            {
              title: t('sla.policies.priority'),
              dataIndex: 'priority',
              render: (priority: string | null) => (priority ? t(`console.priorities.${priority as 'normal'}`) : t('sla.policies.any')),
            },
            {
              title: t('sla.policies.category'),
              dataIndex: 'category',
              render: (category: string | null) => (category ? t(`console.categories.${category as 'other'}`) : t('sla.policies.any')),
            },
            ...slaTargets.map((target) => ({
              title: t(`sla.targets.${target}`),
              key: target,
              render: (_: unknown, policy: SlaPolicy) => targetText(policy[fieldOf[target]], channelCalendar(policy.channel), t),
            })),
            ...(isAdmin
              ? [
                  {
                    title: '',
                    key: 'actions',
                    render: (_: unknown, policy: SlaPolicy) => (
                      <Space>
                        <Button size="small" onClick={() => open(policy)} aria-label={`${t('sla.policies.edit')} ${policy.name}`}>
                          {t('sla.policies.edit')}
                        </Button>
                        {(!policy.isShipped || policy.isChanged) && (
                          <Popconfirm
                            title={t(policy.isShipped ? 'sla.policies.confirmReset' : 'sla.policies.confirmRemove', { name: policy.name })}
                            onConfirm={() =>
                              apply(removeSlaPolicy(policy.name), t(policy.isShipped ? 'sla.policies.resetDone' : 'sla.policies.removed'))
                            }
                          >
                            <Button size="small" danger={!policy.isShipped}>
                              {t(policy.isShipped ? 'sla.policies.reset' : 'sla.policies.remove')}
                            </Button>
                          </Popconfirm>
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>

      <Modal
        open={editing !== undefined}
        title={editing?.policy ? `${t('sla.policies.edit')} ${editing.policy.name}` : t('sla.policies.create')}
        onCancel={() => setEditing(undefined)}
        onOk={() => void submit()}
        okText={t('sla.policies.save')}
        width={720}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          {!editing?.policy && (
            <Form.Item
              name="name"
              label={t('sla.policies.name')}
              extra={t('sla.policies.nameHelp')}
              rules={[{ required: true, pattern: /^[a-z][a-z0-9-]{1,39}$/, message: t('sla.policies.nameHelp') }]}
            >
              <Input />
            </Form.Item>
          )}
          <Space wrap>
            <Form.Item name="channel" label={t('sla.policies.channel')}>
              <Select
                disabled={isShippedEdit}
                style={{ minWidth: 140 }}
                options={channels.map((channel) => ({ value: channel, label: t(`hours.channels.${channel}`) }))}
              />
            </Form.Item>
            <Form.Item name="priority" label={t('sla.policies.priority')}>
              <Select
                disabled={isShippedEdit}
                style={{ minWidth: 140 }}
                options={[
                  { value: '', label: t('sla.policies.any') },
                  ...priorities.map((priority) => ({ value: priority, label: t(`console.priorities.${priority}`) })),
                ]}
              />
            </Form.Item>
            <Form.Item name="category" label={t('sla.policies.category')}>
              <Select
                disabled={isShippedEdit}
                style={{ minWidth: 160 }}
                options={[
                  { value: '', label: t('sla.policies.any') },
                  ...conversationCategories.map((category) => ({ value: category, label: t(`console.categories.${category}`) })),
                ]}
              />
            </Form.Item>
          </Space>
          {slaTargets.map((target) => (
            <TargetFields key={target} target={target} calendars={current.calendars} channelCalendar={channelCalendar} />
          ))}
        </Form>
      </Modal>
    </Space>
  );
}

function TargetFields({
  target,
  calendars,
  channelCalendar,
}: {
  target: SlaTargetName;
  calendars: string[];
  channelCalendar: (channel: string) => string;
}) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<PolicyForm>();
  const enabled = Form.useWatch([target, 'enabled'], form);
  const clock = Form.useWatch([target, 'clock'], form);
  const channel = Form.useWatch('channel', form) ?? 'chat';
  return (
    <Card size="small" title={t(`sla.targets.${target}`)} style={{ marginBottom: 12 }} data-testid={`sla-target-${target}`}>
      <Form.Item name={[target, 'enabled']} valuePropName="checked" style={{ marginBottom: enabled ? 8 : 0 }}>
        <Checkbox>{t('sla.policies.enabled')}</Checkbox>
      </Form.Item>
      {enabled && (
        <Space wrap align="start">
          <Form.Item name={[target, 'amount']} label={t('sla.policies.amount')} rules={[{ required: true, type: 'number', min: 1 }]}>
            <InputNumber min={1} max={366 * 24 * 60} />
          </Form.Item>
          <Form.Item name={[target, 'unit']} label={t('sla.policies.unit')}>
            <Select
              style={{ minWidth: 170 }}
              options={(['minutes', 'hours', 'days'] as const).map((unit) => ({ value: unit, label: t(`sla.policies.units.${unit}`) }))}
            />
          </Form.Item>
          <Form.Item name={[target, 'clock']} label={t('sla.policies.clock')}>
            <Select
              style={{ minWidth: 140 }}
              options={(['business', 'wall'] as const).map((value) => ({ value, label: t(`sla.policies.clocks.${value}`) }))}
            />
          </Form.Item>
          {clock === 'business' && (
            <Form.Item name={[target, 'calendar']} label={t('sla.policies.calendar')}>
              <Select
                style={{ minWidth: 200 }}
                options={[
                  { value: '', label: t('sla.policies.channelCalendar', { calendar: channelCalendar(channel) }) },
                  ...calendars.map((name) => ({ value: name, label: name })),
                ]}
              />
            </Form.Item>
          )}
        </Space>
      )}
    </Card>
  );
}
