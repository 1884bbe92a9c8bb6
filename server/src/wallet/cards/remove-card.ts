import { recordAudit, type Transaction } from '../../platform/index.js';
import { CardError } from './cards.errors.js';
import { markCardRemoved } from './cards.repository.js';

/**
 * Removes a card from the customer's list. The row stays (soft removal) so past top-ups still
 * name their card; the same card may be bound again later.
 */
export async function removeCard(
  tx: Transaction,
  input: { customerId: string; cardId: string; at: Date; ip: string | null },
): Promise<void> {
  const card = await markCardRemoved(tx, input.customerId, input.cardId, input.at);
  if (!card) throw CardError('card_not_found');
  await recordAudit(tx, {
    actor: { type: 'customer', id: input.customerId },
    action: 'card.removed',
    target: { type: 'card', id: input.cardId },
    ip: input.ip,
    details: { brand: card.brand, last4: card.last4 },
  });
}
