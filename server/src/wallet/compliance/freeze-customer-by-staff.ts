import type { FreezeReason, StaffFreeze } from '@okpay/contracts';
import type { Transaction } from '../../platform/index.js';
import { ComplianceError } from './compliance.errors.js';
import { findActiveFreezeId } from './compliance.repository.js';
import { freezeCustomer } from './freeze-customer.js';
import { findStaffFreezes, getCustomerRef } from './list-customer-freezes.js';

/** Any staff member may freeze (the safe direction); lifting needs two people. */
export async function freezeCustomerByStaff(
  tx: Transaction,
  input: { customerId: string; staffId: string; reason: FreezeReason; note: string; at: Date; ip: string | null },
): Promise<StaffFreeze> {
  await getCustomerRef(tx, input.customerId);
  const existingId = await findActiveFreezeId(tx, input.customerId, input.reason);
  if (existingId) throw ComplianceError('freeze_exists', {}, { freezeId: existingId });
  const { freezeId } = await freezeCustomer(tx, {
    customerId: input.customerId,
    reason: input.reason,
    note: input.note,
    setBy: { type: 'staff', staffId: input.staffId },
    at: input.at,
    ip: input.ip,
  });
  const freeze = (await findStaffFreezes(tx, [freezeId])).get(freezeId);
  if (!freeze) throw ComplianceError('freeze_not_found');
  return freeze;
}
