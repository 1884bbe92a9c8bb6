import type pg from 'pg';
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

/** Published events whose type starts with `typePrefix` (about one subject, if given), in the order published: batch rows taken apart. */
export async function publishedEvents(
  pool: pg.Pool,
  filter: { typePrefix: string; subjectId?: string },
): Promise<Array<{ type: string; subjectId: string | null; payload: Record<string, unknown> }>> {
  const found = await pool.query<{ type: string; subject_id: string | null; payload: Record<string, unknown> }>(
    `SELECT d.type, event.subject_id, event.payload FROM domain_events d CROSS JOIN LATERAL (
       SELECT d.subject_id, d.payload, 0::bigint AS n WHERE d.batch IS NULL
       UNION ALL
       SELECT item->>'subjectId', item->'payload', n FROM jsonb_array_elements(d.batch::jsonb) WITH ORDINALITY AS batch(item, n)
       WHERE d.batch IS NOT NULL
     ) event
     WHERE starts_with(d.type, $1) AND ($2::text IS NULL OR event.subject_id = $2) ORDER BY d.id, event.n`,
    [filter.typePrefix, filter.subjectId ?? null],
  );
  return found.rows.map((row) => ({ type: row.type, subjectId: row.subject_id, payload: row.payload }));
}
