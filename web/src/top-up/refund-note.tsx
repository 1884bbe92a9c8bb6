import type { Refund } from '@okpay/contracts';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n';
import { formatDateTime } from '../wallet/money';

/** Tells the customer that money the bank took for a failed top-up is going, or went, back to the card. */
export function RefundNote({ refund, compact = false }: { refund: Refund | null; compact?: boolean }) {
  const { t } = useTranslation();
  if (!refund) return null;
  const text =
    refund.status === 'refunded'
      ? t('topUp.refund.refunded', { time: refund.refundedAt ? formatDateTime(refund.refundedAt, currentLocale()) : '' })
      : t('topUp.refund.pending');
  if (compact) return <div className="refund-note">{text}</div>;
  return <Alert type={refund.status === 'refunded' ? 'success' : 'info'} showIcon className="form-alert" title={text} />;
}
