import type pg from 'pg';
import type { CardRow } from './card-view.js';

/** One of the customer's cards, active or removed; another customer's card is never found. */
export async function findCard(db: pg.Pool | pg.PoolClient, customerId: string, cardId: string): Promise<CardRow | undefined> {
  const result = await db.query<CardRow>('SELECT * FROM cards WHERE id = $1 AND customer_id = $2', [cardId, customerId]);
  return result.rows[0];
}
