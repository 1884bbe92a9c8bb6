import type { CurrencyCode, FxRateChange } from '@okpay/contracts';
import type pg from 'pg';
import { changePercent } from './rate-band.js';

type Queryable = pg.Pool | pg.PoolClient;

export type FxRateChangeRow = {
  id: string;
  currency: CurrencyCode;
  from_units_per_usd: string | null;
  to_units_per_usd: string;
  status: FxRateChange['status'];
  proposed_by: string;
  proposed_by_name: string;
  proposal_note: string | null;
  proposed_at: Date;
  decided_by: string | null;
  decided_by_name: string | null;
  decision_note: string | null;
  decided_at: Date | null;
};

export const fxRateChangeSelect = `
  SELECT c.id, c.currency, c.from_units_per_usd::text, c.to_units_per_usd::text, c.status, c.proposed_by,
         p.display_name AS proposed_by_name, c.proposal_note, c.proposed_at, c.decided_by,
         d.display_name AS decided_by_name, c.decision_note, c.decided_at
  FROM fx_rate_changes c JOIN staff_members p ON p.id = c.proposed_by LEFT JOIN staff_members d ON d.id = c.decided_by`;

export function toFxRateChange(row: FxRateChangeRow): FxRateChange {
  return {
    id: row.id,
    currency: row.currency,
    fromUnitsPerUsd: row.from_units_per_usd,
    toUnitsPerUsd: row.to_units_per_usd,
    changePercent: row.from_units_per_usd === null ? null : changePercent(row.from_units_per_usd, row.to_units_per_usd),
    status: row.status,
    proposedBy: { id: row.proposed_by, displayName: row.proposed_by_name },
    proposalNote: row.proposal_note,
    proposedAt: row.proposed_at.toISOString(),
    decidedBy: row.decided_by ? { id: row.decided_by, displayName: row.decided_by_name ?? '' } : null,
    decisionNote: row.decision_note,
    decidedAt: row.decided_at?.toISOString() ?? null,
  };
}

/** Rate changes by status, newest first (the last 100 decided ones for the history). */
export async function listFxRateChanges(db: Queryable, status: FxRateChange['status']): Promise<FxRateChange[]> {
  const result = await db.query<FxRateChangeRow>(`${fxRateChangeSelect} WHERE c.status = $1 ORDER BY c.proposed_at DESC LIMIT 100`, [
    status,
  ]);
  return result.rows.map(toFxRateChange);
}

export async function findFxRateChange(db: Queryable, id: string): Promise<FxRateChange | undefined> {
  const result = await db.query<FxRateChangeRow>(`${fxRateChangeSelect} WHERE c.id = $1`, [id]);
  const row = result.rows[0];
  return row ? toFxRateChange(row) : undefined;
}
