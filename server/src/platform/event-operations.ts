import type pg from 'pg';

export type SubscriptionStatus = {
  name: string;
  position: number;
  /** Events placed in the order that it has not passed yet. */
  behind: number;
  attempts: number;
  retryAt: Date | null;
  lastError: string | null;
  deadLetters: number;
};

export type DeadLetter = {
  subscription: string;
  eventId: number;
  type: string;
  error: string;
  attempts: number;
  failedAt: Date;
  isRetryRequested: boolean;
};

/** Where every subscriber stands, and the events they gave up on: what `okpay events:status` prints. */
export async function eventDispatchStatus(pool: pg.Pool): Promise<{ subscriptions: SubscriptionStatus[]; deadLetters: DeadLetter[] }> {
  const subscriptions = await pool.query<{
    name: string;
    position: string;
    behind: string;
    attempts: number;
    retry_at: Date | null;
    last_error: string | null;
    dead_letters: number;
  }>(
    `SELECT s.name, s.position, greatest(0, (SELECT coalesce(max(position), 0) FROM domain_events) - s.position) AS behind,
            s.attempts, s.retry_at, s.last_error,
            (SELECT count(*)::int FROM event_dead_letters d WHERE d.subscription = s.name) AS dead_letters
     FROM event_subscriptions s ORDER BY s.name`,
  );
  const deadLetters = await pool.query<{
    subscription: string;
    event_id: string;
    type: string;
    error: string;
    attempts: number;
    failed_at: Date;
    retry_requested_at: Date | null;
  }>(
    `SELECT d.subscription, d.event_id, e.type, d.error, d.attempts, d.failed_at, d.retry_requested_at
     FROM event_dead_letters d JOIN domain_events e ON e.id = d.event_id ORDER BY d.subscription, e.position LIMIT 200`,
  );
  return {
    subscriptions: subscriptions.rows.map((row) => ({
      name: row.name,
      position: Number(row.position),
      behind: Number(row.behind),
      attempts: row.attempts,
      retryAt: row.retry_at,
      lastError: row.last_error,
      deadLetters: row.dead_letters,
    })),
    deadLetters: deadLetters.rows.map((row) => ({
      subscription: row.subscription,
      eventId: Number(row.event_id),
      type: row.type,
      error: row.error,
      attempts: row.attempts,
      failedAt: row.failed_at,
      isRetryRequested: row.retry_requested_at !== null,
    })),
  };
}

/** Asks the running dispatcher to hand a subscriber's dead letters to it again; returns how many. */
export async function retryDeadLetters(pool: pg.Pool, subscription: string): Promise<number> {
  const result = await pool.query('UPDATE event_dead_letters SET retry_requested_at = now() WHERE subscription = $1', [subscription]);
  return result.rowCount ?? 0;
}

/**
 * Sends a subscriber back to the first event, so it handles every event again (a report rebuilt
 * from scratch). Returns false when no such subscriber exists.
 */
export async function replayFromStart(pool: pg.Pool, subscription: string): Promise<boolean> {
  const result = await pool.query(
    'UPDATE event_subscriptions SET position = 0, attempts = 0, retry_at = NULL, last_error = NULL, updated_at = now() WHERE name = $1',
    [subscription],
  );
  return (result.rowCount ?? 0) > 0;
}
