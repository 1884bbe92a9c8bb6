import { unfreezeRequestStatuses } from '@okpay/contracts';
import { Alert, Card, Empty, Result, Segmented, Skeleton, Space } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listUnfreezeRequests } from '../api/compliance';
import { useLoaded } from '../api/use-loaded';
import { usePageTitle } from '../layout/use-page-title';
import { useStaffSession } from '../session/sessions';
import { canSupervise } from './agent-layout';
import { UnfreezeRequestCard } from './unfreeze-request-card';

type RequestStatus = (typeof unfreezeRequestStatuses)[number];

/** /agent/unfreeze-requests: the checker's queue of the four-eyes unfreeze (supervisors and admins). */
export function UnfreezeRequestsPage() {
  const { t } = useTranslation();
  usePageTitle(t('agent.unfreeze.title'));
  const { state } = useStaffSession();
  if (state.status !== 'signed-in') return null;
  // The server enforces the checker role on every decision; hiding the page is only a courtesy.
  if (!canSupervise(state.account.role)) return <Result status="403" title="403" subTitle={t('agent.forbidden')} />;
  return <UnfreezeQueue staffId={state.account.id} />;
}

function UnfreezeQueue({ staffId }: { staffId: string }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<RequestStatus>('pending');
  const load = useCallback(() => listUnfreezeRequests(status), [status]);
  const requests = useLoaded(['staff', 'unfreeze-requests', status], load);
  const list = requests.data?.requests;

  return (
    <Card
      title={t('agent.unfreeze.title')}
      className="console-card"
      extra={
        <Segmented<RequestStatus>
          value={status}
          onChange={setStatus}
          options={unfreezeRequestStatuses.map((value) => ({ value, label: t(`agent.verificationStatuses.${value}`) }))}
        />
      }
    >
      {requests.error && <Alert type="error" showIcon title={requests.error} className="form-alert" />}
      {!list && !requests.error && <Skeleton active />}
      {list && list.length === 0 && (
        <Empty
          className="console-empty"
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={status === 'pending' ? t('agent.unfreeze.emptyPending') : t('agent.unfreeze.empty')}
        />
      )}
      {list && list.length > 0 && (
        <Space orientation="vertical" size="middle" className="full-width">
          {list.map((request) => (
            <UnfreezeRequestCard key={request.id} request={request} staffId={staffId} onDecided={() => void requests.reload()} />
          ))}
        </Space>
      )}
    </Card>
  );
}
