import type { FxRateChange } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { FxError } from './fx.errors.js';
import { findFxRateChange, listFxRateChanges as listFxRateChangeRows, type NamedFxRateChangeRow } from './fx.repository.js';
import { changePercent } from './rate-band.js';

export function toFxRateChange(row: NamedFxRateChangeRow): FxRateChange {
  return {
    id: row.id,
    currency: row.currency,
    fromUnitsPerUsd: row.fromUnitsPerUsd,
    toUnitsPerUsd: row.toUnitsPerUsd,
    changePercent: row.fromUnitsPerUsd === null ? null : changePercent(row.fromUnitsPerUsd, row.toUnitsPerUsd),
    status: row.status,
    proposedBy: { id: row.proposedBy, displayName: row.proposedByName },
    proposalNote: row.proposalNote,
    proposedAt: row.proposedAt.toISOString(),
    decidedBy: row.decidedBy ? { id: row.decidedBy, displayName: row.decidedByName ?? '' } : null,
    decisionNote: row.decisionNote,
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

/** Rate changes by status, newest first (the last 100 decided ones for the history). */
export async function listFxRateChanges(db: Queryable, status: FxRateChange['status']): Promise<FxRateChange[]> {
  return (await listFxRateChangeRows(db, status)).map(toFxRateChange);
}

export async function getFxRateChange(db: Queryable, id: string): Promise<FxRateChange> {
  const row = await findFxRateChange(db, id);
  if (!row) throw FxError('rate_change_not_found');
  return toFxRateChange(row);
}
