import type { IdType, StaffVerification, VerificationQueueQuery, VerificationStatus } from '@okpay/contracts';
import type pg from 'pg';
import { maskIdNumber } from './verification-status.js';

type Queryable = pg.Pool | pg.PoolClient;

export type StaffVerificationRow = {
  id: string;
  customer_id: string;
  customer_name: string;
  customer_email: string;
  real_name: string;
  id_type: IdType;
  id_number_last4: string;
  document_mime_type: string;
  document_size: number;
  status: VerificationStatus;
  submitted_at: Date;
  reviewed_at: Date | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  review_note: string | null;
};

/** Everything staff may see of a submission except the encrypted columns. */
export const staffVerificationSelect = `
  SELECT v.id, v.customer_id, c.display_name AS customer_name, c.email AS customer_email, v.real_name, v.id_type,
         v.id_number_last4, v.document_mime_type, v.document_size, v.status, v.submitted_at, v.reviewed_at,
         s.id AS reviewer_id, s.display_name AS reviewer_name, v.review_note
  FROM identity_verifications v
  JOIN customers c ON c.id = v.customer_id
  LEFT JOIN staff_members s ON s.id = v.reviewed_by`;

export function toStaffVerification(row: StaffVerificationRow): StaffVerification {
  return {
    id: row.id,
    customer: { id: row.customer_id, displayName: row.customer_name, email: row.customer_email },
    realName: row.real_name,
    idType: row.id_type,
    idNumberMasked: maskIdNumber(row.id_number_last4),
    document: { mimeType: row.document_mime_type, size: row.document_size },
    status: row.status,
    submittedAt: row.submitted_at.toISOString(),
    reviewedAt: row.reviewed_at?.toISOString() ?? null,
    reviewedBy: row.reviewer_id ? { id: row.reviewer_id, displayName: row.reviewer_name ?? '' } : null,
    reviewNote: row.review_note,
  };
}

/** The review queue: pending submissions oldest first (first in, first reviewed); decided ones newest first. */
export async function listIdentityVerifications(db: Queryable, query: VerificationQueueQuery): Promise<StaffVerification[]> {
  const order = query.status === 'pending' ? 'v.submitted_at ASC, v.id ASC' : 'v.reviewed_at DESC NULLS LAST, v.id DESC';
  const result = await db.query<StaffVerificationRow>(`${staffVerificationSelect} WHERE v.status = $1 ORDER BY ${order} LIMIT $2`, [
    query.status,
    query.limit,
  ]);
  return result.rows.map(toStaffVerification);
}
