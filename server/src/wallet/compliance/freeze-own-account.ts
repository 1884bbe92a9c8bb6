import type { Tx } from '../../platform/db/transaction.js';
import { freezeCustomer } from './freeze-customer.js';

/**
 * A customer freezes their own account, e.g. after losing their phone. Asking twice keeps the one
 * freeze, so a worried customer tapping again does not pile up freezes for staff to lift.
 */
export async function freezeOwnAccount(
  tx: Tx,
  input: { customerId: string; note?: string; at: Date; ip: string | null },
): Promise<{ freezeId: string; isNew: boolean }> {
  // Serialises two taps from the same customer so the check below sees the first one's freeze.
  await tx.client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`self-freeze:${input.customerId}`]);
  const existing = await tx.client.query<{ id: string }>(
    "SELECT id FROM customer_freezes WHERE customer_id = $1 AND reason = 'customer_request' AND lifted_at IS NULL LIMIT 1",
    [input.customerId],
  );
  const existingId = existing.rows[0]?.id;
  if (existingId) return { freezeId: existingId, isNew: false };
  const { freezeId } = await freezeCustomer(tx, {
    customerId: input.customerId,
    reason: 'customer_request',
    note: input.note,
    setBy: { type: 'customer', customerId: input.customerId },
    at: input.at,
    ip: input.ip,
  });
  return { freezeId, isNew: true };
}
