import { and, asc, count, eq, isNotNull, max, sql } from 'drizzle-orm';
import type { Queryable, Transaction } from './db/client.js';
import { rowFrom } from './db/rows.js';
import { domainEvents, eventDeadLetters, eventSubscriptions } from './events.tables.js';

export type DomainEventRow = typeof domainEvents.$inferSelect;
export type EventSubscriptionRow = typeof eventSubscriptions.$inferSelect;

/** Any constant works; nodes share it so one places events at a time. */
const positionLockId = 4_207_302;

// Until vacuum, every event's old version (position still null) stays in the indexes: a bitmap
// scan for "position IS NULL" visits them all, more with every event since the last vacuum. An
// index scan of the partial index in id order marks them dead once and steps over them after, so
// the placement turns bitmap scans off for its own transaction (set_config(…, true) is local).
const placeStatement = `
WITH next AS MATERIALIZED (
  SELECT id, row_number() OVER (ORDER BY id) AS n
  FROM (SELECT id FROM domain_events WHERE position IS NULL ORDER BY id LIMIT $1) unplaced
), base AS (SELECT coalesce(max(position), 0) AS position FROM domain_events)
UPDATE domain_events d SET position = base.position + next.n
FROM next, base
WHERE d.id = next.id AND d.position IS NULL`;

/**
 * Gives up to `limit` committed events their delivery positions, in id order, under a lock one
 * node holds at a time. With `wait`, waits for another node doing it; otherwise leaves it to them
 * (and places nothing). Answers how many were placed.
 */
export async function placeEventPositions(tx: Transaction, options: { wait: boolean; limit: number }): Promise<number> {
  const noBitmaps = "set_config('enable_bitmapscan', 'off', true)";
  if (options.wait) await tx.$client.query(`SELECT ${noBitmaps}, pg_advisory_xact_lock($1)`, [positionLockId]);
  else {
    const lock = await tx.$client.query<{ ok: boolean }>(`SELECT ${noBitmaps}, pg_try_advisory_xact_lock($1) AS ok`, [positionLockId]);
    if (!lock.rows[0]?.ok) return 0;
  }
  const placed = await tx.$client.query({ name: 'okpay_events_place', text: placeStatement, values: [options.limit] });
  return placed.rowCount ?? 0;
}

/** Creates the subscriber's cursor if it has none: at the start of the order, or at its end (`startAtNow`). */
export async function insertEventSubscription(db: Queryable, name: string, startAtNow: boolean): Promise<void> {
  await db.$client.query(
    `INSERT INTO event_subscriptions (name, position)
     SELECT $1, CASE WHEN $2 THEN coalesce(max(position), 0) ELSE 0 END FROM domain_events
     ON CONFLICT (name) DO NOTHING`,
    [name, startAtNow],
  );
}

/** The subscriber's cursor, held until the transaction ends; undefined while another node holds it. */
export async function lockEventSubscription(tx: Transaction, name: string): Promise<EventSubscriptionRow | undefined> {
  const [row] = await tx.select().from(eventSubscriptions).where(eq(eventSubscriptions.name, name)).for('update', { skipLocked: true });
  return row;
}

// The subscriber's next events and, from the same snapshot, the last position given out: when
// the batch is not full, the subscriber is done with everything up to there (other types included).
const nextEventsStatement = `
WITH horizon AS (SELECT coalesce(max(position), 0) AS position FROM domain_events)
SELECT horizon.position AS horizon, e.*
FROM horizon LEFT JOIN LATERAL (
  SELECT * FROM domain_events WHERE position > $1 AND position <= horizon.position AND type = ANY($2) ORDER BY position LIMIT $3
) e ON true`;

/** Up to `limit` events of these types after `position`, in order, and the last position given out so far. */
export async function listEventsAfter(
  db: Queryable,
  input: { position: number; types: readonly string[]; limit: number },
): Promise<{ events: DomainEventRow[]; horizon: number }> {
  const result = await db.$client.query({
    name: 'okpay_events_after',
    text: nextEventsStatement,
    values: [input.position, input.types, input.limit],
  });
  return {
    events: result.rows.filter((row) => row.id !== null).map((row) => rowFrom(domainEvents, row)),
    horizon: Number(result.rows[0]?.horizon ?? 0),
  };
}

/** Where each subscriber's cursor stands (not locked): the dispatcher reads their next events once for all of them. */
export async function eventSubscriptionPositions(db: Queryable): Promise<Map<string, number>> {
  const found = await db.$client.query<{ name: string; position: string }>({
    name: 'okpay_events_subscription_positions',
    text: 'SELECT name, position FROM event_subscriptions',
  });
  return new Map(found.rows.map((row) => [row.name, Number(row.position)]));
}

/** The subscriber is done with everything up to `position`; its retry state is cleared (and `lastError` kept when given). */
export async function advanceEventSubscription(
  db: Queryable,
  name: string,
  position: number,
  lastError: string | null = null,
): Promise<void> {
  await db
    .update(eventSubscriptions)
    .set({ position, attempts: 0, retryAt: null, lastError, updatedAt: sql`now()` })
    .where(eq(eventSubscriptions.name, name));
}

/** The next event failed: try it again at `retryAt`. */
export async function scheduleEventRetry(
  db: Queryable,
  name: string,
  retry: { attempts: number; retryAt: Date; lastError: string },
): Promise<void> {
  await db
    .update(eventSubscriptions)
    .set({ ...retry, updatedAt: sql`now()` })
    .where(eq(eventSubscriptions.name, name));
}

/** Sets an event aside for the subscriber (again, if it failed once more after a retry). */
export async function saveDeadLetter(
  db: Queryable,
  letter: { subscription: string; eventId: number; error: string; attempts: number; failedAt: Date },
): Promise<void> {
  await db
    .insert(eventDeadLetters)
    .values(letter)
    .onConflictDoUpdate({
      target: [eventDeadLetters.subscription, eventDeadLetters.eventId],
      set: { error: letter.error, attempts: letter.attempts, failedAt: letter.failedAt, retryRequestedAt: null },
    });
}

/** The subscribers with dead letters an operator asked to retry: one look per pass, for all of them. */
export async function subscriptionsWithRetries(db: Queryable): Promise<Set<string>> {
  const found = await db.$client.query<{ subscription: string }>({
    name: 'okpay_events_retry_requested',
    text: 'SELECT DISTINCT subscription FROM event_dead_letters WHERE retry_requested_at IS NOT NULL',
  });
  return new Set(found.rows.map((row) => row.subscription));
}

/**
 * Whether a pass would find nothing to do: no committed event waits for its position, no dead
 * letter for a retry, and each of these subscribers stands at the last position given out. One
 * statement, so an idle node's passes cost one instead of seven.
 */
export async function isEventDispatchIdle(db: Queryable, subscriptions: readonly string[]): Promise<boolean> {
  const found = await db.$client.query<{ idle: boolean }>({
    name: 'okpay_events_idle',
    text: `SELECT NOT EXISTS (SELECT 1 FROM domain_events WHERE position IS NULL)
        AND NOT EXISTS (SELECT 1 FROM event_dead_letters WHERE retry_requested_at IS NOT NULL)
        AND (SELECT count(*) FROM event_subscriptions s
             WHERE s.name = ANY ($1::text[]) AND s.position = (SELECT coalesce(max(position), 0) FROM domain_events)
            ) = cardinality($1::text[]) AS idle`,
    values: [subscriptions],
  });
  return found.rows[0]?.idle === true;
}

/** The oldest dead letter an operator asked to retry, held until the transaction ends (others skip it). */
export async function takeDeadLetterToRetry(tx: Transaction, subscription: string): Promise<DomainEventRow | undefined> {
  const [row] = await tx
    .select({ event: domainEvents })
    .from(eventDeadLetters)
    .innerJoin(domainEvents, eq(domainEvents.id, eventDeadLetters.eventId))
    .where(and(eq(eventDeadLetters.subscription, subscription), isNotNull(eventDeadLetters.retryRequestedAt)))
    .orderBy(asc(domainEvents.position))
    .limit(1)
    .for('update', { of: eventDeadLetters, skipLocked: true });
  return row?.event;
}

export async function deleteDeadLetter(db: Queryable, subscription: string, eventId: number): Promise<void> {
  await db.delete(eventDeadLetters).where(and(eq(eventDeadLetters.subscription, subscription), eq(eventDeadLetters.eventId, eventId)));
}

/** A retried dead letter failed again: it waits for the next retry request. */
export async function markDeadLetterFailedAgain(
  db: Queryable,
  subscription: string,
  eventId: number,
  failure: { error: string; failedAt: Date },
): Promise<void> {
  await db
    .update(eventDeadLetters)
    .set({ retryRequestedAt: null, attempts: sql`${eventDeadLetters.attempts} + 1`, ...failure })
    .where(and(eq(eventDeadLetters.subscription, subscription), eq(eventDeadLetters.eventId, eventId)));
}

/** Asks the dispatcher to hand a subscriber's dead letters to it again; answers how many. */
export async function requestDeadLetterRetries(db: Queryable, subscription: string): Promise<number> {
  const updated = await db
    .update(eventDeadLetters)
    .set({ retryRequestedAt: sql`now()` })
    .where(eq(eventDeadLetters.subscription, subscription))
    .returning({ eventId: eventDeadLetters.eventId });
  return updated.length;
}

/** Sends a subscriber back to the first event; false when no such subscriber exists. */
export async function rewindEventSubscription(db: Queryable, subscription: string): Promise<boolean> {
  const updated = await db
    .update(eventSubscriptions)
    .set({ position: 0, attempts: 0, retryAt: null, lastError: null, updatedAt: sql`now()` })
    .where(eq(eventSubscriptions.name, subscription))
    .returning({ name: eventSubscriptions.name });
  return updated.length > 0;
}

/** The last position given out (0 before any). */
async function lastPosition(db: Queryable): Promise<number> {
  const [row] = await db.select({ position: max(domainEvents.position) }).from(domainEvents);
  return Number(row?.position ?? 0);
}

/** Every subscriber's cursor with how far behind it is and how many dead letters it has, by name. */
export async function listEventSubscriptions(
  db: Queryable,
): Promise<Array<EventSubscriptionRow & { behind: number; deadLetters: number }>> {
  const [horizon, rows, letters] = await Promise.all([
    lastPosition(db),
    db.select().from(eventSubscriptions).orderBy(asc(eventSubscriptions.name)),
    db.select({ subscription: eventDeadLetters.subscription, n: count() }).from(eventDeadLetters).groupBy(eventDeadLetters.subscription),
  ]);
  const lettersOf = new Map(letters.map((row) => [row.subscription, row.n]));
  return rows.map((row) => ({ ...row, behind: Math.max(0, horizon - row.position), deadLetters: lettersOf.get(row.name) ?? 0 }));
}

/** The first 200 dead letters, by subscriber and position, with their event's type. */
export async function listDeadLetters(db: Queryable): Promise<Array<typeof eventDeadLetters.$inferSelect & { type: string }>> {
  const rows = await db
    .select({ letter: eventDeadLetters, type: domainEvents.type })
    .from(eventDeadLetters)
    .innerJoin(domainEvents, eq(domainEvents.id, eventDeadLetters.eventId))
    .orderBy(asc(eventDeadLetters.subscription), asc(domainEvents.position))
    .limit(200);
  return rows.map((row) => ({ ...row.letter, type: row.type }));
}
