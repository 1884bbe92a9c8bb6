import type { CurrencyCode } from '@okpay/contracts';
import type { Config, Queryable } from '../../platform/index.js';
import { findUnitsPerUsd } from './fx.repository.js';

/** Where mid-market rates come from, built once at start-up (FX_RATES) and handed to use cases in their deps. */
export type RateProvider = {
  /** Units of the currency per one US dollar, as a decimal string. */
  unitsPerUsd(currency: CurrencyCode): Promise<string | undefined>;
};

/** The admin-edited fx_rates table: what staff set on the console is what customers are quoted. */
export function tableRateProvider(db: Queryable): RateProvider {
  return { unitsPerUsd: (currency) => findUnitsPerUsd(db, currency) };
}

/** The rate source this node quotes from. Only the admin-edited table exists so far; a live feed plugs in here. */
export function createRateProvider(config: Pick<Config, 'fxRates'>, db: Queryable): RateProvider {
  switch (config.fxRates) {
    case 'table':
      return tableRateProvider(db);
  }
}
