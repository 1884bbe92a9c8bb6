import type { CurrencyCode } from '@okpay/contracts';

/** Largest single top-up, transfer or exchange, in minor units (about 50,000 CNY each). */
export const maxAmountPerTransaction: Record<CurrencyCode, number> = {
  CNY: 5_000_000,
  USD: 700_000,
  EUR: 650_000,
  HKD: 5_500_000,
  JPY: 1_000_000,
  KWD: 2_200_000,
};
