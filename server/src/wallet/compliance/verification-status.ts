import type { IdType, VerificationEvidence, VerificationLevel, VerificationStatus, VerificationSubmission } from '@okpay/contracts';
import type pg from 'pg';

type Queryable = pg.Pool | pg.PoolClient;

/** A customer's newest submission, and whether any submission of theirs was ever approved. */
export type LatestVerification = {
  id: string;
  customerId: string;
  realName: string;
  idType: IdType;
  idNumberLast4: string;
  status: VerificationStatus;
  submittedAt: Date;
  reviewedAt: Date | null;
  hasApproved: boolean;
};

type Row = {
  id: string;
  customer_id: string;
  real_name: string;
  id_type: IdType;
  id_number_last4: string;
  status: VerificationStatus;
  submitted_at: Date;
  reviewed_at: Date | null;
  has_approved: boolean;
};

/** One query for many customers, so lists of freezes or requests do not ask per row. */
export async function findLatestVerifications(db: Queryable, customerIds: readonly string[]): Promise<Map<string, LatestVerification>> {
  const found = new Map<string, LatestVerification>();
  if (customerIds.length === 0) return found;
  const result = await db.query<Row>(
    `SELECT DISTINCT ON (customer_id) id, customer_id, real_name, id_type, id_number_last4, status, submitted_at, reviewed_at,
            bool_or(status = 'approved') OVER (PARTITION BY customer_id) AS has_approved
     FROM identity_verifications WHERE customer_id = ANY($1::uuid[])
     ORDER BY customer_id, submitted_at DESC, id DESC`,
    [[...new Set(customerIds)]],
  );
  for (const row of result.rows) {
    found.set(row.customer_id, {
      id: row.id,
      customerId: row.customer_id,
      realName: row.real_name,
      idType: row.id_type,
      idNumberLast4: row.id_number_last4,
      status: row.status,
      submittedAt: row.submitted_at,
      reviewedAt: row.reviewed_at,
      hasApproved: row.has_approved,
    });
  }
  return found;
}

/** Verified once anything was approved, so a later re-submission does not downgrade the customer. */
export function verificationLevel(latest: LatestVerification | undefined): VerificationLevel {
  if (!latest) return 'unverified';
  if (latest.hasApproved) return 'verified';
  return latest.status === 'pending' ? 'pending' : 'rejected';
}

export function maskIdNumber(last4: string): string {
  return `****${last4}`;
}

export function toSubmissionView(row: Omit<LatestVerification, 'hasApproved' | 'customerId'>): VerificationSubmission {
  return {
    id: row.id,
    realName: row.realName,
    idType: row.idType,
    idNumberMasked: maskIdNumber(row.idNumberLast4),
    status: row.status,
    submittedAt: row.submittedAt.toISOString(),
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
  };
}

export function toEvidence(latest: LatestVerification | undefined): VerificationEvidence {
  return {
    level: verificationLevel(latest),
    latest: latest
      ? {
          id: latest.id,
          status: latest.status,
          idType: latest.idType,
          submittedAt: latest.submittedAt.toISOString(),
          reviewedAt: latest.reviewedAt?.toISOString() ?? null,
        }
      : null,
  };
}
