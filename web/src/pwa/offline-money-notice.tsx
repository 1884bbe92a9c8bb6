import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useIsOffline } from './network-status';

export type MoneyAction = 'topUp' | 'transfer' | 'exchange' | 'bindCard';

/**
 * Said above a form that moves money (or binds a card) while offline. Its submit button is
 * disabled too: nothing is queued to send later, since a payment sent hours afterwards, on a
 * balance nobody saw, is worse than one not sent.
 */
export function OfflineMoneyNotice({ action }: { action: MoneyAction }) {
  const { t } = useTranslation();
  if (!useIsOffline()) return null;
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      className="form-alert"
      title={t('pwa.offline.moneyBlocked', { action: t(`pwa.offline.actions.${action}`) })}
    />
  );
}
