import { type balancesResponseSchema, type CurrencyCode, formatMoney } from '@okpay/contracts';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';

/** "可用余额 1,234.00 CNY" under an amount field, so the customer knows how much they can move. */
export function AvailableBalance({
  balances,
  currency,
}: {
  balances: z.infer<typeof balancesResponseSchema> | undefined;
  currency: CurrencyCode | undefined;
}) {
  const { t } = useTranslation();
  if (!balances || !currency) return null;
  const amount = balances.balances.find((balance) => balance.currency === currency)?.available.amount ?? 0;
  return <span>{t('wallet.availableLine', { amount: formatMoney({ amount, currency }) })}</span>;
}
