import type { Card } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { toCardView } from './card-view.js';
import { listActiveCards } from './cards.repository.js';

/** The customer's active cards, newest first. */
export async function listCards(db: Queryable, customerId: string): Promise<Card[]> {
  return (await listActiveCards(db, customerId)).map(toCardView);
}
