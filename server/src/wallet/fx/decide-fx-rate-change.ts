import type { FxRateChange } from '@okpay/contracts';
import { type Deps, recordAudit, withTransaction } from '../../platform/index.js';
import { FxError } from './fx.errors.js';
import { findFxRateChangeForUpdate, findFxRateForUpdate, markFxRateChangeDecided } from './fx.repository.js';
import { getFxRateChange } from './fx-rate-change-view.js';
import { scaledRate } from './rate-band.js';
import { applyRate } from './set-fx-rate.js';

/**
 * The second admin's half of an out-of-band rate change. The checker must differ from the maker
 * (also a CHECK in the table), and approval applies the rate only if it is still the one the
 * change was proposed against: a rate moved since then makes the proposal's size meaningless.
 */
export async function decideFxRateChange(
  deps: Pick<Deps, 'db' | 'pool' | 'clock'>,
  input: { changeId: string; staffId: string; decision: 'approved' | 'rejected'; note?: string; ip: string },
): Promise<FxRateChange> {
  await withTransaction(deps.pool, async (tx) => {
    const change = await findFxRateChangeForUpdate(tx, input.changeId);
    if (!change) throw FxError('rate_change_not_found');
    if (change.status !== 'pending') throw FxError('rate_change_already_decided');
    if (change.proposedBy === input.staffId) throw FxError('rate_change_needs_second_admin');
    const at = deps.clock.now();
    if (input.decision === 'approved') {
      const now = (await findFxRateForUpdate(tx, change.currency))?.unitsPerUsd ?? null;
      const isUnchanged =
        now === null
          ? change.fromUnitsPerUsd === null
          : change.fromUnitsPerUsd !== null && scaledRate(now) === scaledRate(change.fromUnitsPerUsd);
      if (!isUnchanged) throw FxError('rate_moved_since_proposal');
    }
    await markFxRateChangeDecided(tx, input.changeId, {
      status: input.decision,
      decidedBy: input.staffId,
      decisionNote: input.note || null,
      decidedAt: at,
    });
    if (input.decision === 'approved') {
      await applyRate(tx, {
        currency: change.currency,
        unitsPerUsd: change.toUnitsPerUsd,
        from: change.fromUnitsPerUsd,
        staffId: change.proposedBy,
        approvedBy: input.staffId,
        ip: input.ip,
        at,
      });
    }
    await recordAudit(tx, {
      actor: { type: 'staff', id: input.staffId },
      action: `fx.rate_change_${input.decision}`,
      target: { type: 'currency', id: change.currency },
      ip: input.ip,
      details: { changeId: input.changeId, proposedBy: change.proposedBy, from: change.fromUnitsPerUsd, to: change.toUnitsPerUsd },
    });
  });
  return getFxRateChange(deps.db, input.changeId);
}
