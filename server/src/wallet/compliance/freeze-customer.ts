import { recordAudit } from '../../platform/audit.js';
import type { Tx } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import type { FreezeReason } from './compliance.tables.js';

export type FreezeSetter = { type: 'staff'; staffId: string } | { type: 'system'; rule: string } | { type: 'customer'; customerId: string };

/**
 * Freezes every account of the customer, now and any opened later. The flag is set on the ledger
 * rows under their locks, so a posting either finished before the freeze or is refused after it.
 */
export async function freezeCustomer(
  tx: Tx,
  input: { customerId: string; reason: FreezeReason; note?: string; setBy: FreezeSetter; at: Date; ip?: string | null },
): Promise<{ freezeId: string }> {
  const inserted = await tx.client.query<{ id: string }>(
    `INSERT INTO customer_freezes (customer_id, reason, note, set_by_type, set_by_staff_id, rule, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      input.customerId,
      input.reason,
      input.note ?? null,
      input.setBy.type,
      input.setBy.type === 'staff' ? input.setBy.staffId : null,
      input.setBy.type === 'system' ? input.setBy.rule : null,
      input.at,
    ],
  );
  const freezeId = inserted.rows[0]?.id ?? '';
  await tx.client.query('UPDATE ledger_accounts SET is_frozen = true WHERE customer_id = $1 AND NOT is_frozen', [input.customerId]);
  await recordAudit(tx.db, {
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
  await publishEvent(tx.client, {
    type: 'wallet.account.frozen',
    subject: { type: 'customer', id: input.customerId },
    payload: { freezeId, customerId: input.customerId, reason: input.reason, setBy: input.setBy },
  });
  return { freezeId };
}

/** Lifts one freeze; the accounts thaw only when no other freeze is still active. */
export async function liftFreeze(
  tx: Tx,
  input: { freezeId: string; requestId: string; at: Date },
): Promise<{ customerId: string; isStillFrozen: boolean }> {
  const lifted = await tx.client.query<{ customer_id: string }>(
    'UPDATE customer_freezes SET lifted_at = $2, lifted_by_request_id = $3 WHERE id = $1 AND lifted_at IS NULL RETURNING customer_id',
    [input.freezeId, input.at, input.requestId],
  );
  const customerId = lifted.rows[0]?.customer_id;
  if (!customerId) throw new Error(`freeze ${input.freezeId} is not active`);
  const remaining = await tx.client.query('SELECT 1 FROM customer_freezes WHERE customer_id = $1 AND lifted_at IS NULL LIMIT 1', [
    customerId,
  ]);
  const isStillFrozen = (remaining.rowCount ?? 0) > 0;
  if (!isStillFrozen)
    await tx.client.query('UPDATE ledger_accounts SET is_frozen = false WHERE customer_id = $1 AND is_frozen', [customerId]);
  await publishEvent(tx.client, {
    type: 'wallet.account.unfrozen',
    subject: { type: 'customer', id: customerId },
    payload: { freezeId: input.freezeId, customerId, isStillFrozen },
  });
  return { customerId, isStillFrozen };
}
