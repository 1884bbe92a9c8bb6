import { Alert, Button, Card, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { getBalances } from '../api/wallet';
import { usePageTitle } from '../layout/use-page-title';
import { LastUpdated } from '../pwa/last-updated';
import { useLastKnown } from '../pwa/use-last-known';
import { BalanceGrid } from './balance-grid';
import { FrozenBanner } from './frozen-banner';
import { QuickLinks } from './quick-links';

/** /app/wallet: the balance in every currency the customer holds. */
export function BalancesPage() {
  const { t } = useTranslation();
  usePageTitle(t('wallet.title'));
  const balances = useLastKnown('balances', getBalances);

  return (
    <div className="page">
      <Typography.Title level={2} className="page-title">
        {t('wallet.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('wallet.intro')}</Typography.Paragraph>
      <LastUpdated updatedAt={balances.updatedAt} isFromMemory={balances.isFromMemory} onRefresh={() => void balances.reload()} />
      {balances.data?.isFrozen && <FrozenBanner />}
      {balances.error && (
        <Alert
          type="error"
          showIcon
          className="form-alert"
          title={balances.error}
          action={
            <Button size="small" onClick={() => void balances.reload()}>
              {t('common.retry')}
            </Button>
          }
        />
      )}
      {balances.data ? (
        <BalanceGrid balances={balances.data.balances} />
      ) : (
        !balances.error && (
          <Card>
            <Skeleton active paragraph={{ rows: 2 }} />
          </Card>
        )
      )}
      <Card className="page-section" title={t('wallet.actionsTitle')}>
        <QuickLinks only={['topUp', 'exchange', 'transfer', 'history']} />
      </Card>
    </div>
  );
}
