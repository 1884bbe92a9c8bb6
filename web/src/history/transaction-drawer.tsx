import type { WalletTransaction } from '@okpay/contracts';
import { Alert, Descriptions, type DescriptionsProps, Drawer, Grid, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n';
import { ContactSupportAboutTopUp } from '../top-up/contact-support-button';
import { RefundNote } from '../top-up/refund-note';
import { formatDateTime } from '../wallet/money';
import { nextStepOf } from '../wallet/next-step';
import { StatusTag } from '../wallet/status-tag';
import { canAskSupportAbout, counterpartyOf } from './describe-transaction';
import { TransactionAmount } from './transaction-amount';

/** Everything about one transaction, with the way to support for a failed top-up. */
export function TransactionDrawer({ transaction, onClose }: { transaction: WalletTransaction | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const screens = Grid.useBreakpoint();

  const items: DescriptionsProps['items'] = transaction
    ? [
        { key: 'type', label: t('history.type'), children: t(`history.types.${transaction.type}`) },
        { key: 'status', label: t('history.status'), children: <StatusTag status={transaction.status} /> },
        { key: 'amount', label: t('history.amount'), children: <TransactionAmount transaction={transaction} /> },
        {
          key: 'counterparty',
          label: t('history.counterparty'),
          children: <span className="counterparty">{counterpartyOf(transaction, t) || '—'}</span>,
        },
        ...(transaction.note ? [{ key: 'note', label: t('transfer.note'), children: transaction.note }] : []),
        { key: 'created', label: t('history.createdAt'), children: formatDateTime(transaction.createdAt, locale) },
        {
          key: 'completed',
          label: t('history.completedAt'),
          children: transaction.completedAt ? formatDateTime(transaction.completedAt, locale) : '—',
        },
        {
          key: 'id',
          label: t('history.transactionId'),
          children: (
            <Typography.Text copyable className="mono">
              {transaction.id}
            </Typography.Text>
          ),
        },
      ]
    : [];

  return (
    <Drawer
      open={transaction !== undefined}
      onClose={onClose}
      title={t('history.detailTitle')}
      size={screens.md ? 480 : '100%'}
      destroyOnHidden
    >
      {transaction && (
        <>
          {transaction.failure && (
            <Alert
              type={transaction.status === 'failed' ? 'error' : 'info'}
              showIcon
              className="form-alert"
              title={transaction.failure.message}
              description={t(`topUp.nextSteps.${nextStepOf(transaction.failure.nextStep)}`)}
            />
          )}
          <RefundNote refund={transaction.refund} />
          {canAskSupportAbout(transaction) && (
            <div className="form-alert">
              <ContactSupportAboutTopUp topUpId={transaction.topUpId} type="primary" />
            </div>
          )}
          <Descriptions column={1} size="small" bordered items={items} styles={{ label: { width: 112 } }} />
          <Typography.Paragraph type="secondary" className="time-zone-note">
            {t('history.timeZoneNote')}
          </Typography.Paragraph>
        </>
      )}
    </Drawer>
  );
}
