import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Transaction } from './client.js';

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
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (tx: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(options.isSnapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    const result = await work(drizzle(client));
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

let savepoints = 0;

/**
 * Runs `work` inside the caller's transaction under a savepoint: when it throws, what it wrote is
 * undone and the transaction may carry on (the error is rethrown for the caller to judge). The
 * savepoint is left to the commit rather than released, which would cost a round trip; each has
 * its own name, so one taken inside `work` never stands in for this one.
 */
export async function withSavepoint<T>(tx: Transaction, work: () => Promise<T>): Promise<T> {
  savepoints = (savepoints + 1) % 1_000_000;
  const name = `okpay_work_${savepoints}`;
  await tx.$client.query(`SAVEPOINT ${name}`);
  try {
    return await work();
  } catch (error) {
    await tx.$client.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}

/**
 * Takes an advisory lock held until the transaction ends: work under the same key, on any node,
 * runs one at a time. A string key is hashed (per customer, per chat); a number is used as is.
 */
export async function holdTransactionLock(tx: Transaction, key: string | number): Promise<void> {
  if (typeof key === 'number') await tx.$client.query('SELECT pg_advisory_xact_lock($1)', [key]);
  else await tx.$client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}
