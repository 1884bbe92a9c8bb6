import type { FreezeReason, VerificationStatus } from '@okpay/contracts';
import { and, asc, desc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { customers, staffMembers } from '../../identity/index.js';
import { type Queryable, rowFrom } from '../../platform/index.js';
import { customerFreezes, identityVerifications, unfreezeRequests } from './compliance.tables.js';

export type FreezeRow = typeof customerFreezes.$inferSelect;
export type UnfreezeRequestRow = typeof unfreezeRequests.$inferSelect;
export type IdentityVerificationRow = typeof identityVerifications.$inferSelect;

/** A freeze as staff read it: who set it and the unfreeze request waiting on it, if any. */
export type StaffFreezeRecord = { freeze: FreezeRow; setByName: string | null; pendingRequestId: string | null };
/** An unfreeze request with the names of its customer, proposer and decider. */
export type UnfreezeRequestRecord = {
  request: UnfreezeRequestRow;
  customer: { displayName: string; email: string };
  proposerName: string;
  deciderName: string | null;
};
/** A submission as staff may read it: everything but the encrypted columns, with the names around it. */
export type VerificationRecord = {
  verification: Omit<IdentityVerificationRow, 'idNumberEncrypted' | 'documentEncrypted'>;
  customer: { displayName: string; email: string };
  reviewerName: string | null;
};
/** A customer's newest submission, and whether any submission of theirs was ever approved. */
export type LatestVerification = Omit<
  IdentityVerificationRow,
  'idNumberEncrypted' | 'documentEncrypted' | 'documentMimeType' | 'documentSize' | 'reviewedBy' | 'reviewNote'
> & {
  hasApproved: boolean;
};

// ---- Freezes -----------------------------------------------------------------------------------

export async function insertFreeze(db: Queryable, values: typeof customerFreezes.$inferInsert): Promise<FreezeRow> {
  const [row] = await db.insert(customerFreezes).values(values).returning();
  if (!row) throw new Error('freeze insert returned nothing');
  return row;
}

/** Whether the customer has an active freeze (for a reason, when given). */
export async function hasActiveFreeze(db: Queryable, customerId: string, reason?: FreezeReason): Promise<boolean> {
  return (await findActiveFreezeId(db, customerId, reason)) !== undefined;
}

export async function findActiveFreezeId(db: Queryable, customerId: string, reason?: FreezeReason): Promise<string | undefined> {
  const [row] = await db
    .select({ id: customerFreezes.id })
    .from(customerFreezes)
    .where(
      and(
        eq(customerFreezes.customerId, customerId),
        reason === undefined ? undefined : eq(customerFreezes.reason, reason),
        isNull(customerFreezes.liftedAt),
      ),
    )
    .limit(1);
  return row?.id;
}

/** The customer's active freezes, oldest first. */
export async function listActiveFreezes(db: Queryable, customerId: string): Promise<FreezeRow[]> {
  return db
    .select()
    .from(customerFreezes)
    .where(and(eq(customerFreezes.customerId, customerId), isNull(customerFreezes.liftedAt)))
    .orderBy(asc(customerFreezes.createdAt), asc(customerFreezes.id));
}

export async function findFreezeForUpdate(db: Queryable, freezeId: string): Promise<FreezeRow | undefined> {
  const [row] = await db.select().from(customerFreezes).where(eq(customerFreezes.id, freezeId)).for('update');
  return row;
}

/** Lifts an active freeze; undefined when it was not active. */
export async function markFreezeLifted(
  db: Queryable,
  freezeId: string,
  input: { requestId: string; at: Date },
): Promise<FreezeRow | undefined> {
  const [row] = await db
    .update(customerFreezes)
    .set({ liftedAt: input.at, liftedByRequestId: input.requestId })
    .where(and(eq(customerFreezes.id, freezeId), isNull(customerFreezes.liftedAt)))
    .returning();
  return row;
}

const setBy = alias(staffMembers, 'set_by');

function staffFreezeQuery(db: Queryable) {
  return db
    .select({
      freeze: customerFreezes,
      setByName: setBy.displayName,
      pendingRequestId: sql<
        string | null
      >`(SELECT r.id FROM ${unfreezeRequests} r WHERE r.freeze_id = ${customerFreezes.id} AND r.status = 'pending')`,
    })
    .from(customerFreezes)
    .leftJoin(setBy, eq(setBy.id, customerFreezes.setByStaffId));
}

export async function findStaffFreezes(db: Queryable, freezeIds: readonly string[]): Promise<StaffFreezeRecord[]> {
  if (freezeIds.length === 0) return [];
  return staffFreezeQuery(db).where(inArray(customerFreezes.id, [...new Set(freezeIds)]));
}

/** A customer's freezes for staff, active first, newest first. */
export async function listCustomerStaffFreezes(db: Queryable, customerId: string): Promise<StaffFreezeRecord[]> {
  return staffFreezeQuery(db)
    .where(eq(customerFreezes.customerId, customerId))
    .orderBy(sql`(${customerFreezes.liftedAt} IS NULL) DESC`, desc(customerFreezes.createdAt), asc(customerFreezes.id));
}

// ---- Unfreeze requests -------------------------------------------------------------------------

export async function insertUnfreezeRequest(db: Queryable, values: typeof unfreezeRequests.$inferInsert): Promise<UnfreezeRequestRow> {
  const [row] = await db.insert(unfreezeRequests).values(values).returning();
  if (!row) throw new Error('unfreeze request insert returned nothing');
  return row;
}

export async function findPendingUnfreezeRequestId(db: Queryable, freezeId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: unfreezeRequests.id })
    .from(unfreezeRequests)
    .where(and(eq(unfreezeRequests.freezeId, freezeId), eq(unfreezeRequests.status, 'pending')));
  return row?.id;
}

/** The request and its freeze, both locked: two checkers deciding at once are served one after the other. */
export async function findUnfreezeRequestForDecision(
  db: Queryable,
  requestId: string,
): Promise<{ request: UnfreezeRequestRow; freeze: FreezeRow } | undefined> {
  const [row] = await db
    .select({ request: unfreezeRequests, freeze: customerFreezes })
    .from(unfreezeRequests)
    .innerJoin(customerFreezes, eq(customerFreezes.id, unfreezeRequests.freezeId))
    .where(eq(unfreezeRequests.id, requestId))
    .for('update', { of: [unfreezeRequests, customerFreezes] });
  return row;
}

export async function decideUnfreezeRequestRow(
  db: Queryable,
  requestId: string,
  decision: { status: 'approved' | 'rejected'; decidedBy: string; decisionNote: string; decidedAt: Date },
): Promise<void> {
  await db.update(unfreezeRequests).set(decision).where(eq(unfreezeRequests.id, requestId));
}

const proposer = alias(staffMembers, 'proposer');
const decider = alias(staffMembers, 'decider');

function unfreezeRequestQuery(db: Queryable) {
  return db
    .select({
      request: unfreezeRequests,
      customer: { displayName: customers.displayName, email: customers.email },
      proposerName: proposer.displayName,
      deciderName: decider.displayName,
    })
    .from(unfreezeRequests)
    .innerJoin(customers, eq(customers.id, unfreezeRequests.customerId))
    .innerJoin(proposer, eq(proposer.id, unfreezeRequests.proposedBy))
    .leftJoin(decider, eq(decider.id, unfreezeRequests.decidedBy));
}

/** Pending requests oldest first (the longest-waiting customer first); decided ones newest first. */
export async function listUnfreezeRequestRecords(
  db: Queryable,
  query: { status: UnfreezeRequestRow['status']; limit: number },
): Promise<UnfreezeRequestRecord[]> {
  const order =
    query.status === 'pending'
      ? [asc(unfreezeRequests.createdAt), asc(unfreezeRequests.id)]
      : [sql`${unfreezeRequests.decidedAt} DESC NULLS LAST`, desc(unfreezeRequests.id)];
  return unfreezeRequestQuery(db)
    .where(eq(unfreezeRequests.status, query.status))
    .orderBy(...order)
    .limit(query.limit);
}

export async function findUnfreezeRequestRecord(db: Queryable, requestId: string): Promise<UnfreezeRequestRecord | undefined> {
  const [row] = await unfreezeRequestQuery(db).where(eq(unfreezeRequests.id, requestId));
  return row;
}

// ---- Identity verifications --------------------------------------------------------------------

export async function hasPendingVerification(db: Queryable, customerId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: identityVerifications.id })
    .from(identityVerifications)
    .where(and(eq(identityVerifications.customerId, customerId), eq(identityVerifications.status, 'pending')))
    .limit(1);
  return row !== undefined;
}

/** Whether any of the customer's submissions was ever approved (identity proven once stays proven). */
export async function hasApprovedVerification(db: Queryable, customerId: string): Promise<boolean> {
  const result = await db.$client.query({
    name: 'okpay_has_approved_verification',
    text: "SELECT 1 FROM identity_verifications WHERE customer_id = $1 AND status = 'approved' LIMIT 1",
    values: [customerId],
  });
  return (result.rowCount ?? 0) > 0;
}

export async function insertVerification(db: Queryable, values: typeof identityVerifications.$inferInsert): Promise<void> {
  await db.insert(identityVerifications).values(values);
}

export async function findVerificationForUpdate(db: Queryable, id: string): Promise<IdentityVerificationRow | undefined> {
  const [row] = await db.select().from(identityVerifications).where(eq(identityVerifications.id, id)).for('update');
  return row;
}

export async function findVerification(db: Queryable, id: string): Promise<IdentityVerificationRow | undefined> {
  const [row] = await db.select().from(identityVerifications).where(eq(identityVerifications.id, id));
  return row;
}

export async function reviewVerificationRow(
  db: Queryable,
  id: string,
  review: { status: VerificationStatus; reviewedBy: string; reviewNote: string | null; reviewedAt: Date },
): Promise<void> {
  await db.update(identityVerifications).set(review).where(eq(identityVerifications.id, id));
}

const reviewer = alias(staffMembers, 'reviewer');

function verificationQuery(db: Queryable) {
  const { idNumberEncrypted: _idNumber, documentEncrypted: _document, ...readable } = getTableColumns(identityVerifications);
  return db
    .select({
      verification: readable,
      customer: { displayName: customers.displayName, email: customers.email },
      reviewerName: reviewer.displayName,
    })
    .from(identityVerifications)
    .innerJoin(customers, eq(customers.id, identityVerifications.customerId))
    .leftJoin(reviewer, eq(reviewer.id, identityVerifications.reviewedBy));
}

/** The review queue: pending submissions oldest first (first in, first reviewed); decided ones newest first. */
export async function listVerificationRecords(
  db: Queryable,
  query: { status: VerificationStatus; limit: number },
): Promise<VerificationRecord[]> {
  const order =
    query.status === 'pending'
      ? [asc(identityVerifications.submittedAt), asc(identityVerifications.id)]
      : [sql`${identityVerifications.reviewedAt} DESC NULLS LAST`, desc(identityVerifications.id)];
  return verificationQuery(db)
    .where(eq(identityVerifications.status, query.status))
    .orderBy(...order)
    .limit(query.limit);
}

export async function findVerificationRecord(db: Queryable, id: string): Promise<VerificationRecord | undefined> {
  const [row] = await verificationQuery(db).where(eq(identityVerifications.id, id));
  return row;
}

/** Each customer's newest submission, in one statement for many customers, so lists do not ask per row. */
export async function findLatestVerifications(db: Queryable, customerIds: readonly string[]): Promise<Map<string, LatestVerification>> {
  const found = new Map<string, LatestVerification>();
  if (customerIds.length === 0) return found;
  const result = await db.$client.query<{ verification: Record<string, unknown>; has_approved: boolean }>(
    `SELECT DISTINCT ON (customer_id) to_jsonb(v) - 'id_number_encrypted' - 'document_encrypted' AS verification,
            bool_or(status = 'approved') OVER (PARTITION BY customer_id) AS has_approved
     FROM identity_verifications v WHERE customer_id = ANY($1::uuid[])
     ORDER BY customer_id, submitted_at DESC, id DESC`,
    [[...new Set(customerIds)]],
  );
  for (const { verification, has_approved: hasApproved } of result.rows) {
    const row = rowFrom(identityVerifications, { id_number_encrypted: null, document_encrypted: null, ...verification });
    found.set(row.customerId, {
      id: row.id,
      customerId: row.customerId,
      realName: row.realName,
      idType: row.idType,
      idNumberLast4: row.idNumberLast4,
      status: row.status,
      submittedAt: row.submittedAt,
      reviewedAt: row.reviewedAt,
      hasApproved,
    });
  }
  return found;
}
