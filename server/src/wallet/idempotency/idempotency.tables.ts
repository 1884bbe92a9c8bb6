import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Idempotency keys (Stripe semantics), scoped to the customer. The first request's response is
 * stored and replayed; kept at least 24 hours. The customer is named without a foreign key (it
 * cost every transfer a row lock on the customer): keys are claimed for the signed-in customer only.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    customerId: uuid('customer_id').notNull(),
    key: text('key').notNull(),
    /** Method, route and a SHA-256 of the canonical body: a reused key must carry the same request. */
    requestHash: text('request_hash').notNull(),
    state: text('state').notNull().default('in_progress'),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    /**
     * Which request holds a key in progress, and since when. A retry may take over the claim of a
     * request that died before starting the work; the new token fences the old request out.
     */
    claimToken: uuid('claim_token'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  // Keys are made in time order and only the purge of old ones reads by age: a block-range index
  // is a few pages kept up to date at almost no cost per key, where a B-tree took one more write each.
  (table) => [primaryKey({ columns: [table.customerId, table.key] }), index('idempotency_keys_created_idx').using('brin', table.createdAt)],
);
