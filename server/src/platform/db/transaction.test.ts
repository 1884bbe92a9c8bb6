import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { withTransaction } from './transaction.js';

let url: string;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  url = await createTestDatabase();
});
afterAll(async () => {
  for (const pool of pools) await pool.end();
});

function pool(options: pg.PoolConfig = {}) {
  const created = new pg.Pool({ connectionString: url, max: 1, ...options });
  created.on('error', () => undefined);
  pools.push(created);
  return created;
}

describe('a transaction', () => {
  it('commits what the work wrote and rolls back what a failing work wrote', async () => {
    const db = pool();
    await db.query('CREATE TABLE tx_notes (body text)');
    await withTransaction(db, (tx) => tx.$client.query("INSERT INTO tx_notes VALUES ('kept')"));
    await expect(
      withTransaction(db, async (tx) => {
        await tx.$client.query("INSERT INTO tx_notes VALUES ('dropped')");
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect((await db.query('SELECT body FROM tx_notes')).rows).toEqual([{ body: 'kept' }]);
  });

  it('destroys a connection whose ROLLBACK failed instead of handing it to the next caller', async () => {
    // The client gives up on a statement after 300 ms while the server is still running it, so the
    // ROLLBACK that follows times out too: the connection is alive but in an unknown state.
    const db = pool({ query_timeout: 300 });
    const firstPid = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    await expect(withTransaction(db, (tx) => tx.$client.query('SELECT pg_sleep(1)'))).rejects.toThrow(/timeout/i);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const after = await db.query<{ pid: number; inTransaction: boolean }>(
      'SELECT pg_backend_pid() AS pid, now() <> statement_timestamp() AS "inTransaction"',
    );
    expect(after.rows[0]?.pid).not.toBe(firstPid);
    expect(after.rows[0]?.inTransaction).toBe(false);
  });
});
