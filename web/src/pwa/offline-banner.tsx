import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useIsOffline } from './network-status';

/** Above every page while OKPay cannot be reached: what the customer sees is from before, and money waits. */
export function OfflineBanner() {
  const { t } = useTranslation();
  if (!useIsOffline()) return null;
  return <Alert type="warning" showIcon banner role="status" className="offline-banner" title={t('pwa.offline.banner')} />;
}
