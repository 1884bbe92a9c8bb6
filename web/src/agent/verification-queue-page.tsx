import type { StaffVerification, VerificationStatus } from '@okpay/contracts';
import { verificationStatuses } from '@okpay/contracts';
import { Alert, Button, Card, Empty, Segmented, Table, type TableProps, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listVerifications } from '../api/compliance';
import { useLoaded } from '../api/use-loaded';
import { currentLocale } from '../i18n';
import { usePageTitle } from '../layout/use-page-title';
import { useStaffSession } from '../session/sessions';
import { formatDateTime } from '../wallet/money';
import { canSupervise } from './agent-layout';
import { verificationStatusColours } from './compliance-labels';
import { VerificationDrawer } from './verification-drawer';

function formatBytes(size: number): string {
  return size < 1024 * 1024
    ? `${Math.max(1, Math.round(size / 1024))} KB`
    : `${(Math.round((size / (1024 * 1024)) * 10) / 10).toFixed(1)} MB`;
}

/** /agent/verifications: identity submissions, oldest pending first; supervisors and admins decide. */
export function VerificationQueuePage() {
  const { t } = useTranslation();
  usePageTitle(t('agent.verifications.title'));
  const locale = currentLocale();
  const { state } = useStaffSession();
  const canReview = state.status === 'signed-in' && canSupervise(state.account.role);
  const [status, setStatus] = useState<VerificationStatus>('pending');
  const load = useCallback(() => listVerifications(status), [status]);
  const queue = useLoaded(['staff', 'verifications', status], load);
  const [openId, setOpenId] = useState<string>();

  const columns: TableProps<StaffVerification>['columns'] = [
    { key: 'submitted', title: t('security.submittedAt'), width: 170, render: (_, row) => formatDateTime(row.submittedAt, locale) },
    {
      key: 'customer',
      title: t('agent.verifications.customer'),
      render: (_, row) => (
        <div>
          <div>{row.customer.displayName}</div>
          <Typography.Text type="secondary">{row.customer.email}</Typography.Text>
        </div>
      ),
    },
    // On a phone the row keeps who, when and the status; the rest is one tap away in the drawer.
    { key: 'name', title: t('security.realName'), responsive: ['md'], render: (_, row) => row.realName },
    { key: 'type', title: t('security.idType'), responsive: ['lg'], render: (_, row) => t(`security.idTypes.${row.idType}`) },
    {
      key: 'number',
      title: t('security.idNumber'),
      responsive: ['md'],
      render: (_, row) => <span className="mono">{row.idNumberMasked}</span>,
    },
    {
      key: 'document',
      title: t('agent.verifications.document'),
      responsive: ['lg'],
      render: (_, row) => `${row.document.mimeType.replace('image/', '').toUpperCase()} · ${formatBytes(row.document.size)}`,
    },
    {
      key: 'status',
      title: t('agent.status'),
      render: (_, row) => <Tag color={verificationStatusColours[row.status]}>{t(`agent.verificationStatuses.${row.status}`)}</Tag>,
    },
    {
      key: 'open',
      title: '',
      align: 'right',
      render: (_, row) => (
        <Button size="small" onClick={() => setOpenId(row.id)}>
          {canReview && row.status === 'pending' ? t('agent.verifications.review') : t('agent.view')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={t('agent.verifications.title')}
      className="console-card"
      extra={
        <Segmented<VerificationStatus>
          value={status}
          onChange={setStatus}
          options={verificationStatuses.map((value) => ({ value, label: t(`agent.verificationStatuses.${value}`) }))}
        />
      }
    >
      {!canReview && <Alert type="info" showIcon title={t('agent.verifications.readOnly')} className="form-alert" />}
      {queue.error && <Alert type="error" showIcon title={queue.error} className="form-alert" />}
      <Table<StaffVerification>
        rowKey="id"
        columns={columns}
        dataSource={queue.data?.verifications ?? []}
        loading={queue.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowClassName="clickable-row"
        onRow={(row) => ({ onClick: () => setOpenId(row.id) })}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={status === 'pending' ? t('agent.verifications.emptyPending') : t('agent.verifications.empty')}
            />
          ),
        }}
      />
      <VerificationDrawer
        id={openId}
        canReview={canReview}
        onClose={() => setOpenId(undefined)}
        onReviewed={() => {
          setOpenId(undefined);
          void queue.reload();
        }}
      />
    </Card>
  );
}
