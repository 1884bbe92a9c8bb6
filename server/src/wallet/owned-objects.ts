import type { Queryable } from '../platform/index.js';
import { findCard } from './cards/cards.repository.js';
import { findWalletTransaction } from './history/history.repository.js';
import { findTopUpWithCard } from './top-ups/top-ups.repository.js';

export type WalletObjectType = 'transaction' | 'top_up' | 'card';

/** Whether a transaction, top-up or card is the customer's own; another customer's is never found. */
export async function hasCustomerObject(
  db: Queryable,
  customerId: string,
  object: { type: WalletObjectType; id: string },
): Promise<boolean> {
  switch (object.type) {
    case 'transaction':
      return (await findWalletTransaction(db, customerId, object.id)) !== undefined;
    case 'top_up':
      return (await findTopUpWithCard(db, object.id, customerId)) !== undefined;
    case 'card':
      return (await findCard(db, customerId, object.id)) !== undefined;
  }
}
