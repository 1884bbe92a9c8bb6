import type { VerificationEvidence, VerificationLevel, VerificationSubmission } from '@okpay/contracts';
import type { LatestVerification } from './compliance.repository.js';

export { findLatestVerifications, type LatestVerification } from './compliance.repository.js';

/** Verified once anything was approved, so a later re-submission does not downgrade the customer. */
export function verificationLevel(latest: LatestVerification | undefined): VerificationLevel {
  if (!latest) return 'unverified';
  if (latest.hasApproved) return 'verified';
  return latest.status === 'pending' ? 'pending' : 'rejected';
}

export function maskIdNumber(last4: string): string {
  return `****${last4}`;
}

export function toSubmissionView(
  row: Pick<LatestVerification, 'id' | 'realName' | 'idType' | 'idNumberLast4' | 'status' | 'submittedAt' | 'reviewedAt'>,
): VerificationSubmission {
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
