import { type FreezeReason, reasonsNeedingVerification, type StaffFreeze } from '@okpay/contracts';
import type pg from 'pg';
import { ComplianceError } from './compliance.errors.js';
import { findLatestVerifications, toEvidence } from './verification-status.js';

type Queryable = pg.Pool | pg.PoolClient;

type FreezeRow = {
  id: string;
  customer_id: string;
  reason: FreezeReason;
  note: string | null;
  set_by_type: 'staff' | 'system' | 'customer';
  set_by_staff_id: string | null;
  set_by_name: string | null;
  rule: string | null;
  created_at: Date;
  lifted_at: Date | null;
  pending_request_id: string | null;
};

const freezeSelect = `
  SELECT f.id, f.customer_id, f.reason, f.note, f.set_by_type, f.set_by_staff_id, s.display_name AS set_by_name, f.rule,
         f.created_at, f.lifted_at,
         (SELECT r.id FROM unfreeze_requests r WHERE r.freeze_id = f.id AND r.status = 'pending') AS pending_request_id
  FROM customer_freezes f LEFT JOIN staff_members s ON s.id = f.set_by_staff_id`;

function toStaffFreeze(row: FreezeRow): StaffFreeze {
  return {
    id: row.id,
    customerId: row.customer_id,
    reason: row.reason,
    note: row.note,
    setBy: {
      type: row.set_by_type,
      staff: row.set_by_staff_id ? { id: row.set_by_staff_id, displayName: row.set_by_name ?? '' } : null,
      rule: row.rule,
    },
    createdAt: row.created_at.toISOString(),
    liftedAt: row.lifted_at?.toISOString() ?? null,
    isActive: row.lifted_at === null,
    requiresVerification: reasonsNeedingVerification.includes(row.reason),
    pendingUnfreezeRequestId: row.pending_request_id,
  };
}

/** Freezes by id, for lists that point at them. */
export async function findStaffFreezes(db: Queryable, freezeIds: readonly string[]): Promise<Map<string, StaffFreeze>> {
  if (freezeIds.length === 0) return new Map();
  const result = await db.query<FreezeRow>(`${freezeSelect} WHERE f.id = ANY($1::uuid[])`, [[...new Set(freezeIds)]]);
  return new Map(result.rows.map((row) => [row.id, toStaffFreeze(row)]));
}

export async function getCustomerRef(db: Queryable, customerId: string) {
  const result = await db.query<{ id: string; display_name: string; email: string }>(
    'SELECT id, display_name, email FROM customers WHERE id = $1',
    [customerId],
  );
  const row = result.rows[0];
  if (!row) throw ComplianceError('customer_not_found');
  return { id: row.id, displayName: row.display_name, email: row.email };
}

/** A customer's freezes for staff, active first, with internal notes and the identity evidence. */
export async function listCustomerFreezes(db: Queryable, customerId: string) {
  const customer = await getCustomerRef(db, customerId);
  const result = await db.query<FreezeRow>(
    `${freezeSelect} WHERE f.customer_id = $1 ORDER BY (f.lifted_at IS NULL) DESC, f.created_at DESC, f.id`,
    [customerId],
  );
  const freezes = result.rows.map(toStaffFreeze);
  const latest = (await findLatestVerifications(db, [customerId])).get(customerId);
  return { customer, isFrozen: freezes.some((freeze) => freeze.isActive), verification: toEvidence(latest), freezes };
}
