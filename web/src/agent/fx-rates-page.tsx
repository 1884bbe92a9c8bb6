import { type FxRateChange, type FxRates, fxRateChangeStatuses } from '@okpay/contracts';
import { Alert, App, Button, Card, Empty, Form, Input, List, Modal, Segmented, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../api/client';
import { decideFxRateChange, listFxRateChanges, listFxRates, setFxRate } from '../api/fx-rates';
import { useLoaded } from '../api/use-loaded';
import { useSubmission } from '../forms/use-submission';
import { currentLocale } from '../i18n';
import { usePageTitle } from '../layout/use-page-title';
import { useStaffSession } from '../session/sessions';
import { formatDateTime } from '../wallet/money';

type Rate = FxRates['rates'][number];
type ChangeStatus = FxRateChange['status'];

const rateText = /^\d{1,12}(\.\d{1,10})?$/;

/** 7.1000000000 → 7.1: the stored scale says nothing the admin typed. */
export function trimRate(rate: string): string {
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
}

/** The change as the admin types it; the server decides exactly, this only says what to expect. */
function previewChange(from: string, to: string, band: number): { percent: string; isWithinBand: boolean } | undefined {
  if (!rateText.test(to) || Number(to) <= 0) return undefined;
  const change = ((Number(to) - Number(from)) / Number(from)) * 100;
  // Cut to two decimals toward zero, as the server words it: -99.9999 % reads -99.99, not -100.00.
  const shown = (Math.trunc(change * 100) / 100).toFixed(2);
  return { percent: `${change > 0 ? '+' : ''}${shown}`, isWithinBand: Math.abs(change) <= band };
}

/** /agent/fx-rates: the mid rates, and the four-eyes queue for changes beyond the band (admins decide). */
export function FxRatesPage() {
  const { t } = useTranslation();
  usePageTitle(t('agent.fx.title'));
  const { state } = useStaffSession();
  const rates = useLoaded(['staff', 'fx-rates'], listFxRates);
  const [status, setStatus] = useState<ChangeStatus>('pending');
  const loadChanges = useCallback(() => listFxRateChanges(status), [status]);
  const changes = useLoaded(['staff', 'fx-rate-changes', status], loadChanges);
  const [editing, setEditing] = useState<Rate>();
  if (state.status !== 'signed-in') return null;
  const isAdmin = state.account.role === 'admin';
  const band = rates.data?.bandPercent ?? 10;
  const locale = currentLocale();
  const reloadAll = () => {
    void rates.reload();
    void changes.reload();
  };

  return (
    <Space orientation="vertical" size="large" className="full-width">
      <Card title={t('agent.fx.title')} className="console-card">
        {rates.data && (
          <Typography.Paragraph type="secondary">{t('agent.fx.intro', { spread: `${rates.data.spreadBps / 100}%` })}</Typography.Paragraph>
        )}
        <Alert type="info" showIcon className="form-alert" title={t('agent.fx.bandRule', { band })} />
        {!isAdmin && <Typography.Paragraph type="secondary">{t('agent.fx.readOnly')}</Typography.Paragraph>}
        {rates.error && <Alert type="error" showIcon title={rates.error} className="form-alert" />}
        {!rates.data && !rates.error && <Skeleton active />}
        {rates.data && (
          <Table<Rate>
            rowKey="currency"
            pagination={false}
            size="middle"
            dataSource={rates.data.rates.filter((rate) => rate.currency !== 'USD')}
            columns={[
              { title: t('agent.fx.currency'), dataIndex: 'currency', width: 100 },
              {
                title: t('agent.fx.unitsPerUsd'),
                dataIndex: 'unitsPerUsd',
                render: (value: string) => <span className="tabular">{trimRate(value)}</span>,
              },
              { title: t('agent.fx.updatedAt'), dataIndex: 'updatedAt', render: (value: string) => formatDateTime(value, locale) },
              {
                title: t('agent.fx.updatedBy'),
                dataIndex: 'updatedByName',
                render: (value: string | null) => value ?? t('agent.fx.shipped'),
              },
              ...(isAdmin
                ? [
                    {
                      title: '',
                      key: 'edit',
                      width: 100,
                      render: (_: unknown, rate: Rate) => (
                        <Button
                          size="small"
                          onClick={() => setEditing(rate)}
                          aria-label={t('agent.fx.editTitle', { currency: rate.currency })}
                        >
                          {t('agent.fx.edit')}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>

      <Card
        title={t('agent.fx.changesTitle')}
        className="console-card"
        extra={
          <Segmented<ChangeStatus>
            value={status}
            onChange={setStatus}
            options={fxRateChangeStatuses.map((value) => ({ value, label: t(`agent.fx.statuses.${value}`) }))}
          />
        }
      >
        {changes.error && <Alert type="error" showIcon title={changes.error} className="form-alert" />}
        {!changes.data && !changes.error && <Skeleton active />}
        {changes.data && changes.data.changes.length === 0 && (
          <Empty
            className="console-empty"
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={status === 'pending' ? t('agent.fx.emptyPending') : t('agent.fx.empty')}
          />
        )}
        {changes.data && changes.data.changes.length > 0 && (
          <List
            dataSource={changes.data.changes}
            renderItem={(change) => <RateChangeItem change={change} staffId={state.account.id} canDecide={isAdmin} onDecided={reloadAll} />}
          />
        )}
      </Card>

      <RateEditor
        rate={editing}
        band={band}
        onClose={() => setEditing(undefined)}
        onDone={() => {
          setEditing(undefined);
          reloadAll();
        }}
      />
    </Space>
  );
}

function RateChangeItem({
  change,
  staffId,
  canDecide,
  onDecided,
}: {
  change: FxRateChange;
  staffId: string;
  canDecide: boolean;
  onDecided(): void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const locale = currentLocale();
  const [error, setError] = useState<string>();
  const [isDeciding, setDeciding] = useState(false);
  const isOwn = change.proposedBy.id === staffId;
  const percent =
    change.changePercent === null ? t('agent.fx.firstRate') : `${change.changePercent.startsWith('-') ? '' : '+'}${change.changePercent}%`;

  const decide = async (decision: 'approve' | 'reject', note?: string) => {
    setDeciding(true);
    setError(undefined);
    try {
      await decideFxRateChange(change.id, decision, note);
      void message.success(decision === 'approve' ? t('agent.fx.approved', { currency: change.currency }) : t('agent.fx.rejected'));
      onDecided();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setDeciding(false);
    }
  };

  const askWhy = () => {
    let note = '';
    modal.confirm({
      title: t('agent.fx.rejectTitle'),
      content: (
        <Input.TextArea
          aria-label={t('agent.fx.rejectNote')}
          placeholder={t('agent.fx.rejectNote')}
          maxLength={500}
          rows={3}
          onChange={(event) => {
            note = event.target.value;
          }}
        />
      ),
      okText: t('agent.fx.reject'),
      okButtonProps: { danger: true },
      cancelText: t('app.cancel'),
      onOk: async () => {
        if (!note.trim()) {
          void message.warning(t('agent.fx.rejectNoteRequired'));
          throw new Error('note required');
        }
        await decide('reject', note.trim());
      },
    });
  };

  return (
    <List.Item
      actions={
        change.status === 'pending' && canDecide && !isOwn
          ? [
              <Button key="approve" type="primary" loading={isDeciding} onClick={() => void decide('approve')}>
                {t('agent.fx.approve')}
              </Button>,
              <Button key="reject" danger disabled={isDeciding} onClick={askWhy}>
                {t('agent.fx.reject')}
              </Button>,
            ]
          : undefined
      }
    >
      <List.Item.Meta
        title={
          <Space wrap>
            <strong>{change.currency}</strong>
            <span className="tabular">
              {t('agent.fx.change', {
                from: change.fromUnitsPerUsd === null ? '—' : trimRate(change.fromUnitsPerUsd),
                to: trimRate(change.toUnitsPerUsd),
              })}
            </span>
            <Tag color={Math.abs(Number(change.changePercent ?? 100)) > 50 ? 'red' : 'orange'}>{percent}</Tag>
          </Space>
        }
        description={
          <Space orientation="vertical" size={2}>
            <span>
              {t('agent.fx.proposedBy', { name: change.proposedBy.displayName, time: formatDateTime(change.proposedAt, locale) })}
            </span>
            {change.proposalNote && <span>“{change.proposalNote}”</span>}
            {change.decidedBy && change.decidedAt && (
              <span>
                {t('agent.fx.decidedBy', { name: change.decidedBy.displayName, time: formatDateTime(change.decidedAt, locale) })}
                {change.decisionNote ? `：“${change.decisionNote}”` : ''}
              </span>
            )}
            {change.status === 'pending' && isOwn && <Typography.Text type="warning">{t('agent.fx.ownProposal')}</Typography.Text>}
            {error && <Alert type="error" showIcon title={error} role="alert" />}
          </Space>
        }
      />
    </List.Item>
  );
}

function RateEditor({ rate, band, onClose, onDone }: { rate: Rate | undefined; band: number; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ unitsPerUsd: string; note?: string }>();
  const { isSubmitting: isSaving, error, run, clear } = useSubmission();
  const typed = Form.useWatch('unitsPerUsd', form) ?? '';
  const preview = rate ? previewChange(rate.unitsPerUsd, typed.trim(), band) : undefined;

  useEffect(() => {
    if (rate) {
      form.setFieldsValue({ unitsPerUsd: trimRate(rate.unitsPerUsd), note: '' });
      clear();
    }
  }, [rate, form, clear]);

  const submit = async () => {
    if (!rate) return;
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    await run(async () => {
      const answer = await setFxRate(rate.currency, values.unitsPerUsd.trim(), values.note?.trim() || undefined);
      void message.success(answer.status === 'applied' ? t('agent.fx.applied', { currency: rate.currency }) : t('agent.fx.submitted'));
      onDone();
    });
  };

  return (
    <Modal
      open={rate !== undefined}
      title={rate && t('agent.fx.editTitle', { currency: rate.currency })}
      okText={t('agent.fx.save')}
      okButtonProps={{ loading: isSaving }}
      cancelText={t('app.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {rate && (
        <Form form={form} layout="vertical" requiredMark={false} disabled={isSaving}>
          <Typography.Paragraph type="secondary">{t('agent.fx.current', { rate: trimRate(rate.unitsPerUsd) })}</Typography.Paragraph>
          <Form.Item
            label={t('agent.fx.newRate', { currency: rate.currency })}
            name="unitsPerUsd"
            rules={[
              {
                validator: (_, value: string | undefined) =>
                  value && rateText.test(value.trim()) && Number(value) > 0
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('agent.fx.rateRequired'))),
              },
            ]}
          >
            <Input inputMode="decimal" autoComplete="off" className="tabular" />
          </Form.Item>
          {preview && (
            <Alert
              type={preview.isWithinBand ? 'success' : 'warning'}
              showIcon
              className="form-alert"
              title={
                preview.isWithinBand
                  ? t('agent.fx.willApply', { percent: preview.percent, band })
                  : t('agent.fx.needsApproval', { percent: preview.percent, band })
              }
            />
          )}
          <Form.Item
            label={t('agent.fx.reason')}
            name="note"
            extra={t('agent.fx.reasonHint')}
            rules={[{ max: 500, message: t('agent.noteTooLong', { max: 500 }) }]}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} role="alert" />}
        </Form>
      )}
    </Modal>
  );
}
