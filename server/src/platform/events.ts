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

/** One event of a batch row, as its `batch` column lists them (publishBatchSql writes them). */
export type BatchedEvent = { subjectType: string; subjectId: string; payload: Record<string, unknown>; occurredAt: string };

/** What the SQL of publishBatchSql takes for each event, as SQL expressions over `from`'s rows. */
export type BatchColumns = {
  /** The events' type (one per row written: with `groupBy`, one row per group). */
  type: string;
  from: string;
  subjectType: string;
  subjectId: string;
  /** A json or jsonb expression. */
  payload: string;
  occurredAt: string;
  /**
   * The events' order in their row: a subject's events in the order they happened. With `groupBy`,
   * one expression: the groups' rows are also written in the order of their first events.
   */
  orderBy: string;
  groupBy?: string;
};

/**
 * SQL that publishes the rows of `from` as events in one outbox row (per `groupBy` group) instead
 * of one row each: a batch written by one statement costs one insert and one placement, however
 * many events it carries. The subscribers still get one event per subject, in order (see
 * `domain_events.batch`). As with publishEvent, the statement must hold each subject's row lock.
 */
export function publishBatchSql(columns: BatchColumns): string {
  return `INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at, batch)
  SELECT ${columns.type}, NULL, NULL, '{}', max(${columns.occurredAt}),
    json_agg(json_build_object('subjectType', ${columns.subjectType}, 'subjectId', ${columns.subjectId},
      'payload', ${columns.payload}, 'occurredAt', ${columns.occurredAt}) ORDER BY ${columns.orderBy})::text
  FROM ${columns.from}${columns.groupBy ? ` GROUP BY ${columns.groupBy}` : ''}
  HAVING count(*) > 0${columns.groupBy ? ` ORDER BY min(${columns.orderBy})` : ''}`;
}

/** An event for batchRows: what BatchedEvent holds, with its type. */
export type EventToBatch = { type: string; subjectType: string; subjectId: string; payload: Record<string, unknown>; occurredAt: Date };

/** An outbox row of batchRows: its events' type, the time of the latest, the batch's JSON text. */
export type BatchRow = [type: string, occurredAt: Date, batch: string];

/**
 * The outbox rows of publishBatchSql made here rather than in SQL, for events whose payloads the
 * caller already has: one row per type, the rows in the order each type first occurs and each
 * row's events in the order given. Building the batch's JSON text in the database (a jsonb object
 * per event, then json_agg) cost more PostgreSQL CPU than the insert itself. A statement writes the
 * rows with insertBatchRowsSql.
 */
export function batchRows(events: readonly EventToBatch[]): BatchRow[] {
  const byType = new Map<string, { last: Date; items: BatchedEvent[] }>();
  for (const event of events) {
    let row = byType.get(event.type);
    if (!row) {
      row = { last: event.occurredAt, items: [] };
      byType.set(event.type, row);
    }
    if (event.occurredAt > row.last) row.last = event.occurredAt;
    row.items.push({
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      payload: event.payload,
      occurredAt: event.occurredAt.toISOString(),
    });
  }
  return [...byType].map(([type, row]) => [type, row.last, JSON.stringify(row.items)]);
}

/**
 * SQL inserting `count` rows of batchRows into the outbox in their order, from the parameters
 * numbered from `first` on (three a row: pass the rows flattened). Each batch is a parameter of
 * its own: as an element of an array parameter its text would be escaped quote by quote.
 */
export function insertBatchRowsSql(first: number, count: number): string {
  if (count < 1) throw new Error('insertBatchRowsSql needs at least one row');
  const rows = Array.from({ length: count }, (_, row) => {
    const at = first + row * 3;
    return `($${at}::text, $${at + 1}::timestamptz, $${at + 2}::text, ${row})`;
  });
  return `INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at, batch)
  SELECT type, NULL, NULL, '{}', occurred_at, batch FROM (VALUES ${rows.join(', ')}) AS b(type, occurred_at, batch, ord)
  ORDER BY ord`;
}
