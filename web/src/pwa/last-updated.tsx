import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n';
import { formatDateTime } from '../wallet/money';

/**
 * When money data was fetched: a quiet "updated 10:32" with a refresh button while online, a
 * warning with the time when it is this device's last known copy.
 */
export function LastUpdated({
  updatedAt,
  isFromMemory,
  onRefresh,
}: {
  updatedAt: number | undefined;
  isFromMemory: boolean;
  onRefresh(): void;
}) {
  const { t } = useTranslation();
  if (updatedAt === undefined) return null;
  const time = formatDateTime(new Date(updatedAt).toISOString(), currentLocale());
  if (isFromMemory) return <Alert type="warning" showIcon className="form-alert last-known" title={t('pwa.offline.lastKnown', { time })} />;
  return (
    <div className="last-updated">
      <Typography.Text type="secondary">{t('pwa.offline.updatedAt', { time })}</Typography.Text>
      <Button type="link" size="small" icon={<ReloadOutlined />} onClick={onRefresh}>
        {t('pwa.offline.refresh')}
      </Button>
    </div>
  );
}
