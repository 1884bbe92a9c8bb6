import type { Queryable } from '../../platform/index.js';
import { TopUpError } from './top-ups.errors.js';
import { findTopUpWithCard, type TopUpWithCard } from './top-ups.repository.js';

/** One of the customer's own top-ups; another customer's reads as not found. */
export async function getTopUp(db: Queryable, customerId: string, topUpId: string): Promise<TopUpWithCard> {
  const found = await findTopUpWithCard(db, topUpId, customerId);
  if (!found) throw TopUpError('top_up_not_found');
  return found;
}
