import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Database } from './client.js';

/** An open transaction: Drizzle for ordinary queries, the raw client for hot paths and pg-boss. */
export type Tx = { db: Database; client: pg.PoolClient };

export type TransactionOptions = {
  /** A read-only snapshot that stays the same for the whole work (consistency checks, exports). */
  isSnapshot?: boolean;
};

/**
 * Runs `work` in one transaction on one pooled connection: committed if it returns, rolled back
 * if it throws, so no request ever leaves half-written data. A connection whose ROLLBACK failed
 * is in an unknown state (perhaps still inside the transaction), so it is destroyed rather than
 * handed to the next caller.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(options.isSnapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    const result = await work({ db: drizzle(client), client });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
