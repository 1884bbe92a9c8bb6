import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { coalescingNotifies } from './coalescing-notifies.js';

let url: string;
let pool: pg.Pool;
let listener: pg.Client;

beforeAll(async () => {
  url = await createTestDatabase();
  pool = new pg.Pool({ connectionString: url, max: 4 });
  listener = new pg.Client({ connectionString: url });
  await listener.connect();
  await listener.query('LISTEN "bench#/"');
});
afterAll(async () => {
  await listener?.end();
  await pool?.end();
});

describe('the realtime adapter’s notify pool', () => {
  it('delivers every notify once, in the order made, repeats included, while coalescing them into few statements', async () => {
    const received: string[] = [];
    listener.on('notification', (message) => received.push(message.payload ?? ''));
    let statements = 0;
    const counted = new Proxy(pool, {
      get(target, property) {
        if (property === 'query') {
          return (text: string, values?: unknown[]) => {
            statements += 1;
            return target.query(text, values);
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const notifying = coalescingNotifies(counted);
    // Repeats: PostgreSQL folds identical payloads within one transaction, so they must not share one.
    const sent = Array.from({ length: 300 }, (_, index) => (index % 50 === 7 ? 'same payload' : `payload ${index}`));
    await Promise.all(sent.map((payload) => notifying.query('SELECT pg_notify($1, $2)', ['bench#/', payload])));
    const deadline = Date.now() + 5000;
    while (received.length < sent.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toEqual(sent);
    expect(statements).toBeGreaterThanOrEqual(6);
    expect(statements).toBeLessThan(20);
    // Other statements pass straight through to the pool.
    expect((await notifying.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
  });

  it('fails the notifies of a batch that fails, and keeps going with the next', async () => {
    const notifying = coalescingNotifies(pool);
    const tooLong = 'x'.repeat(9000);
    const results = await Promise.allSettled([
      notifying.query('SELECT pg_notify($1, $2)', ['bench#/', tooLong]),
      notifying.query('SELECT pg_notify($1, $2)', ['bench#/', 'after the failure']),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    await expect(notifying.query('SELECT pg_notify($1, $2)', ['bench#/', 'later'])).resolves.toBeUndefined();
  });

  it('sends the notifies already made before it ends the pool', async () => {
    const own = new pg.Pool({ connectionString: url, max: 2 });
    const notifying = coalescingNotifies(own);
    const received: string[] = [];
    const onNotification = (message: pg.Notification) => {
      if (message.payload?.startsWith('goodbye')) received.push(message.payload);
    };
    listener.on('notification', onNotification);
    // The first is in flight when the second is made; end() comes before either has finished.
    const first = notifying.query('SELECT pg_notify($1, $2)', ['bench#/', 'goodbye 1']);
    const second = notifying.query('SELECT pg_notify($1, $2)', ['bench#/', 'goodbye 2']);
    await notifying.end();
    await Promise.all([first, second]);
    const deadline = Date.now() + 5000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    listener.off('notification', onNotification);
    expect(received).toEqual(['goodbye 1', 'goodbye 2']);
  });
});
