import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Database } from './client.js';

/** An open transaction: Drizzle for ordinary queries, the raw client for hot paths and pg-boss. */
export type Tx = { db: Database; client: pg.PoolClient };

/**
 * Runs `work` in one transaction on one pooled connection: committed if it returns, rolled back
 * if it throws, so no request ever leaves half-written data.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work({ db: drizzle(client), client });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
