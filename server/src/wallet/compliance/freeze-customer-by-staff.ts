import type { FreezeReason, StaffFreeze } from '@okpay/contracts';
import type { Tx } from '../../platform/db/transaction.js';
import { ComplianceError } from './compliance.errors.js';
import { freezeCustomer } from './freeze-customer.js';
import { findStaffFreezes, getCustomerRef } from './list-customer-freezes.js';

/** Any staff member may freeze (the safe direction); lifting needs two people. */
export async function freezeCustomerByStaff(
  tx: Tx,
  input: { customerId: string; staffId: string; reason: FreezeReason; note: string; at: Date; ip: string | null },
): Promise<StaffFreeze> {
  await getCustomerRef(tx.client, input.customerId);
  const existing = await tx.client.query<{ id: string }>(
    'SELECT id FROM customer_freezes WHERE customer_id = $1 AND reason = $2 AND lifted_at IS NULL LIMIT 1',
    [input.customerId, input.reason],
  );
  if (existing.rows[0]) throw ComplianceError('freeze_exists', {}, { freezeId: existing.rows[0].id });
  const { freezeId } = await freezeCustomer(tx, {
    customerId: input.customerId,
    reason: input.reason,
    note: input.note,
    setBy: { type: 'staff', staffId: input.staffId },
    at: input.at,
    ip: input.ip,
  });
  const freeze = (await findStaffFreezes(tx.client, [freezeId])).get(freezeId);
  if (!freeze) throw ComplianceError('freeze_not_found');
  return freeze;
}
