import type { FxRates } from '@okpay/contracts';
import type { Config, Queryable } from '../../platform/index.js';
import { listFxRates as listFxRateRows } from './fx.repository.js';

/** The mid-market rates staff maintain, with the spread and quote lifetime customers get and how far one admin may move a rate. */
export async function listFxRates(deps: { db: Queryable; config: Pick<Config, 'fx'> }): Promise<FxRates> {
  const rows = await listFxRateRows(deps.db);
  return {
    spreadBps: deps.config.fx.spreadBps,
    quoteTtlSeconds: deps.config.fx.quoteTtlSeconds,
    bandPercent: deps.config.fx.bandPercent,
    rates: rows.map((row) => ({
      currency: row.currency,
      unitsPerUsd: row.unitsPerUsd,
      updatedAt: row.updatedAt.toISOString(),
      updatedBy: row.updatedBy,
      updatedByName: row.updatedByName,
    })),
  };
}
