import { recordAudit } from '../../platform/audit.js';
import type { Tx } from '../../platform/db/transaction.js';
import { CardError } from './cards.errors.js';

/**
 * Removes a card from the customer's list. The row stays (soft removal) so past top-ups still
 * name their card; the same card may be bound again later.
 */
export async function removeCard(tx: Tx, input: { customerId: string; cardId: string; at: Date; ip: string | null }): Promise<void> {
  const removed = await tx.client.query<{ last4: string; brand: string }>(
    `UPDATE cards SET status = 'removed', removed_at = $3
     WHERE id = $1 AND customer_id = $2 AND status = 'active' RETURNING last4, brand`,
    [input.cardId, input.customerId, input.at],
  );
  const card = removed.rows[0];
  if (!card) throw CardError('card_not_found');
  await recordAudit(tx.db, {
    actor: { type: 'customer', id: input.customerId },
    action: 'card.removed',
    target: { type: 'card', id: input.cardId },
    ip: input.ip,
    details: { brand: card.brand, last4: card.last4 },
  });
}
