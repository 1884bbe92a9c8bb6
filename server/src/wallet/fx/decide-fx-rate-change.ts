import type { CurrencyCode, FxRateChange } from '@okpay/contracts';
import { recordAudit } from '../../platform/audit.js';
import { sqlState } from '../../platform/db/errors.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Deps } from '../../platform/deps.js';
import { FxError } from './fx.errors.js';
import { findFxRateChange } from './fx-rate-change-view.js';
import { scaledRate } from './rate-band.js';
import { applyRate } from './set-fx-rate.js';

/**
 * The second admin's half of an out-of-band rate change. The checker must differ from the maker
 * (also a CHECK in the table), and approval applies the rate only if it is still the one the
 * change was proposed against: a rate moved since then makes the proposal's size meaningless.
 */
export async function decideFxRateChange(
  deps: Pick<Deps, 'pool' | 'clock'>,
  input: { changeId: string; staffId: string; decision: 'approved' | 'rejected'; note?: string; ip: string },
): Promise<FxRateChange> {
  await withTransaction(deps.pool, async (tx) => {
    const found = await tx.client.query<{
      currency: CurrencyCode;
      from_units_per_usd: string | null;
      to_units_per_usd: string;
      status: string;
      proposed_by: string;
    }>(
      `SELECT currency, from_units_per_usd::text, to_units_per_usd::text, status, proposed_by
       FROM fx_rate_changes WHERE id = $1 FOR UPDATE`,
      [input.changeId],
    );
    const change = found.rows[0];
    if (!change) throw FxError('rate_change_not_found');
    if (change.status !== 'pending') throw FxError('rate_change_already_decided');
    if (change.proposed_by === input.staffId) throw FxError('rate_change_needs_second_admin');
    const at = deps.clock.now();
    if (input.decision === 'approved') {
      const current = await tx.client.query<{ units_per_usd: string }>(
        'SELECT units_per_usd::text FROM fx_rates WHERE currency = $1 FOR UPDATE',
        [change.currency],
      );
      const now = current.rows[0]?.units_per_usd ?? null;
      const isUnchanged =
        now === null
          ? change.from_units_per_usd === null
          : change.from_units_per_usd !== null && scaledRate(now) === scaledRate(change.from_units_per_usd);
      if (!isUnchanged) throw FxError('rate_moved_since_proposal');
    }
    try {
      await tx.client.query('UPDATE fx_rate_changes SET status = $2, decided_by = $3, decision_note = $4, decided_at = $5 WHERE id = $1', [
        input.changeId,
        input.decision,
        input.staffId,
        input.note || null,
        at,
      ]);
    } catch (error) {
      if (sqlState(error) === '23514') throw FxError('rate_change_needs_second_admin');
      throw error;
    }
    if (input.decision === 'approved') {
      await applyRate(tx, {
        currency: change.currency,
        unitsPerUsd: change.to_units_per_usd,
        from: change.from_units_per_usd,
        staffId: change.proposed_by,
        approvedBy: input.staffId,
        ip: input.ip,
        at,
      });
    }
    await recordAudit(tx.db, {
      actor: { type: 'staff', id: input.staffId },
      action: `fx.rate_change_${input.decision}`,
      target: { type: 'currency', id: change.currency },
      ip: input.ip,
      details: { changeId: input.changeId, proposedBy: change.proposed_by, from: change.from_units_per_usd, to: change.to_units_per_usd },
    });
  });
  const decided = await findFxRateChange(deps.pool, input.changeId);
  if (!decided) throw FxError('rate_change_not_found');
  return decided;
}
