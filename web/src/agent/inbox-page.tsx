import { Card, Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../layout/use-page-title';

/** The agent's conversations; empty until the conversation module lands. */
export function InboxPage() {
  const { t } = useTranslation();
  usePageTitle(t('agent.inboxTitle'));
  return (
    <Card title={t('agent.inboxTitle')} className="console-card">
      <Empty
        className="console-empty"
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={
          <>
            <div className="empty-title">{t('agent.emptyInbox')}</div>
            <div className="empty-hint">{t('agent.emptyInboxHint')}</div>
          </>
        }
      />
    </Card>
  );
}
