import type pg from 'pg';

const notifyStatement = 'SELECT pg_notify($1, $2)';
const notifyBatchLimit = 500;

/**
 * The Postgres adapter NOTIFYs once per broadcast, each its own transaction, and NOTIFY commits
 * take a global lock. This pool hands the adapter's notifies, while one is in flight, to the next
 * single statement: one transaction for the batch, notifications in the order they were made (and
 * so in order across batches, which one-at-a-time separate queries did not promise). PostgreSQL
 * folds identical payloads on one channel within a transaction into one, so a repeated payload
 * starts a new batch. Every other query goes to the pool unchanged; end() waits for queued notifies.
 * A notify that failed (the database was away) is lost to the other nodes: `onRecovered` runs
 * once notifies go through again, so clients everywhere can catch up.
 */
export function coalescingNotifies(pool: pg.Pool, options: { onRecovered?: () => void } = {}): pg.Pool {
  type Pending = { channel: string; payload: string; resolve: () => void; reject: (error: unknown) => void };
  const queue: Pending[] = [];
  let flushing = false;
  let drained: Promise<void> = Promise.resolve();
  let hasLost = false;
  const flush = async () => {
    flushing = true;
    while (queue.length > 0) {
      const channel = queue[0]?.channel;
      const seen = new Set<string>();
      let count = 0;
      while (count < queue.length && count < notifyBatchLimit) {
        const next = queue[count] as Pending;
        if (next.channel !== channel || seen.has(next.payload)) break;
        seen.add(next.payload);
        count += 1;
      }
      const batch = queue.splice(0, count);
      try {
        await pool.query(
          'SELECT pg_notify($1, payload) FROM unnest($2::text[]) WITH ORDINALITY AS sent(payload, position) ORDER BY position',
          [channel, batch.map((item) => item.payload)],
        );
        for (const item of batch) item.resolve();
        if (hasLost) {
          hasLost = false;
          setImmediate(() => options.onRecovered?.());
        }
      } catch (error) {
        hasLost = true;
        for (const item of batch) item.reject(error);
      }
    }
    flushing = false;
  };
  const notify = (channel: string, payload: string) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ channel, payload, resolve, reject });
      if (!flushing) drained = flush();
    });
  return new Proxy(pool, {
    get(target, property) {
      if (property === 'query') {
        return (text: unknown, values?: unknown[]) =>
          text === notifyStatement && values?.length === 2
            ? notify(String(values[0]), String(values[1]))
            : target.query(text as string, values);
      }
      // Like the pool's own end(), which finishes what was queued before it: queued notifies go out first.
      if (property === 'end') return () => drained.then(() => target.end());
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
