import { LockOutlined } from '@ant-design/icons';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** Shown wherever money would move: a frozen account is refused, so say so before the customer tries. */
export function FrozenBanner() {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      icon={<LockOutlined />}
      className="form-alert"
      title={t('wallet.frozenTitle')}
      description={
        <>
          {t('wallet.frozenBody')} <Link to="/app/security">{t('wallet.frozenLink')}</Link>
        </>
      }
    />
  );
}
