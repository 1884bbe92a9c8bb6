import type { WalletTransaction } from '@okpay/contracts';
import { useTranslation } from 'react-i18next';
import { formatSignedMoney } from '../wallet/money';

/**
 * The amount with its sign: green when money came in, red when it went out. A failed transaction
 * moved nothing, so it is struck through; a pending one is grey until it settles.
 */
export function TransactionAmount({ transaction }: { transaction: WalletTransaction }) {
  const { t } = useTranslation();
  const { amount, counterAmount, status } = transaction;
  const direction = amount.amount >= 0 ? 'in' : 'out';
  const className =
    status === 'failed' ? 'amount amount-void' : status === 'pending' ? 'amount amount-pending' : `amount amount-${direction}`;
  return (
    <span className="amount-cell">
      <span className={className} title={status === 'failed' ? t('history.notMoved') : undefined}>
        {formatSignedMoney(amount)}
      </span>
      {counterAmount && (
        <span className={status === 'succeeded' ? 'amount amount-in amount-counter' : 'amount amount-pending amount-counter'}>
          {formatSignedMoney(counterAmount)}
        </span>
      )}
    </span>
  );
}
