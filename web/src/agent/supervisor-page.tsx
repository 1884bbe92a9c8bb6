import { Card, Empty, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../layout/use-page-title';
import { useStaffSession } from '../session/sessions';
import { canSupervise } from './agent-layout';

/** Supervisors and admins see the team here; agents are told they may not. */
export function SupervisorPage() {
  const { t } = useTranslation();
  usePageTitle(t('agent.supervisorTitle'));
  const { state } = useStaffSession();
  if (state.status !== 'signed-in') return null;
  // The server enforces roles on every supervisor API; hiding the page is only a courtesy.
  if (!canSupervise(state.account.role)) return <Result status="403" title="403" subTitle={t('agent.forbidden')} />;
  return (
    <Card title={t('agent.supervisorTitle')} className="console-card">
      <Empty
        className="console-empty"
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={
          <>
            <div className="empty-title">{t('agent.supervisorEmpty')}</div>
            <div className="empty-hint">{t('agent.supervisorHint')}</div>
          </>
        }
      />
    </Card>
  );
}
