import type { WalletTransaction } from '@okpay/contracts';
import type { TFunction } from 'i18next';

/** Who or what was on the other side: the card, the person, or the currency pair. */
export function counterpartyOf(transaction: WalletTransaction, t: TFunction): string {
  switch (transaction.type) {
    case 'top_up':
      return transaction.cardLast4 ? t('history.fromCard', { last4: transaction.cardLast4 }) : t('history.types.top_up');
    case 'transfer_out':
      return transaction.counterparty ? t('history.toPerson', { name: transaction.counterparty }) : '';
    case 'transfer_in':
      return transaction.counterparty ? t('history.fromPerson', { name: transaction.counterparty }) : '';
    case 'exchange':
      return transaction.counterAmount ? `${transaction.amount.currency} → ${transaction.counterAmount.currency}` : '';
  }
}

/** A failed top-up is the one thing in the history the customer may want an agent to look at. */
export function canAskSupportAbout(transaction: WalletTransaction): transaction is WalletTransaction & { topUpId: string } {
  return transaction.type === 'top_up' && transaction.status === 'failed' && transaction.topUpId !== null;
}
