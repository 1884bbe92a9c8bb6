import type { Card } from '@okpay/contracts';
import type pg from 'pg';
import { type CardRow, toCardView } from './card-view.js';

/** The customer's active cards, newest first. */
export async function listCards(db: pg.Pool, customerId: string): Promise<Card[]> {
  const result = await db.query<CardRow>(
    "SELECT * FROM cards WHERE customer_id = $1 AND status = 'active' ORDER BY created_at DESC, id DESC",
    [customerId],
  );
  return result.rows.map(toCardView);
}
