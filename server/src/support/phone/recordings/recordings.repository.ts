import { and, asc, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Queryable, Transaction } from '../../../platform/index.js';
import { callRecordings } from './recordings.tables.js';

/** A recording without its bytes: what lists, checks and the console need. */
export type RecordingRow = Omit<typeof callRecordings.$inferSelect, 'data'>;

const withoutData = {
  id: callRecordings.id,
  callId: callRecordings.callId,
  source: callRecordings.source,
  state: callRecordings.state,
  providerUrl: callRecordings.providerUrl,
  providerRecordingId: callRecordings.providerRecordingId,
  mimeType: callRecordings.mimeType,
  size: callRecordings.size,
  durationMs: callRecordings.durationMs,
  sha256: callRecordings.sha256,
  fetchAttempts: callRecordings.fetchAttempts,
  lastError: callRecordings.lastError,
  createdAt: callRecordings.createdAt,
  storedAt: callRecordings.storedAt,
  expiredAt: callRecordings.expiredAt,
};

export async function insertRecording(db: Queryable, values: typeof callRecordings.$inferInsert): Promise<RecordingRow> {
  const [row] = await db.insert(callRecordings).values(values).returning(withoutData);
  if (!row) throw new Error('recording insert returned nothing');
  return row;
}

/** A provider's recording, once: the same RecordingSid reported again finds the row already there. */
export async function insertProviderRecording(
  db: Queryable,
  values: Pick<typeof callRecordings.$inferInsert, 'callId' | 'providerUrl' | 'providerRecordingId' | 'durationMs' | 'createdAt'>,
): Promise<RecordingRow | undefined> {
  const [row] = await db
    .insert(callRecordings)
    .values({ ...values, source: 'provider', state: 'pending' })
    .onConflictDoNothing()
    .returning(withoutData);
  return row;
}

export async function findRecording(db: Queryable, recordingId: string): Promise<RecordingRow | undefined> {
  const [row] = await db.select(withoutData).from(callRecordings).where(eq(callRecordings.id, recordingId));
  return row;
}

export async function findRecordingForUpdate(tx: Transaction, recordingId: string): Promise<RecordingRow | undefined> {
  const [row] = await tx.select(withoutData).from(callRecordings).where(eq(callRecordings.id, recordingId)).for('update');
  return row;
}

export async function listRecordingsOfCalls(db: Queryable, callIds: readonly string[]): Promise<RecordingRow[]> {
  if (callIds.length === 0) return [];
  return db
    .select(withoutData)
    .from(callRecordings)
    .where(inArray(callRecordings.callId, [...callIds]))
    .orderBy(asc(callRecordings.createdAt), asc(callRecordings.id));
}

/**
 * Bytes `from`…`to` (inclusive, zero-based) of a stored recording; the column is stored
 * uncompressed, so PostgreSQL reads only the chunks that hold them.
 */
export async function readRecordingBytes(db: Queryable, recordingId: string, from: number, to: number): Promise<Buffer | undefined> {
  const result = await db.$client.query<{ bytes: Buffer | null }>(
    "SELECT substring(data FROM $2::int FOR $3::int) AS bytes FROM call_recordings WHERE id = $1 AND state = 'stored'",
    [recordingId, from + 1, to - from + 1],
  );
  return result.rows[0]?.bytes ?? undefined;
}

export async function storeRecordingBytes(
  tx: Transaction,
  recordingId: string,
  fields: { data: Buffer; mimeType: string; durationMs: number | null; sha256: string; at: Date; fetchAttempts?: number },
): Promise<void> {
  await tx
    .update(callRecordings)
    .set({
      state: 'stored',
      data: fields.data,
      mimeType: fields.mimeType,
      size: fields.data.length,
      durationMs: fields.durationMs,
      sha256: fields.sha256,
      storedAt: fields.at,
      lastError: null,
      ...(fields.fetchAttempts === undefined ? {} : { fetchAttempts: fields.fetchAttempts }),
    })
    .where(eq(callRecordings.id, recordingId));
}

export async function updateRecordingFetch(
  tx: Transaction,
  recordingId: string,
  fields: { fetchAttempts: number; lastError: string; state?: 'failed' },
): Promise<void> {
  await tx.update(callRecordings).set(fields).where(eq(callRecordings.id, recordingId));
}

/**
 * Deletes the bytes of up to `limit` recordings made before `before` and marks them expired
 * (locked rows are left to the next run); answers their ids.
 */
export async function expireRecordingsBefore(db: Queryable, before: Date, at: Date, limit: number): Promise<string[]> {
  const due = db
    .select({ id: callRecordings.id })
    .from(callRecordings)
    .where(and(ne(callRecordings.state, 'expired'), lt(callRecordings.createdAt, before)))
    .orderBy(asc(callRecordings.createdAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(callRecordings)
    .set({ state: 'expired', data: null, expiredAt: at, providerUrl: null })
    .where(inArray(callRecordings.id, sql`(${due})`))
    .returning({ id: callRecordings.id });
  return rows.map((row) => row.id);
}
