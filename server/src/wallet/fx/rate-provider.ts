import type { CurrencyCode } from '@okpay/contracts';
import type pg from 'pg';

/** Where mid-market rates come from. The shipped provider reads the admin-edited table; a live feed can replace it. */
export type RateProvider = {
  /** Units of the currency per one US dollar, as a decimal string. */
  unitsPerUsd(currency: CurrencyCode): Promise<string | undefined>;
};

export function tableRateProvider(db: pg.Pool | pg.PoolClient): RateProvider {
  return {
    async unitsPerUsd(currency) {
      const result = await db.query<{ units_per_usd: string }>({
        name: 'okpay_fx_rate',
        text: 'SELECT units_per_usd FROM fx_rates WHERE currency = $1',
        values: [currency],
      });
      return result.rows[0]?.units_per_usd;
    },
  };
}
