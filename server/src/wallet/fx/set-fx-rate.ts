import type { CurrencyCode, FxRateChange } from '@okpay/contracts';
import { type Deps, recordAudit, type Transaction, withTransaction } from '../../platform/index.js';
import { FxError } from './fx.errors.js';
import { findFxRateForUpdate, insertFxRateChange, upsertFxRate } from './fx.repository.js';
import { getFxRateChange } from './fx-rate-change-view.js';
import { isWithinBand } from './rate-band.js';

const rateText = /^\d{1,12}(\.\d{1,10})?$/;

/**
 * Rates are quoted against USD, which stays at 1; an admin edits the others. A change within the
 * band (FX_RATE_BAND_PERCENT of the current rate) applies at once; a bigger one, or a first rate
 * for a currency, waits for a second admin: one typo must not price every exchange at 0.0000000001.
 */
export async function setFxRate(
  deps: Pick<Deps, 'db' | 'pool' | 'clock' | 'config'>,
  input: { currency: CurrencyCode; unitsPerUsd: string; note?: string; staffId: string; ip: string },
): Promise<{ status: 'applied' } | { status: 'pending_approval'; change: FxRateChange }> {
  if (input.currency === 'USD' || !rateText.test(input.unitsPerUsd) || /^[0.]+$/.test(input.unitsPerUsd)) {
    throw FxError('invalid_rate');
  }
  const proposalId = await withTransaction(deps.pool, async (tx) => {
    const from = (await findFxRateForUpdate(tx, input.currency))?.unitsPerUsd ?? null;
    if (from !== null && isWithinBand(from, input.unitsPerUsd, deps.config.fx.bandPercent)) {
      await applyRate(tx, { ...input, from, at: deps.clock.now() });
      return undefined;
    }
    return proposeChange(tx, { ...input, from, at: deps.clock.now() });
  });
  if (!proposalId) return { status: 'applied' };
  return { status: 'pending_approval', change: await getFxRateChange(deps.db, proposalId) };
}

/** Sets the rate and writes the audit entry, in the caller's transaction (the fx_rates row is locked). */
export async function applyRate(
  tx: Transaction,
  input: { currency: CurrencyCode; unitsPerUsd: string; from: string | null; staffId: string; ip: string; at: Date; approvedBy?: string },
): Promise<void> {
  await upsertFxRate(tx, { currency: input.currency, unitsPerUsd: input.unitsPerUsd, updatedAt: input.at, updatedBy: input.staffId });
  await recordAudit(tx, {
    actor: { type: 'staff', id: input.approvedBy ?? input.staffId },
    action: 'fx.rate_changed',
    target: { type: 'currency', id: input.currency },
    ip: input.ip,
    details: { from: input.from, to: input.unitsPerUsd, ...(input.approvedBy ? { proposedBy: input.staffId } : {}) },
  });
}

async function proposeChange(
  tx: Transaction,
  input: { currency: CurrencyCode; unitsPerUsd: string; note?: string; from: string | null; staffId: string; ip: string; at: Date },
): Promise<string> {
  const { id } = await insertFxRateChange(tx, {
    currency: input.currency,
    fromUnitsPerUsd: input.from,
    toUnitsPerUsd: input.unitsPerUsd,
    proposedBy: input.staffId,
    proposalNote: input.note || null,
    proposedAt: input.at,
  });
  await recordAudit(tx, {
    actor: { type: 'staff', id: input.staffId },
    action: 'fx.rate_change_proposed',
    target: { type: 'currency', id: input.currency },
    ip: input.ip,
    details: { changeId: id, from: input.from, to: input.unitsPerUsd },
  });
  return id;
}
