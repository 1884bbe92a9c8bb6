import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent, unexpectedError } from './platform/index.js';
import type { Runtime } from './runtime.js';
import { createTestDatabase } from './test/database.js';
import { caughtUp } from './test/events.js';
import { startTestRuntime } from './test/runtime.js';
import { signedInCustomer } from './test/wallet.js';

// A statement that waits on a lock held by a stuck transaction, or runs away, must not hold a pool
// connection and a request for ever: PostgreSQL cancels it after DATABASE_STATEMENT_TIMEOUT_MS and
// the caller hears 503 with Retry-After, with nothing of the request written.
describe('the statement time limit', () => {
  let node: Runtime;
  let locker: pg.Client;

  beforeAll(async () => {
    node = await startTestRuntime({ env: { DATABASE_STATEMENT_TIMEOUT_MS: '300' } });
    locker = new pg.Client({ connectionString: node.databaseUrl });
    await locker.connect();
  }, 60_000);
  afterAll(async () => {
    await locker?.end();
    await node?.close();
  });

  it('is set on every connection of the request pool', async () => {
    const shown = await node.deps.pool.query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(shown.rows[0]?.statement_timeout).toBe('300ms');
  });

  it('answers 503 with Retry-After when a change waits past it on a row another transaction holds, and writes nothing', async () => {
    const customer = await signedInCustomer(node, { displayName: '原来的名字' });
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM customers WHERE id = $1 FOR UPDATE', [customer.id]);
    try {
      const started = performance.now();
      const refused = await customer.client.patch('/api/me', { displayName: '新的名字' });
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: { code: 'service_unavailable' } });
      expect(refused.headers['retry-after']).toBe('5');
      // Canceled at the limit, not after a client-side wait of seconds.
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      await locker.query('ROLLBACK');
    }
    const unchanged = await customer.client.get('/api/me');
    expect(unchanged.body).toMatchObject({ customer: { displayName: '原来的名字' } });
    // The same request goes through once the lock is gone: the pool's connection was not lost.
    const accepted = await customer.client.patch('/api/me', { displayName: '新的名字' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ customer: { displayName: '新的名字' } });
  });

  it('retries an event handler whose statement it canceled, without counting the attempt towards a dead letter', async () => {
    const { pool } = node.deps;
    await pool.query('CREATE TABLE timeout_probe (id int PRIMARY KEY, seen int NOT NULL DEFAULT 0)');
    await pool.query('INSERT INTO timeout_probe (id) VALUES (1)');
    // One attempt only: a failure that counted would set the event aside at once.
    node.events.subscribe(
      'test.timeout-probe',
      ['test.timeout-probe'],
      async (_event, { tx }) => {
        await tx.$client.query('UPDATE timeout_probe SET seen = seen + 1 WHERE id = 1');
      },
      { maxAttempts: 1 },
    );
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM timeout_probe WHERE id = 1 FOR UPDATE');
    try {
      await publishEvent(node.deps.db, { type: 'test.timeout-probe', subject: { type: 'probe', id: '1' }, payload: {} });
      // Wait until the handler has been canceled at the limit at least once.
      const deadline = Date.now() + 15_000;
      for (;;) {
        const found = await pool.query<{ last_error: string | null; attempts: number }>(
          "SELECT last_error, attempts FROM event_subscriptions WHERE name = 'test.timeout-probe'",
        );
        const row = found.rows[0];
        if (row?.last_error?.includes('statement timeout')) {
          expect(row.attempts).toBe(0);
          break;
        }
        if (Date.now() > deadline) throw new Error(`the handler was not canceled: ${JSON.stringify(row)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await locker.query('ROLLBACK');
    }
    await caughtUp(node, 'test.timeout-probe');
    expect((await pool.query('SELECT seen FROM timeout_probe WHERE id = 1')).rows[0]).toEqual({ seen: 1 });
    const letters = await pool.query("SELECT 1 FROM event_dead_letters WHERE subscription = 'test.timeout-probe'");
    expect(letters.rowCount).toBe(0);
  });

  it('counts a statement PostgreSQL canceled as worth retrying, not as our failure', () => {
    const canceled = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    expect(unexpectedError(canceled)).toMatchObject({ code: 'service_unavailable', status: 503, params: { retryAfterSeconds: 5 } });
    expect(unexpectedError(new Error('something else'))).toMatchObject({ code: 'internal_error', status: 500 });
  });
});

describe('the statement time limit behind a pooler', () => {
  it('is not sent when the request pool goes through a pooler (a session URL of its own); 0 turns it off', async () => {
    const databaseUrl = await createTestDatabase();
    // A session URL of its own (here the same server under another spelling) means DATABASE_URL is
    // a transaction-mode pooler, which refuses startup parameters it does not know: the node leaves
    // the limit to the pooler or the role there.
    const direct = new URL(databaseUrl);
    direct.searchParams.set('application_name', 'okpay-direct');
    const pooled = await startTestRuntime({ databaseUrl, env: { DATABASE_SESSION_URL: direct.toString() } });
    const off = await startTestRuntime({ databaseUrl, env: { DATABASE_STATEMENT_TIMEOUT_MS: '0' } });
    const normal = await startTestRuntime({ databaseUrl });
    try {
      const shown = async (runtime: Runtime) =>
        (await runtime.deps.pool.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]?.statement_timeout;
      expect(await shown(pooled)).toBe('0');
      expect(await shown(off)).toBe('0');
      expect(await shown(normal)).toBe('30s');
    } finally {
      await pooled.close();
      await off.close();
      await normal.close();
    }
  }, 60_000);
});
