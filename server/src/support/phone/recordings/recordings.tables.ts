import type { RecordingState } from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { calls } from '../phone.tables.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * A call's recording: a voicemail recorded in the customer's browser, or the telephony provider's
 * recording fetched from it. The bytes live in `data` (stored uncompressed, so a range of them is
 * read without reading the rest) until the retention policy deletes them and marks the row expired.
 */
export const callRecordings = pgTable(
  'call_recordings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id),
    source: text('source').$type<'browser' | 'provider'>().notNull(),
    state: text('state').$type<RecordingState>().notNull(),
    /** The provider's recording: where to fetch it, and its id there (Twilio's RecordingSid). */
    providerUrl: text('provider_url'),
    providerRecordingId: text('provider_recording_id'),
    mimeType: text('mime_type'),
    size: integer('size'),
    durationMs: integer('duration_ms'),
    /** SHA-256 of the bytes: a retried upload with the same idempotency key must carry the same recording. */
    sha256: text('sha256'),
    data: bytea('data'),
    fetchAttempts: integer('fetch_attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    storedAt: timestamp('stored_at', { withTimezone: true }),
    expiredAt: timestamp('expired_at', { withTimezone: true }),
  },
  (table) => [
    index('call_recordings_call_idx').on(table.callId),
    uniqueIndex('call_recordings_provider_key')
      .on(table.callId, table.providerRecordingId)
      .where(sql`${table.providerRecordingId} is not null`),
    index('call_recordings_retention_idx').on(table.createdAt).where(sql`${table.state} <> 'expired'`),
    check('call_recordings_state_check', sql`${table.state} in ('pending', 'stored', 'failed', 'expired')`),
    check('call_recordings_source_check', sql`${table.source} in ('browser', 'provider')`),
    check('call_recordings_bytes_check', sql`(${table.state} = 'stored') = (${table.data} is not null)`),
  ],
);
