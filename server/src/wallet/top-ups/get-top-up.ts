import type pg from 'pg';
import { type TopUpRow, topUpSelect } from './top-up-view.js';
import { TopUpError } from './top-ups.errors.js';

export async function findTopUp(db: pg.Pool | pg.PoolClient, topUpId: string): Promise<TopUpRow | undefined> {
  const result = await db.query<TopUpRow>(`${topUpSelect} WHERE t.id = $1`, [topUpId]);
  return result.rows[0];
}

/** One of the customer's own top-ups; another customer's reads as not found. */
export async function getTopUp(db: pg.Pool, customerId: string, topUpId: string): Promise<TopUpRow> {
  const result = await db.query<TopUpRow>(`${topUpSelect} WHERE t.id = $1 AND t.customer_id = $2`, [topUpId, customerId]);
  const row = result.rows[0];
  if (!row) throw TopUpError('top_up_not_found');
  return row;
}

/**
 * The top-up started under the customer's Idempotency-Key while the key is kept (a key reused after
 * the retention window starts afresh, so older top-ups with the same key do not count).
 */
export async function findTopUpOfKey(db: pg.Pool | pg.PoolClient, customerId: string, key: string): Promise<TopUpRow | undefined> {
  const result = await db.query<TopUpRow>(
    `${topUpSelect} JOIN idempotency_keys k ON k.customer_id = t.customer_id AND k.key = t.idempotency_key
     WHERE t.customer_id = $1 AND t.idempotency_key = $2 AND t.created_at >= k.created_at
     ORDER BY t.created_at DESC LIMIT 1`,
    [customerId, key],
  );
  return result.rows[0];
}
