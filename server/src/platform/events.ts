import type { Queryable } from './db/client.js';

export type DomainEvent = {
  type: string;
  subject?: { type: string; id: string };
  payload: Record<string, unknown>;
};

/**
 * Publishes an event in the caller's transaction (transactional outbox): it exists exactly when
 * the change it announces commits. Publish after taking the subject's row lock (the change itself
 * usually takes it), so a subject's events are numbered in the order they happen; the dispatcher
 * (event-dispatcher.ts) hands them to subscribers in that order.
 */
export async function publishEvent(db: Queryable, event: DomainEvent): Promise<void> {
  await db.$client.query({
    name: 'okpay_publish_event',
    text: 'INSERT INTO domain_events (type, subject_type, subject_id, payload) VALUES ($1, $2, $3, $4)',
    values: [event.type, event.subject?.type ?? null, event.subject?.id ?? null, JSON.stringify(event.payload)],
  });
}
