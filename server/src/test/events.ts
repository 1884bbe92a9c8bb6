import type { Runtime } from '../runtime.js';

/**
 * Waits until a subscriber has been handed every event published so far. The node's own
 * dispatcher may be running a batch at the same moment, so one `drain()` alone can come back early.
 */
export async function caughtUp(runtime: Runtime, subscriber: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runtime.events.drain();
    const found = await runtime.deps.pool.query<{ is_done: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM domain_events WHERE position IS NULL)
         AND coalesce((SELECT position FROM event_subscriptions WHERE name = $1), -1)
           >= (SELECT coalesce(max(position), 0) FROM domain_events) AS is_done`,
      [subscriber],
    );
    if (found.rows[0]?.is_done) return;
    if (Date.now() > deadline) throw new Error(`${subscriber} did not catch up with the outbox within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
