import type { Queryable } from './db/client.js';
import { listDeadLetters, listEventSubscriptions, requestDeadLetterRetries, rewindEventSubscription } from './events.repository.js';

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
export async function eventDispatchStatus(db: Queryable): Promise<{ subscriptions: SubscriptionStatus[]; deadLetters: DeadLetter[] }> {
  const [subscriptions, deadLetters] = await Promise.all([listEventSubscriptions(db), listDeadLetters(db)]);
  return {
    subscriptions: subscriptions.map((row) => ({
      name: row.name,
      position: row.position,
      behind: row.behind,
      attempts: row.attempts,
      retryAt: row.retryAt,
      lastError: row.lastError,
      deadLetters: row.deadLetters,
    })),
    deadLetters: deadLetters.map((row) => ({
      subscription: row.subscription,
      eventId: row.eventId,
      type: row.type,
      error: row.error,
      attempts: row.attempts,
      failedAt: row.failedAt,
      isRetryRequested: row.retryRequestedAt !== null,
    })),
  };
}

/** Asks the running dispatcher to hand a subscriber's dead letters to it again; returns how many. */
export async function retryDeadLetters(db: Queryable, subscription: string): Promise<number> {
  return requestDeadLetterRetries(db, subscription);
}

/**
 * Sends a subscriber back to the first event, so it handles every event again (a report rebuilt
 * from scratch). Returns false when no such subscriber exists.
 */
export async function replayFromStart(db: Queryable, subscription: string): Promise<boolean> {
  return rewindEventSubscription(db, subscription);
}
