import type { CurrencyCode, FxRateChange } from '@okpay/contracts';
import { recordAudit } from '../../platform/audit.js';
import { sqlState } from '../../platform/db/errors.js';
import { type Tx, withTransaction } from '../../platform/db/transaction.js';
import type { Deps } from '../../platform/deps.js';
import { FxError } from './fx.errors.js';
import { findFxRateChange } from './fx-rate-change-view.js';
import { isWithinBand } from './rate-band.js';

const rateText = /^\d{1,12}(\.\d{1,10})?$/;

/**
 * Rates are quoted against USD, which stays at 1; an admin edits the others. A change within the
 * band (FX_RATE_BAND_PERCENT of the current rate) applies at once; a bigger one, or a first rate
 * for a currency, waits for a second admin: one typo must not price every exchange at 0.0000000001.
 */
export async function setFxRate(
  deps: Pick<Deps, 'pool' | 'clock' | 'config'>,
  input: { currency: CurrencyCode; unitsPerUsd: string; note?: string; staffId: string; ip: string },
): Promise<{ status: 'applied' } | { status: 'pending_approval'; change: FxRateChange }> {
  if (input.currency === 'USD' || !rateText.test(input.unitsPerUsd) || /^[0.]+$/.test(input.unitsPerUsd)) {
    throw FxError('invalid_rate');
  }
  const proposalId = await withTransaction(deps.pool, async (tx) => {
    const previous = await tx.client.query<{ units_per_usd: string }>(
      'SELECT units_per_usd::text FROM fx_rates WHERE currency = $1 FOR UPDATE',
      [input.currency],
    );
    const from = previous.rows[0]?.units_per_usd ?? null;
    if (from !== null && isWithinBand(from, input.unitsPerUsd, deps.config.fx.bandPercent)) {
      await applyRate(tx, { ...input, from, at: deps.clock.now() });
      return undefined;
    }
    return proposeChange(tx, { ...input, from, at: deps.clock.now() });
  });
  if (!proposalId) return { status: 'applied' };
  const change = await findFxRateChange(deps.pool, proposalId);
  if (!change) throw FxError('rate_change_not_found');
  return { status: 'pending_approval', change };
}

/** Sets the rate and writes the audit entry, in the caller's transaction (the fx_rates row is locked). */
export async function applyRate(
  tx: Tx,
  input: { currency: CurrencyCode; unitsPerUsd: string; from: string | null; staffId: string; ip: string; at: Date; approvedBy?: string },
): Promise<void> {
  await tx.client.query(
    `INSERT INTO fx_rates (currency, units_per_usd, updated_at, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (currency) DO UPDATE SET units_per_usd = $2, updated_at = $3, updated_by = $4`,
    [input.currency, input.unitsPerUsd, input.at, input.staffId],
  );
  await recordAudit(tx.db, {
    actor: { type: 'staff', id: input.approvedBy ?? input.staffId },
    action: 'fx.rate_changed',
    target: { type: 'currency', id: input.currency },
    ip: input.ip,
    details: { from: input.from, to: input.unitsPerUsd, ...(input.approvedBy ? { proposedBy: input.staffId } : {}) },
  });
}

async function proposeChange(
  tx: Tx,
  input: { currency: CurrencyCode; unitsPerUsd: string; note?: string; from: string | null; staffId: string; ip: string; at: Date },
): Promise<string> {
  let id: string;
  try {
    const inserted = await tx.client.query<{ id: string }>(
      `INSERT INTO fx_rate_changes (currency, from_units_per_usd, to_units_per_usd, proposed_by, proposal_note, proposed_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [input.currency, input.from, input.unitsPerUsd, input.staffId, input.note || null, input.at],
    );
    id = inserted.rows[0]?.id ?? '';
  } catch (error) {
    // One pending change per currency (a partial unique index): decide that one first.
    if (sqlState(error) === '23505') throw FxError('rate_change_pending', { currency: input.currency });
    throw error;
  }
  await recordAudit(tx.db, {
    actor: { type: 'staff', id: input.staffId },
    action: 'fx.rate_change_proposed',
    target: { type: 'currency', id: input.currency },
    ip: input.ip,
    details: { changeId: id, from: input.from, to: input.unitsPerUsd },
  });
  return id;
}
