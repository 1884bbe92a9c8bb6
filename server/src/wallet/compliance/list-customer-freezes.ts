import { type CustomerFreezes, reasonsNeedingVerification, type StaffFreeze } from '@okpay/contracts';
import { findCustomerById } from '../../identity/index.js';
import type { Queryable } from '../../platform/index.js';
import { ComplianceError } from './compliance.errors.js';
import {
  findLatestVerifications,
  findStaffFreezes as findStaffFreezeRecords,
  listCustomerStaffFreezes,
  type StaffFreezeRecord,
} from './compliance.repository.js';
import { toEvidence } from './verification-status.js';

function toStaffFreeze({ freeze, setByName, pendingRequestId }: StaffFreezeRecord): StaffFreeze {
  return {
    id: freeze.id,
    customerId: freeze.customerId,
    reason: freeze.reason,
    note: freeze.note,
    setBy: {
      type: freeze.setByType,
      staff: freeze.setByStaffId ? { id: freeze.setByStaffId, displayName: setByName ?? '' } : null,
      rule: freeze.rule,
    },
    createdAt: freeze.createdAt.toISOString(),
    liftedAt: freeze.liftedAt?.toISOString() ?? null,
    isActive: freeze.liftedAt === null,
    requiresVerification: reasonsNeedingVerification.includes(freeze.reason),
    pendingUnfreezeRequestId: pendingRequestId,
  };
}

/** Freezes by id, for lists that point at them. */
export async function findStaffFreezes(db: Queryable, freezeIds: readonly string[]): Promise<Map<string, StaffFreeze>> {
  const records = await findStaffFreezeRecords(db, freezeIds);
  return new Map(records.map((record) => [record.freeze.id, toStaffFreeze(record)]));
}

export async function getCustomerRef(db: Queryable, customerId: string) {
  const row = await findCustomerById(db, customerId);
  if (!row) throw ComplianceError('customer_not_found');
  return { id: row.id, displayName: row.displayName, email: row.email };
}

/** A customer's freezes for staff, active first, with internal notes and the identity evidence. */
export async function listCustomerFreezes(db: Queryable, customerId: string): Promise<CustomerFreezes> {
  const customer = await getCustomerRef(db, customerId);
  const freezes = (await listCustomerStaffFreezes(db, customerId)).map(toStaffFreeze);
  const latest = (await findLatestVerifications(db, [customerId])).get(customerId);
  return { customer, isFrozen: freezes.some((freeze) => freeze.isActive), verification: toEvidence(latest), freezes };
}
