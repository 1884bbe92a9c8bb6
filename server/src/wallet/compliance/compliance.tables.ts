import type { FreezeReason, IdType, VerificationStatus } from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers, staffMembers } from '../../identity/identity.tables.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** A freeze stops money moving in and out of every account of the customer until it is lifted. */
export const customerFreezes = pgTable(
  'customer_freezes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    reason: text('reason').$type<FreezeReason>().notNull(),
    /** Internal note; never shown to the customer. */
    note: text('note'),
    /** 'staff' or 'system' (a risk rule). */
    setByType: text('set_by_type').$type<'staff' | 'system' | 'customer'>().notNull(),
    setByStaffId: uuid('set_by_staff_id').references(() => staffMembers.id),
    rule: text('rule'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    liftedAt: timestamp('lifted_at', { withTimezone: true }),
    liftedByRequestId: uuid('lifted_by_request_id'),
  },
  (table) => [
    index('customer_freezes_customer_idx').on(table.customerId).where(sql`${table.liftedAt} is null`),
    check(
      'customer_freezes_reason_check',
      sql`${table.reason} in ('abnormal_activity', 'identity_unverified', 'policy_violation', 'customer_request')`,
    ),
    check('customer_freezes_set_by_check', sql`${table.setByType} in ('staff', 'system', 'customer')`),
  ],
);

/**
 * Unfreezing needs two people: an agent proposes, a different supervisor approves.
 * The database itself refuses an approval by the proposer.
 */
export const unfreezeRequests = pgTable(
  'unfreeze_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    freezeId: uuid('freeze_id')
      .notNull()
      .references(() => customerFreezes.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    proposedBy: uuid('proposed_by')
      .notNull()
      .references(() => staffMembers.id),
    proposalNote: text('proposal_note').notNull(),
    conversationId: uuid('conversation_id'),
    status: text('status').$type<'pending' | 'approved' | 'rejected'>().notNull().default('pending'),
    decidedBy: uuid('decided_by').references(() => staffMembers.id),
    decisionNote: text('decision_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('unfreeze_requests_one_pending_key').on(table.freezeId).where(sql`${table.status} = 'pending'`),
    check('unfreeze_requests_status_check', sql`${table.status} in ('pending', 'approved', 'rejected')`),
    check('unfreeze_requests_four_eyes', sql`${table.decidedBy} is null or ${table.decidedBy} <> ${table.proposedBy}`),
  ],
);

/** Identity verification submissions; the ID number and document image are encrypted at rest. */
export const identityVerifications = pgTable(
  'identity_verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    realName: text('real_name').notNull(),
    idType: text('id_type').$type<IdType>().notNull(),
    idNumberEncrypted: bytea('id_number_encrypted').notNull(),
    idNumberLast4: text('id_number_last4').notNull(),
    documentEncrypted: bytea('document_encrypted').notNull(),
    documentMimeType: text('document_mime_type').notNull(),
    documentSize: integer('document_size').notNull(),
    status: text('status').$type<VerificationStatus>().notNull().default('pending'),
    reviewedBy: uuid('reviewed_by').references(() => staffMembers.id),
    reviewNote: text('review_note'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  },
  (table) => [
    index('identity_verifications_customer_idx').on(table.customerId, table.submittedAt),
    index('identity_verifications_pending_idx').on(table.submittedAt).where(sql`${table.status} = 'pending'`),
    // One submission under review per customer, even when two uploads race.
    uniqueIndex('identity_verifications_one_pending_key').on(table.customerId).where(sql`${table.status} = 'pending'`),
    check('identity_verifications_status_check', sql`${table.status} in ('pending', 'approved', 'rejected')`),
    check('identity_verifications_id_type_check', sql`${table.idType} in ('resident_id', 'passport')`),
  ],
);
