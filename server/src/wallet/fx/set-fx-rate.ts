import type { CurrencyCode } from '@okpay/contracts';
import { recordAudit } from '../../platform/audit.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Deps } from '../../platform/deps.js';
import { FxError } from './fx.errors.js';

/** Rates are quoted against USD, which stays at 1; an admin edits the others. */
export async function setFxRate(
  deps: Deps,
  input: { currency: CurrencyCode; unitsPerUsd: string; staffId: string; ip: string },
): Promise<void> {
  if (input.currency === 'USD' || !/^\d{1,12}(\.\d{1,10})?$/.test(input.unitsPerUsd) || Number(input.unitsPerUsd) <= 0) {
    throw FxError('invalid_rate');
  }
  await withTransaction(deps.pool, async (tx) => {
    const previous = await tx.client.query<{ units_per_usd: string }>('SELECT units_per_usd FROM fx_rates WHERE currency = $1 FOR UPDATE', [
      input.currency,
    ]);
    await tx.client.query(
      `INSERT INTO fx_rates (currency, units_per_usd, updated_at, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (currency) DO UPDATE SET units_per_usd = $2, updated_at = $3, updated_by = $4`,
      [input.currency, input.unitsPerUsd, deps.clock.now(), input.staffId],
    );
    await recordAudit(tx.db, {
      actor: { type: 'staff', id: input.staffId },
      action: 'fx.rate_changed',
      target: { type: 'currency', id: input.currency },
      ip: input.ip,
      details: { from: previous.rows[0]?.units_per_usd ?? null, to: input.unitsPerUsd },
    });
  });
}
