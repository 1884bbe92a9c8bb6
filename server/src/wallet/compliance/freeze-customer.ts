import type { FreezeReason } from '@okpay/contracts';
import { publishEvent, recordAudit, type Transaction } from '../../platform/index.js';
import { setCustomerAccountsFrozen } from '../ledger/ledger.repository.js';
import { hasActiveFreeze, insertFreeze, markFreezeLifted } from './compliance.repository.js';

export type FreezeSetter = { type: 'staff'; staffId: string } | { type: 'system'; rule: string } | { type: 'customer'; customerId: string };

/**
 * Freezes every account of the customer, now and any opened later. The flag is set on the ledger
 * rows under their locks, so a posting either finished before the freeze or is refused after it.
 */
export async function freezeCustomer(
  tx: Transaction,
  input: { customerId: string; reason: FreezeReason; note?: string; setBy: FreezeSetter; at: Date; ip?: string | null },
): Promise<{ freezeId: string }> {
  const freeze = await insertFreeze(tx, {
    customerId: input.customerId,
    reason: input.reason,
    note: input.note ?? null,
    setByType: input.setBy.type,
    setByStaffId: input.setBy.type === 'staff' ? input.setBy.staffId : null,
    rule: input.setBy.type === 'system' ? input.setBy.rule : null,
    createdAt: input.at,
  });
  const freezeId = freeze.id;
  await setCustomerAccountsFrozen(tx, input.customerId, true);
  await recordAudit(tx, {
    actor:
      input.setBy.type === 'staff'
        ? { type: 'staff', id: input.setBy.staffId }
        : input.setBy.type === 'customer'
          ? { type: 'customer', id: input.setBy.customerId }
          : { type: 'system', id: input.setBy.rule },
    action: 'customer.frozen',
    target: { type: 'customer', id: input.customerId },
    ip: input.ip ?? null,
    details: { freezeId, reason: input.reason, ...(input.setBy.type === 'system' ? { rule: input.setBy.rule } : {}) },
  });
  await publishEvent(tx, {
    type: 'wallet.account.frozen',
    subject: { type: 'customer', id: input.customerId },
    payload: { freezeId, customerId: input.customerId, reason: input.reason, setBy: input.setBy },
  });
  return { freezeId };
}

/** Lifts one freeze; the accounts thaw only when no other freeze is still active. */
export async function liftFreeze(
  tx: Transaction,
  input: { freezeId: string; requestId: string; at: Date },
): Promise<{ customerId: string; isStillFrozen: boolean }> {
  const lifted = await markFreezeLifted(tx, input.freezeId, { requestId: input.requestId, at: input.at });
  if (!lifted) throw new Error(`freeze ${input.freezeId} is not active`);
  const customerId = lifted.customerId;
  const isStillFrozen = await hasActiveFreeze(tx, customerId);
  if (!isStillFrozen) await setCustomerAccountsFrozen(tx, customerId, false);
  await publishEvent(tx, {
    type: 'wallet.account.unfrozen',
    subject: { type: 'customer', id: customerId },
    payload: { freezeId: input.freezeId, customerId, isStillFrozen },
  });
  return { customerId, isStillFrozen };
}
